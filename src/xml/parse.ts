/**
 * Hardened parsing: pre-checks (empty, size, UTF-8, declared encoding, DOCTYPE, depth), then
 * libxml2 decides well-formedness, then the document is returned as a plain immutable element
 * tree. Nothing of libxml2 escapes this function, so callers cannot leak WASM memory.
 */
import type { Result } from '../shared/result.js';
import type { XmlElement } from './element.js';
import type { XmlIssue } from './issue.js';
import { withLibxmlDocument } from './libxml.js';
import { resolveLimits, type XmlLimits } from './limits.js';
import { precheck, type XmlInput } from './precheck.js';
import { buildElementTree } from './tree.js';

export type XmlParseOptions = XmlLimits;

export type XmlParseResult = Result<XmlElement, readonly XmlIssue[]>;

export function parseXml(input: XmlInput, options?: XmlParseOptions): XmlParseResult {
  const limits = resolveLimits(options);
  const checked = precheck(input, limits);
  if (!checked.ok) return checked;
  const wellFormed = withLibxmlDocument(checked.value.bytes, () => undefined);
  if (!wellFormed.ok) return wellFormed;
  return buildElementTree(checked.value.text, limits.maxDepth);
}
