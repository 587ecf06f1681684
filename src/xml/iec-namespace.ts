/**
 * IEC 62325-451 document namespaces end in the schema version, major and minor:
 * `urn:iec62325.351:tc57wg16:451-6:generationloaddocument:3:0` is GL_MarketDocument version 3:0
 * (IEC 62325-351 naming; ENTSO-E publishes each version with its own targetNamespace).
 */

const IEC_NAMESPACE = /^(urn:iec62325\.351:.+):(\d+):(\d+)$/;

export interface IecNamespace {
  /** The namespace without its version, e.g. `urn:iec62325.351:tc57wg16:451-6:generationloaddocument`. */
  readonly base: string;
  /** 'major:minor', e.g. '3:0', as the namespace writes it. */
  readonly version: string;
}

export function parseIecNamespace(ns: string): IecNamespace | undefined {
  const m = IEC_NAMESPACE.exec(ns);
  if (m === null) return undefined;
  return { base: m[1] ?? '', version: `${m[2] ?? ''}:${m[3] ?? ''}` };
}

export function isIecNamespace(ns: string): boolean {
  return ns.startsWith('urn:iec62325.351:');
}

/** Sorts 'major:minor' versions numerically. */
export function compareIecVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.split(':').map(Number);
  const [bm = 0, bn = 0] = b.split(':').map(Number);
  return am - bm || an - bn;
}
