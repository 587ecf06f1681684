/**
 * The checks that run before libxml2 sees any input, cheapest first: empty, size, strict UTF-8,
 * declared encoding, DOCTYPE, nesting depth. Each failure is one `XmlIssue`.
 */
import type { Result } from '../shared/result.js';
import { fail, ok } from '../shared/result.js';
import { checkDepth } from './depth.js';
import { checkNoDoctype } from './doctype.js';
import { xmlIssue, type XmlIssue } from './issue.js';
import type { ResolvedLimits } from './limits.js';
import { checkStringEncodable, decodeUtf8Strict } from './utf8.js';
import { checkDeclaredEncoding } from './xml-declaration.js';

export type XmlInput = Uint8Array | string;

export interface CheckedInput {
  /** The UTF-8 bytes, handed to libxml2. */
  readonly bytes: Uint8Array;
  /** The decoded text without a byte-order mark, for the element tree and error positions. */
  readonly text: string;
}

const BOM = 0xfeff;
const ONLY_WHITESPACE = /^[\x20\t\r\n]*$/;

export function precheck(input: XmlInput, limits: ResolvedLimits): Result<CheckedInput, readonly XmlIssue[]> {
  const isString = typeof input === 'string';
  const size = isString ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size === 0) return fail([xmlIssue('XML_EMPTY', 'the document is empty (0 bytes)')]);
  if (size > limits.maxBytes) {
    return fail([xmlIssue('XML_TOO_LARGE', `the document is ${size} bytes; the limit is ${limits.maxBytes} bytes`)]);
  }

  let text: string;
  let bytes: Uint8Array;
  if (isString) {
    const bad = checkStringEncodable(input);
    if (bad !== undefined) return fail([bad]);
    text = input.charCodeAt(0) === BOM ? input.slice(1) : input;
    bytes = Buffer.from(input, 'utf8');
  } else {
    const decoded = decodeUtf8Strict(input);
    if (!decoded.ok) return fail([decoded.issue]);
    text = decoded.text; // the WHATWG decoder has already removed a leading BOM
    bytes = input;
  }

  if (ONLY_WHITESPACE.test(text)) return fail([xmlIssue('XML_EMPTY', 'the document contains no markup, only white space')]);
  const issue = checkDeclaredEncoding(text) ?? checkNoDoctype(text) ?? checkDepth(text, limits.maxDepth);
  return issue === undefined ? ok({ bytes, text }) : fail([issue]);
}
