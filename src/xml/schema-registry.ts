/**
 * Which XSD validates which document. `SchemaRegistry.fromDirectories(dirs)` scans every `*.xsd`
 * below the given directories, summarises each cheaply (targetNamespace, global elements,
 * includes; no compiling), and keys every *entry* schema by (namespace, global root element):
 *
 * - An entry schema is one that no other scanned schema includes (xs:include/redefine/override).
 *   Its root elements are the global elements of its whole include closure, in its namespace
 *   (included no-namespace parts are "chameleons", W3C XSD 1.0 Part 1 §4.2.1).
 * - IEC 62325 schemas have one targetNamespace each; UFTP schemas have none and are keyed by
 *   their root element names only.
 * - When several entry schemas declare the same root, the first wins by: order of the
 *   directories given, then shallower path below its directory, then the schema declaring more
 *   roots (UFTP's role entry schemas overlap: UFTP-agr.xsd over UFTP-cro.xsd), then path order.
 *
 * Schemas are compiled lazily, once, on first use (≈1–80 ms each) and cached, failures included;
 * `close()` frees them all.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { HubError } from '../shared/errors.js';
import type { Result } from '../shared/result.js';
import { fail, ok } from '../shared/result.js';
import { CompiledSchema } from './compiled-schema.js';
import { compareIecVersions, isIecNamespace, parseIecNamespace } from './iec-namespace.js';
import { xmlIssue, type XmlIssue } from './issue.js';
import { summarizeXsd, type XsdSummary } from './xsd-summary.js';

export type XmlFamily = 'iec62325' | 'uftp' | 'other';

export interface SchemaInfo {
  /** The entry schema file (absolute path). */
  readonly path: string;
  /** The scanned directory it was found under. */
  readonly directory: string;
  readonly targetNamespace: string | null;
  /** Global elements of the schema and everything it includes: the documents it validates. */
  readonly rootElements: readonly string[];
  readonly family: XmlFamily;
  /**
   * IEC 62325: 'major:minor' from the targetNamespace. UFTP: the nearest directory below the
   * scanned one named like a version ('3.1.0'), else null.
   */
  readonly version: string | null;
}

export interface Detection {
  /** The root element's local name, e.g. 'GL_MarketDocument', 'FlexOffer'. */
  readonly documentType: string;
  readonly version: string | null;
  readonly family: XmlFamily;
  readonly schema: SchemaInfo;
}

export interface ScanWarning {
  readonly path: string;
  readonly reason: string;
}

const VERSION_DIR = /^v?(\d+\.\d+(?:\.\d+)?)$/;
const key = (ns: string, name: string): string => `${ns}\u0000${name}`;

function listXsdFiles(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) listXsdFiles(p, out);
    else if (entry.isFile() && entry.name.toLowerCase().endsWith('.xsd')) out.push(p);
  }
}

