/**
 * Character data and attribute values as an XML processor reports them, for text that libxml2
 * has already accepted as well-formed:
 * - end-of-line handling (XML 1.0 §2.11): CR LF and lone CR become LF;
 * - attribute-value normalisation (§3.3.3): each literal white-space character becomes a space
 *   (all our attributes are CDATA: there is no DTD), character references are kept as written;
 * - the predefined entities (§4.6) and character references (§4.1). No other entity can exist,
 *   because documents with a DOCTYPE are refused.
 */

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };
const REFERENCE = /&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z_:][A-Za-z0-9._:-]*);/g;

export class UnknownEntityError extends Error {}

function replaceReference(whole: string, ref: string): string {
  if (ref.charCodeAt(0) === 0x23) {
    const code = ref.charCodeAt(1) === 0x78 ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
    return String.fromCodePoint(code);
  }
  const v = PREDEFINED[ref];
  if (v === undefined) throw new UnknownEntityError(`undeclared entity ${whole}`);
  return v;
}

export function decodeText(raw: string): string {
  let s = raw;
  if (s.includes('\r')) s = s.replace(/\r\n?/g, '\n');
  if (s.includes('&')) s = s.replace(REFERENCE, replaceReference);
  return s;
}

export function decodeAttribute(raw: string): string {
  let s = raw;
  if (/[\t\n\r]/.test(s)) s = s.replace(/\r\n?|[\t\n]/g, ' ');
  if (s.includes('&')) s = s.replace(REFERENCE, replaceReference);
  return s;
}
