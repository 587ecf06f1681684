/** Input limits of the hardened parser. Both are checked before libxml2 sees a byte. */
export interface XmlLimits {
  /** Largest accepted document in bytes (UTF-8). Default 10 MiB. */
  readonly maxBytes?: number;
  /** Deepest accepted element nesting; the root element is depth 1. Default 64. */
  readonly maxDepth?: number;
}

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 64;

export interface ResolvedLimits {
  readonly maxBytes: number;
  readonly maxDepth: number;
}

export function resolveLimits(limits: XmlLimits | undefined): ResolvedLimits {
  const maxBytes = limits?.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxDepth = limits?.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new RangeError(`maxBytes must be a positive integer, got ${maxBytes}`);
  if (!Number.isSafeInteger(maxDepth) || maxDepth < 1) throw new RangeError(`maxDepth must be a positive integer, got ${maxDepth}`);
  return { maxBytes, maxDepth };
}