function readText(path: string): string {
  const text = readFileSync(path, 'utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function includeClosure(entry: XsdSummary, byPath: ReadonlyMap<string, XsdSummary>): string[] {
  const names: string[] = [];
  const seenNames = new Set<string>();
  const visited = new Set<string>();
  const toVisit: XsdSummary[] = [entry];
  while (toVisit.length > 0) {
    const s = toVisit.pop();
    if (s === undefined || visited.has(s.path)) continue;
    visited.add(s.path);
    for (const n of s.globalElements) {
      if (!seenNames.has(n)) {
        seenNames.add(n);
        names.push(n);
      }
    }
    for (const inc of s.includes) {
      const t = byPath.get(inc);
      if (t !== undefined) toVisit.push(t);
    }
  }
  return names;
}

function versionFromPath(dir: string, path: string): string | null {
  const parts = relative(dir, path).split(sep).slice(0, -1).reverse();
  for (const p of parts) {
    const m = VERSION_DIR.exec(p);
    if (m !== null) return m[1] ?? null;
  }
  return null;
}

function classify(
  targetNamespace: string | null,
  rootElements: readonly string[],
  dir: string,
  path: string,
): Pick<SchemaInfo, 'family' | 'version'> {
  if (targetNamespace !== null && isIecNamespace(targetNamespace)) {
    return { family: 'iec62325', version: parseIecNamespace(targetNamespace)?.version ?? null };
  }
  if (targetNamespace === null && rootElements.includes('SignedMessage')) {
    return { family: 'uftp', version: versionFromPath(dir, path) };
  }
  return { family: 'other', version: versionFromPath(dir, path) };
}

export class SchemaRegistry {
  private readonly byRoot = new Map<string, SchemaInfo[]>();
  private readonly compiled = new Map<string, Result<CompiledSchema, XmlIssue>>();
  private closed = false;

  private constructor(
    /** Entry schemas, in priority order. */
    readonly schemas: readonly SchemaInfo[],
    /** Files skipped while scanning (not a schema, unreadable) and missing include/import targets. */
    readonly warnings: readonly ScanWarning[],
  ) {
    for (const s of schemas) {
      for (const root of s.rootElements) {
        const k = key(s.targetNamespace ?? '', root);
        const list = this.byRoot.get(k);
        if (list === undefined) this.byRoot.set(k, [s]);
        else list.push(s);
      }
    }
  }

  /** Scans the directories (recursively, in the order given). Throws INPUT_UNREADABLE for a missing directory. */
  static fromDirectories(dirs: readonly string[]): SchemaRegistry {
    const warnings: ScanWarning[] = [];
    const ranked: { info: SchemaInfo; dirIndex: number; depth: number }[] = [];
    dirs.forEach((d, dirIndex) => {
      const dir = resolve(d);
      try {
        if (!statSync(dir).isDirectory()) throw new Error('not a directory');
      } catch (e) {
        throw new HubError('INPUT_UNREADABLE', `schema directory ${d} cannot be read: ${(e as Error).message}`, { path: d });
      }
      const files: string[] = [];
      listXsdFiles(dir, files);
      const byPath = new Map<string, XsdSummary>();
      for (const f of files) {
        let r: ReturnType<typeof summarizeXsd>;
        try {
          r = summarizeXsd(f, readText(f));
        } catch (e) {
          warnings.push({ path: f, reason: `cannot be read: ${(e as Error).message}` });
          continue;
        }
        if (r.ok) byPath.set(f, r.summary);
        else warnings.push({ path: f, reason: r.reason });
      }
      for (const s of byPath.values()) {
        for (const dep of [...s.includes, ...s.imports]) {
          if (!byPath.has(dep) && !existsSync(dep))
            warnings.push({ path: s.path, reason: `includes or imports ${dep}, which does not exist` });
        }
      }
      const included = new Set<string>();
      for (const s of byPath.values()) for (const inc of s.includes) if (inc !== s.path) included.add(inc);
      for (const s of byPath.values()) {
        if (included.has(s.path)) continue;
        const rootElements = includeClosure(s, byPath);
        const info: SchemaInfo = {
          path: s.path,
          directory: dir,
          targetNamespace: s.targetNamespace,
          rootElements,
          ...classify(s.targetNamespace, rootElements, dir, s.path),
        };
        ranked.push({ info, dirIndex, depth: relative(dir, s.path).split(sep).length });
      }
    });
    ranked.sort(
      (a, b) =>
        a.dirIndex - b.dirIndex ||
        a.depth - b.depth ||
        b.info.rootElements.length - a.info.rootElements.length ||
        (a.info.path < b.info.path ? -1 : a.info.path > b.info.path ? 1 : 0),
    );
    return new SchemaRegistry(
      ranked.map((r) => r.info),
      warnings,
    );
  }

  /**
   * Which document a root element and its namespace (null or '' for none) are. Unknown pairs are
   * XML_UNKNOWN_DOCUMENT; a known IEC 62325 root in a namespace version we have no schema for is
   * XML_UNSUPPORTED_VERSION naming the versions we have. Issues carry no line: the caller knows it.
   */
  detect(root: string, ns: string | null): Result<Detection, XmlIssue> {
    this.assertOpen();
    const namespace = ns ?? '';
    const schema = this.byRoot.get(key(namespace, root))?.[0];
    if (schema !== undefined) {
      return ok({ documentType: root, version: schema.version, family: schema.family, schema });
    }
    const iec = parseIecNamespace(namespace);
    if (iec !== undefined) {
      const versions = new Set<string>();
      for (const s of this.schemas) {
        const other = s.targetNamespace === null ? undefined : parseIecNamespace(s.targetNamespace);
        if (other?.base === iec.base && s.rootElements.includes(root)) versions.add(other.version);
      }
      if (versions.size > 0) {
        const list = [...versions].sort(compareIecVersions).join(', ');
        return fail(
          xmlIssue(
            'XML_UNSUPPORTED_VERSION',
            `${root} version ${iec.version} (namespace ${namespace}) is not supported; supported version${versions.size > 1 ? 's' : ''}: ${list}`,
          ),
        );
      }
    }
    const where = namespace === '' ? 'in no namespace' : `in namespace ${namespace}`;
    return fail(xmlIssue('XML_UNKNOWN_DOCUMENT', `no known schema declares the root element ${root} ${where}`));
  }

  /** The compiled schema, compiling it on first use; a schema that fails to compile fails every time. */
  compiledSchema(schema: SchemaInfo): Result<CompiledSchema, XmlIssue> {
    this.assertOpen();
    let r = this.compiled.get(schema.path);
    if (r === undefined) {
      r = CompiledSchema.compile(schema.path);
      this.compiled.set(schema.path, r);
    }
    return r;
  }

  /** Frees every compiled schema. The registry cannot be used afterwards. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const r of this.compiled.values()) if (r.ok) r.value.dispose();
    this.compiled.clear();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('SchemaRegistry is closed');
  }
}
