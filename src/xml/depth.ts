/**
 * Nesting-depth limit, checked by a cheap pre-scan before libxml2 builds a tree (libxml2's own
 * limit is 256 levels, far more than any IEC 62325 or UFTP document needs). The root element is
 * depth 1. A scan that cannot finish (malformed markup) is not an error here: libxml2 reports it
 * precisely afterwards, and never nests deeper than 256 on its own.
 */
import { xmlIssue, type XmlIssue } from './issue.js';
import { positionAt } from './position.js';
import { scanTags } from './tag-scanner.js';

export function checkDepth(text: string, maxDepth: number): XmlIssue | undefined {
  let depth = 0;
  let tooDeepAt = -1;
  let tooDeepName = '';
  scanTags(text, {
    start(name, _attrsStart, _attrsEnd, selfClosing, offset) {
      if (depth + 1 > maxDepth) {
        tooDeepAt = offset;
        tooDeepName = name;
        return false;
      }
      if (!selfClosing) depth++;
      return true;
    },
    end() {
      if (depth > 0) depth--;
      return true;
    },
  });
  if (tooDeepAt < 0) return undefined;
  const { line, column } = positionAt(text, tooDeepAt);
  return tooDeepIssue(tooDeepName, maxDepth, line, column);
}

export function tooDeepIssue(name: string, maxDepth: number, line: number | null, column: number | null): XmlIssue {
  return xmlIssue('XML_TOO_DEEP', `element <${name}> is nested ${maxDepth + 1} levels deep; the limit is ${maxDepth}`, line, column);
}
