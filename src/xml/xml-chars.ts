/**
 * Character and name rules of XML 1.0 (Fifth Edition) that the writer enforces.
 *
 * §2.2 Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
 * i.e. forbidden: C0 controls other than TAB/LF/CR, unpaired surrogates, U+FFFE and U+FFFF.
 *
 * §2.3 NameStartChar / NameChar, restricted to what Namespaces in XML 1.0 §3 allows as a QName
 * (`prefix:local` with at most one colon, neither part empty).
 */

/**
 * Matches a character that is not an XML 1.0 Char. With the `u` flag a surrogate pair is one
 * code point, so the surrogate range only matches unpaired surrogates.
 */
// eslint-disable-next-line no-control-regex -- matching the forbidden control characters is the point
export const INVALID_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/u;

const NAME_START =
  'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const NCNAME = `[${NAME_START}][${NAME_CHAR}]*`;
// The ranges are §2.3's NameChar production verbatim; U+0300–U+036F are combining marks on purpose.
// eslint-disable-next-line no-misleading-character-class
const QNAME = new RegExp(`^${NCNAME}(?::${NCNAME})?$`, 'u');

/** Index of the first character XML 1.0 does not allow, or -1. */
export function firstInvalidXmlChar(s: string): number {
  const m = INVALID_XML_CHAR.exec(s);
  return m === null ? -1 : m.index;
}

export function isQName(name: string): boolean {
  return QNAME.test(name);
}
