/**
 * A minimal tag scanner over XML text: start tags, end tags, character data and CDATA sections,
 * skipping comments (XML 1.0 §2.5) and processing instructions (§2.6, including the XML
 * declaration). It is not a well-formedness checker — libxml2 is — but it never throws, never
 * loops and never recurses, so it is safe to run on hostile input as a cheap pre-scan (depth),
 * and exact on input libxml2 has accepted (element tree, schema summaries).
 */

export interface TagHandler {
  /**
   * A start tag `<name …>` or empty-element tag `<name …/>` at `offset`; `attrsStart..attrsEnd`
   * delimits the raw attribute text. Return false to stop scanning.
   */
  start?(name: string, attrsStart: number, attrsEnd: number, selfClosing: boolean, offset: number): boolean | void;
  /** An end tag `</name>` at `offset`. Return false to stop scanning. */
  end?(name: string, offset: number): boolean | void;
  /** Raw character data between markup (entity references not yet decoded). */
  text?(start: number, end: number): void;
  /** The content of a CDATA section (§2.7), taken literally. */
  cdata?(start: number, end: number): void;
}

export interface ScanProblem {
  readonly offset: number;
  readonly message: string;
}

/** Runs the scan; returns undefined when it reached the end, or why and where it stopped. */
export function scanTags(text: string, h: TagHandler): ScanProblem | undefined {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      h.text?.(i, n);
      return undefined;
    }
    if (lt > i) h.text?.(i, lt);
    const c = text.charCodeAt(lt + 1);
    if (c === 0x2f) {
      // '/': end tag
      const gt = text.indexOf('>', lt + 2);
      if (gt < 0) return { offset: lt, message: 'unterminated end tag' };
      if (h.end !== undefined && h.end(trimEndSpace(text, lt + 2, gt), lt) === false) return { offset: lt, message: 'stopped' };
      i = gt + 1;
    } else if (c === 0x3f) {
      // '?': processing instruction or XML declaration
      const e = text.indexOf('?>', lt + 2);
      if (e < 0) return { offset: lt, message: 'unterminated processing instruction' };
      i = e + 2;
    } else if (c === 0x21) {
      // '!': comment, CDATA section or a markup declaration
      if (text.startsWith('<!--', lt)) {
        const e = text.indexOf('-->', lt + 4);
        if (e < 0) return { offset: lt, message: 'unterminated comment' };
        i = e + 3;
      } else if (text.startsWith('<![CDATA[', lt)) {
        const e = text.indexOf(']]>', lt + 9);
        if (e < 0) return { offset: lt, message: 'unterminated CDATA section' };
        h.cdata?.(lt + 9, e);
        i = e + 3;
      } else {
        return { offset: lt, message: 'markup declaration outside a DTD' };
      }
    } else {
      let j = lt + 1;
      while (j < n) {
        const ch = text.charCodeAt(j);
        if (ch === 0x20 || ch === 0x09 || ch === 0x0a || ch === 0x0d || ch === 0x2f || ch === 0x3e) break;
        j++;
      }
      if (j === lt + 1) return { offset: lt, message: "'<' not followed by a name" };
      const name = text.slice(lt + 1, j);
      const attrsStart = j;
      let quote = 0;
      for (; j < n; j++) {
        const ch = text.charCodeAt(j);
        if (quote !== 0) {
          if (ch === quote) quote = 0;
        } else if (ch === 0x22 || ch === 0x27) quote = ch;
        else if (ch === 0x3e) break;
      }
      if (j >= n) return { offset: lt, message: 'unterminated start tag' };
      const selfClosing = j > attrsStart && text.charCodeAt(j - 1) === 0x2f;
      const attrsEnd = selfClosing ? j - 1 : j;
      if (h.start !== undefined && h.start(name, attrsStart, attrsEnd, selfClosing, lt) === false) {
        return { offset: lt, message: 'stopped' };
      }
      i = j + 1;
    }
  }
  return undefined;
}

function trimEndSpace(text: string, start: number, end: number): string {
  let e = end;
  while (e > start) {
    const ch = text.charCodeAt(e - 1);
    if (ch !== 0x20 && ch !== 0x09 && ch !== 0x0a && ch !== 0x0d) break;
    e--;
  }
  return text.slice(start, e);
}
