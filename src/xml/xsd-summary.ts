/**
 * A cheap summary of one XSD file, read with the tag scanner instead of compiling it: its
 * targetNamespace, its global element declarations (W3C XML Schema 1.0 Part 1 §3.3.2: element
 * declarations that are children of <schema>), and the files it pulls in with <include>,
 * <redefine> or <override> (same or no namespace, §4.2.1) and <import> (another namespace, §4.2.3).
 * Compiling is libxml2's job and happens lazily, once, in the registry.
 */
import { dirname, resolve } from 'node:path';
import { splitAttributes } from './attributes.js';
import { decodeAttribute } from './entities.js';
import { scanTags } from './tag-scanner.js';

export const XSD_NS = 'http://www.w3.org/2001/XMLSchema';

export interface XsdSummary {
  readonly path: string;
  /** null when the schema has no targetNamespace (e.g. UFTP). */
  readonly targetNamespace: string | null;
  readonly globalElements: readonly string[];
  /** Absolute paths of schemas included (include/redefine/override); remote locations are skipped. */
  readonly includes: readonly string[];
  /** Absolute paths of schemas imported with a local schemaLocation. */
  readonly imports: readonly string[];
}

export type SummaryResult = { readonly ok: true; readonly summary: XsdSummary } | { readonly ok: false; readonly reason: string };

function attributeMap(text: string, start: number, end: number): Map<string, string> {
  const m = new Map<string, string>();
  for (const a of splitAttributes(text, start, end)) m.set(a.qname, decodeAttribute(a.raw));
  return m;
}

function localPath(from: string, location: string | undefined): string | undefined {
  if (location === undefined || location === '') return undefined;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(location)) {
    return location.startsWith('file://') ? new URL(location).pathname : undefined;
  }
  return resolve(dirname(from), location);
}

/** `text` is the schema file's content (BOM removed). */
export function summarizeXsd(path: string, text: string): SummaryResult {
  let depth = 0;
  let xsdPrefix: string | undefined;
  let targetNamespace: string | null = null;
  let sawRoot = false;
  const globalElements: string[] = [];
  const includes: string[] = [];
  const imports: string[] = [];
  let rootProblem: string | undefined;

  const problem = scanTags(text, {
    start(qname, attrsStart, attrsEnd, selfClosing, _offset) {
      depth++;
      const colon = qname.indexOf(':');
      const prefix = colon < 0 ? '' : qname.slice(0, colon);
      const local = colon < 0 ? qname : qname.slice(colon + 1);
      if (depth === 1) {
        sawRoot = true;
        const attrs = attributeMap(text, attrsStart, attrsEnd);
        const boundTo = attrs.get(prefix === '' ? 'xmlns' : `xmlns:${prefix}`);
        if (local !== 'schema' || boundTo !== XSD_NS) {
          rootProblem = `root element <${qname}> is not an XML Schema <schema>`;
          return false;
        }
        xsdPrefix = prefix;
        targetNamespace = attrs.get('targetNamespace') ?? null;
      } else if (depth === 2 && prefix === xsdPrefix) {
        if (local === 'element') {
          const name = attributeMap(text, attrsStart, attrsEnd).get('name');
          if (name !== undefined) globalElements.push(name);
        } else if (local === 'include' || local === 'redefine' || local === 'override') {
          const p = localPath(path, attributeMap(text, attrsStart, attrsEnd).get('schemaLocation'));
          if (p !== undefined) includes.push(p);
        } else if (local === 'import') {
          const p = localPath(path, attributeMap(text, attrsStart, attrsEnd).get('schemaLocation'));
          if (p !== undefined) imports.push(p);
        }
      }
      if (selfClosing) depth--;
      return true;
    },
    end() {
      depth--;
      return true;
    },
  });
  if (rootProblem !== undefined) return { ok: false, reason: rootProblem };
  if (problem !== undefined) return { ok: false, reason: `not well-formed near offset ${problem.offset}: ${problem.message}` };
  if (!sawRoot) return { ok: false, reason: 'no root element' };
  return { ok: true, summary: { path, targetNamespace, globalElements, includes, imports } };
}
