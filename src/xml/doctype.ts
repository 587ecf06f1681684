/**
 * Document type declarations are refused outright (XML 1.0 §2.8 doctypedecl). Without a DTD there
 * are no entity declarations (§4.2), so external entities (XXE), external DTD subsets and
 * entity-expansion bombs ("billion laughs") cannot exist. We refuse instead of stripping: a
 * sender that relies on its DTD would otherwise get a silently different document.
 *
 * The check is a plain search anywhere in the text. A `<!DOCTYPE` inside a comment or CDATA
 * section is harmless to a parser but never appears in IEC 62325 or UFTP messages, so refusing it
 * too keeps the rule simple and impossible to bypass.
 */
import { xmlIssue, type XmlIssue } from './issue.js';
import { positionAt } from './position.js';

export function checkNoDoctype(text: string): XmlIssue | undefined {
  const at = text.indexOf('<!DOCTYPE');
  if (at < 0) return undefined;
  const { line, column } = positionAt(text, at);
  return xmlIssue(
    'XML_DOCTYPE_FORBIDDEN',
    'DOCTYPE declarations are not accepted (no DTDs, no entity declarations); remove the <!DOCTYPE …> declaration',
    line,
    column,
  );
}
