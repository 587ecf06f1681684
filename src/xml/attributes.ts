/**
 * Splits the raw attribute text of a start tag (XML 1.0 §3.1 `(S Attribute)* S?`) into
 * qualified names and raw (undecoded) values. Stops quietly at anything that is not an attribute:
 * it only ever runs on text libxml2 accepted, or on schema files where a summary is best-effort.
 */

export interface RawAttribute {
  readonly qname: string;
  readonly raw: string;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

export function splitAttributes(text: string, start: number, end: number): RawAttribute[] {
  const out: RawAttribute[] = [];
  let i = start;
  for (;;) {
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    if (i >= end) return out;
    const nameStart = i;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === 0x3d || isSpace(c)) break;
      i++;
    }
    const qname = text.slice(nameStart, i);
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== 0x3d) return out;
    i++;
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    const quote = text.charCodeAt(i);
    if (quote !== 0x22 && quote !== 0x27) return out;
    const close = text.indexOf(quote === 0x22 ? '"' : "'", i + 1);
    if (close < 0 || close >= end) return out;
    out.push({ qname, raw: text.slice(i + 1, close) });
    i = close + 1;
  }
}
