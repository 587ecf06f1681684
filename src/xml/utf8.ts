/**
 * Strict UTF-8 (RFC 3629; XML 1.0 §4.3.3 makes UTF-8 the default and the only encoding we accept).
 * Decoding uses the WHATWG fatal decoder; only when it fails do we walk the bytes again to say
 * exactly where, because the decoder does not tell.
 */
import { xmlIssue, type XmlIssue } from './issue.js';
import { positionAt } from './position.js';

const fatalDecoder = new TextDecoder('utf-8', { fatal: true });

export type Decoded = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly issue: XmlIssue };

/** Decodes bytes as strict UTF-8; a leading byte-order mark is accepted and removed. */
export function decodeUtf8Strict(bytes: Uint8Array): Decoded {
  try {
    return { ok: true, text: fatalDecoder.decode(bytes) };
  } catch {
    const offset = firstInvalidUtf8Offset(bytes);
    const prefix = fatalDecoder.decode(bytes.subarray(0, offset));
    const { line, column } = positionAt(prefix, prefix.length);
    const shown = `0x${(bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0')}`;
    return {
      ok: false,
      issue: xmlIssue(
        'XML_NOT_UTF8',
        `byte offset ${offset}: byte ${shown} does not begin a valid UTF-8 sequence; the document must be encoded in UTF-8`,
        line,
        column,
      ),
    };
  }
}

/**
 * Offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629 §4:
 * no overlong forms, no surrogates U+D800..U+DFFF, nothing above U+10FFFF), or bytes.length.
 */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b0 = bytes[i] ?? 0;
    if (b0 < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) need = 1;
    else if (b0 >= 0xe0 && b0 <= 0xef) {
      need = 2;
      if (b0 === 0xe0) lo = 0xa0; // overlong
      if (b0 === 0xed) hi = 0x9f; // surrogates
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      need = 3;
      if (b0 === 0xf0) lo = 0x90; // overlong
      if (b0 === 0xf4) hi = 0x8f; // above U+10FFFF
    } else return i;
    if (i + need >= n) return i; // truncated sequence
    const b1 = bytes[i + 1] ?? 0;
    if (b1 < lo || b1 > hi) return i;
    for (let k = 2; k <= need; k++) {
      const b = bytes[i + k] ?? 0;
      if (b < 0x80 || b > 0xbf) return i;
    }
    i += need + 1;
  }
  return n;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A JavaScript string is UTF-16; it can only be encoded as UTF-8 if it has no unpaired surrogate
 * (otherwise Buffer.from would silently substitute U+FFFD).
 */
export function checkStringEncodable(text: string): XmlIssue | undefined {
  const m = LONE_SURROGATE.exec(text);
  if (m === null) return undefined;
  const { line, column } = positionAt(text, m.index);
  return xmlIssue(
    'XML_NOT_UTF8',
    `character offset ${m.index}: unpaired UTF-16 surrogate U+${m[0].charCodeAt(0).toString(16).toUpperCase()} cannot be encoded as UTF-8`,
    line,
    column,
  );
}
