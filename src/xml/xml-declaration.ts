/**
 * The encoding named in the XML declaration (XML 1.0 §2.8 XMLDecl, §4.3.3 EncodingDecl).
 * We accept UTF-8 only: a declaration naming anything else is refused rather than trusted,
 * because the bytes were already checked as UTF-8 and a parser honouring e.g. ISO-8859-1 would
 * read them differently. Encoding names are case-insensitive (§4.3.3).
 */
import { xmlIssue, type XmlIssue } from './issue.js';
import { positionAt } from './position.js';

/** `<?xml` followed by white space (§2.8: the declaration must be the very first thing). */
const DECL_START = /^<\?xml[\x20\t\r\n]/;
const ENCODING = /[\x20\t\r\n]encoding[\x20\t\r\n]*=[\x20\t\r\n]*(["'])([^"']*)\1/;

/** `text` is the decoded document without its byte-order mark. */
export function checkDeclaredEncoding(text: string): XmlIssue | undefined {
  if (!DECL_START.test(text)) return undefined;
  const end = text.indexOf('?>');
  const decl = end < 0 ? text.slice(0, 512) : text.slice(0, end);
  const m = ENCODING.exec(decl);
  if (m === null) return undefined;
  const name = m[2] ?? '';
  if (name.toLowerCase() === 'utf-8') return undefined;
  const { line, column } = positionAt(text, m.index + 1);
  return xmlIssue('XML_ENCODING_UNSUPPORTED', `the XML declaration names encoding "${name}"; only UTF-8 is accepted`, line, column);
}
