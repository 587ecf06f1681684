/**
 * Reading a document's element tree into a model: children are taken in schema order (IEC 62325 schemas are
 * closed `xs:sequence`s, no `xs:any`), every element and value is checked, and every problem becomes an issue
 * with the line of the element and the model field path. After reading, the same checks the builders run
 * (`Checker`) are run on the model, and their problems get the line of the element they came from.
 */
import type { ErrorCode } from '../../shared/errors.js';
import type { Result } from '../../shared/result.js';
import { fail, ok } from '../../shared/result.js';
import { parseXml, type XmlElement, type XmlInput, type XmlIssue, type XmlLimits } from '../../xml/index.js';
import type { DocumentSpec, VersionBase } from '../documents.js';
import type { CodedId, Participant, Period, Point, Reason } from '../model.js';
import type { TimeInterval } from '../time.js';
import { join, type Problem } from './check.js';

/** A problem found while parsing: an XML issue plus, when known, the model field path. */
export interface IecIssue extends XmlIssue {
  readonly path: string | null;
}

/** What every parser accepts: XML text or bytes, or an element tree parsed before. */
export type IecInput = XmlInput | XmlElement;

export interface ParseOptions {
  /** Limits for parsing text (src/xml); ignored for an element tree. */
  readonly limits?: XmlLimits;
}

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

export function isElement(input: IecInput): input is XmlElement {
  return typeof input === 'object' && !(input instanceof Uint8Array) && 'children' in input;
}

export function fromXmlIssues(issues: readonly XmlIssue[]): IecIssue[] {
  return issues.map((i) => ({ ...i, path: null }));
}

/** Parses text (or takes the tree) and checks the root element against the document table. */
export function documentRoot<V extends VersionBase>(
  input: IecInput,
  spec: DocumentSpec<V>,
  options?: ParseOptions,
): Result<{ readonly root: XmlElement; readonly version: V }, IecIssue[]> {
  let root: XmlElement;
  if (isElement(input)) root = input;
  else {
    const parsed = parseXml(input, options?.limits);
    if (!parsed.ok) return fail(fromXmlIssues(parsed.error));
    root = parsed.value;
  }
  if (root.name !== spec.root) {
    return fail([issue('XML_UNKNOWN_DOCUMENT', root.line, null, `the root element is ${root.name}, not ${spec.root}`)]);
  }
  const version = spec.versions.find((v) => v.namespace === root.ns);
  if (version === undefined) {
    const known = root.ns.startsWith(`${spec.namespaceBase}:`);
    return fail([
      issue(
        known ? 'XML_UNSUPPORTED_VERSION' : 'XML_UNKNOWN_DOCUMENT',
        root.line,
        null,
        known
          ? `${spec.root} in namespace ${root.ns} is a version the hub does not accept; accepted: ${spec.versions.map((v) => v.version).join(', ')}`
          : `${spec.root} in namespace ${root.ns === '' ? '(none)' : root.ns} is not an ${spec.standard} document (expected ${spec.namespaceBase}:<version>)`,
      ),
    ]);
  }
  return ok({ root, version });
}

function issue(code: ErrorCode, line: number | null, path: string | null, message: string): IecIssue {
  return { code, line, column: null, message: path === null ? message : `${path}: ${message}`, path };
}

/** Collects issues and the line of every field path read. */
export class Reader {
  private readonly found: IecIssue[] = [];
  // The line of every field path read, in reading order (the first mark of a path wins). Two arrays, not a Map:
  // a large document marks hundreds of thousands of paths, and lines are only looked up when there is a problem.
  private readonly paths: string[] = [];
  private readonly pathLines: number[] = [];

  constructor(
    /** The document namespace: every element must be in it (elementFormDefault="qualified"). */
    readonly ns: string,
    /** 'GL_MarketDocument 3:0', for messages. */
    readonly label: string,
  ) {}

  get issues(): readonly IecIssue[] {
    return this.found;
  }

  issue(line: number | null, path: string, message: string): void {
    this.found.push(issue('IEC_DOCUMENT_INVALID', line, path, message));
  }

  mark(path: string, el: XmlElement): void {
    this.paths.push(path);
    this.pathLines.push(el.line);
  }

  private firstLine(path: string): number | undefined {
    const i = this.paths.indexOf(path);
    return i < 0 ? undefined : this.pathLines[i];
  }

  /** The line of a path, or of its nearest ancestor that was read. */
  lineOf(path: string): number | null {
    for (let p = path; p !== ''; p = parentPath(p)) {
      const line = this.firstLine(p);
      if (line !== undefined) return line;
    }
    return this.firstLine('') ?? null;
  }

  /** A complex element: no attributes (but xsi:*), no text; returns a cursor over its children. */
  complex(el: XmlElement, path: string, sequence: readonly string[]): Cursor {
    this.mark(path, el);
    this.checkAttributes(el, path, []);
    if (el.text.trim() !== '')
      this.issue(el.line, path, `<${el.name}> has text ${JSON.stringify(el.text.trim())}; it may only contain elements`);
    return new Cursor(this, el, path, sequence);
  }

  /** The exact character data of a simple element (xs:string: white space preserved). */
  string(el: XmlElement, path: string, attributes: readonly string[] = []): string {
    this.mark(path, el);
    this.checkAttributes(el, path, attributes);
    if (el.children.length > 0)
      this.issue(el.line, path, `<${el.name}> must contain text only, not the element <${el.children[0]?.name ?? ''}>`);
    return el.text;
  }

  /** A token (codes, dates, decimals: whiteSpace="collapse"): the trimmed text. */
  token(el: XmlElement, path: string, attributes: readonly string[] = []): string {
    return this.string(el, path, attributes).trim();
  }

  /** Point.position: Position_Integer (xs:integer). */
  integer(el: XmlElement, path: string): number {
    const t = this.token(el, path);
    if (!/^[+-]?\d+$/.test(t)) {
      this.issue(el.line, path, `'${t}' is not an integer`);
      return Number.NaN;
    }
    return Number(t);
  }

  /** revisionNumber / version: ESMPVersion_String [1-9]([0-9]){0,2}, an xs:string pattern (no trimming). */
  revision(el: XmlElement, path: string): number {
    const t = this.string(el, path);
    if (!/^[1-9][0-9]{0,2}$/.test(t)) {
      this.issue(el.line, path, `'${t}' is not a revision number (ESMPVersion_String: [1-9]([0-9]){0,2})`);
      return Number.NaN;
    }
    return Number(t);
  }

  /** An identifier with its required codingScheme attribute. */
  /** An identifier with its required codingScheme attribute; `path` is the CodedId's (`.mRID`, `.codingScheme`). */
  codedId(el: XmlElement, path: string): CodedId {
    this.mark(path, el);
    const mRID = this.string(el, join(path, 'mRID'), ['codingScheme']);
    return { mRID, codingScheme: this.requiredAttribute(el, path, 'codingScheme', 'codingScheme') };
  }

  /** A float with a fixed unit attribute (ESMP_ActivePower unit="MAW", ESMP_Voltage unit="KVT"). */
  withFixedUnit(el: XmlElement, path: string, unit: string): string {
    const value = this.token(el, path, ['unit']);
    const given = el.attrs.unit;
    if (given === undefined) this.issue(el.line, path, `<${el.name}> has no unit attribute; unit="${unit}" is required`);
    else if (given.trim() !== unit) this.issue(el.line, path, `<${el.name}> has unit="${given}"; the schema fixes it to ${unit}`);
    return value;
  }

  requiredAttribute(el: XmlElement, path: string, name: string, field: string): string {
    const v = el.attrs[name];
    if (v === undefined) {
      this.issue(el.line, join(path, field), `<${el.name}> has no ${name} attribute; it is required`);
      return '';
    }
    this.mark(join(path, field), el);
    return v.trim();
  }

  /**
   * Only the declared attributes. Of the XML Schema instance attributes (XSD 1.0 Part 1 §2.6), schemaLocation
   * hints and xsi:type are let through (xsi:type is judged by schema validation, validateXml, not here);
   * xsi:nil is refused because no element of these schemas is nillable (cvc-elt.3.1).
   */
  private checkAttributes(el: XmlElement, path: string, allowed: readonly string[]): void {
    for (const name of Object.keys(el.attrs)) {
      if (allowed.includes(name)) continue;
      if (name.startsWith(`{${XSI}}`) && name !== `{${XSI}}nil`) continue;
      const shown =
        name === `{${XSI}}nil`
          ? 'xsi:nil (no element of this document is nillable)'
          : `the attribute ${name}, which the schema does not declare`;
      this.issue(el.line, path, `<${el.name}> has ${shown}`);
    }
  }

  // --- shared ESMP structures -------------------------------------------------------------------------

  /** sender_/receiver_MarketParticipant.mRID + .marketRole.type, taken from a cursor. */
  participant(c: Cursor, prefix: 'sender' | 'receiver', path: string): Participant {
    const id = c.one(`${prefix}_MarketParticipant.mRID`, join(path, 'mRID'));
    const role = c.one(`${prefix}_MarketParticipant.marketRole.type`, join(path, 'role'));
    const coded = id === undefined ? { mRID: '', codingScheme: '' } : this.codedId(id, path);
    return { ...coded, role: role === undefined ? '' : this.token(role, join(path, 'role')) };
  }

  interval(el: XmlElement, path: string): TimeInterval {
    const c = this.complex(el, path, ['start', 'end']);
    const start = c.one('start', join(path, 'start'));
    const end = c.one('end', join(path, 'end'));
    c.end();
    return {
      start: start === undefined ? '' : this.token(start, join(path, 'start')),
      end: end === undefined ? '' : this.token(end, join(path, 'end')),
    };
  }

  reason(el: XmlElement, path: string): Reason {
    const c = this.complex(el, path, ['code', 'text']);
    const code = c.one('code', join(path, 'code'));
    const text = c.opt('text', join(path, 'text'));
    c.end();
    return compact({
      code: code === undefined ? '' : this.token(code, join(path, 'code')),
      text: text === undefined ? undefined : this.string(text, join(path, 'text')),
    });
  }

  reasons(c: Cursor, name: string, path: string, min: 0 | 1): Reason[] {
    return c.many(name, path, min).map((el, i) => this.reason(el, `${path}[${i}]`));
  }

  /** Series_Period: timeInterval, resolution, Point (position, quantity[, secondaryQuantity]). */
  period(el: XmlElement, path: string, secondaryQuantity: boolean): Period {
    const c = this.complex(el, path, ['timeInterval', 'resolution', 'Point']);
    const ti = c.one('timeInterval', join(path, 'timeInterval'));
    const res = c.one('resolution', join(path, 'resolution'));
    const points = c.many('Point', join(path, 'point'), 1);
    c.end();
    const pointFields = secondaryQuantity ? ['position', 'quantity', 'secondaryQuantity'] : ['position', 'quantity'];
    return {
      timeInterval: ti === undefined ? { start: '', end: '' } : this.interval(ti, join(path, 'timeInterval')),
      resolution: res === undefined ? '' : this.token(res, join(path, 'resolution')),
      point: points.map((p, i): Point => {
        const pp = join(path, `point[${i}]`);
        const pc = this.complex(p, pp, pointFields);
        const pos = pc.one('position', join(pp, 'position'));
        const qty = pc.one('quantity', join(pp, 'quantity'));
        const sec = secondaryQuantity ? pc.opt('secondaryQuantity', join(pp, 'secondaryQuantity')) : undefined;
        pc.end();
        return compact({
          position: pos === undefined ? Number.NaN : this.integer(pos, join(pp, 'position')),
          quantity: qty === undefined ? '' : this.token(qty, join(pp, 'quantity')),
          secondaryQuantity: sec === undefined ? undefined : this.token(sec, join(pp, 'secondaryQuantity')),
        });
      }),
    };
  }

  /**
   * The issues of reading plus the problems the model checks found, each problem at the line of its field.
   * A check problem at or below a path that already has a reading issue is dropped (it is the same fault).
   */
  finish<T>(model: T, problems: readonly Problem[]): Result<T, IecIssue[]> {
    const reported = new Set(this.found.map((i) => i.path).filter((p): p is string => p !== null));
    const covered = (path: string): boolean => {
      for (let p = path; p !== ''; p = parentPath(p)) if (reported.has(p)) return true;
      return false;
    };
    const all = [...this.found];
    for (const p of problems) if (!covered(p.path)) all.push(issue('IEC_DOCUMENT_INVALID', this.lineOf(p.path), p.path, p.message));
    return all.length === 0 ? ok(model) : fail(all);
  }
}

/** `a.b[2].c` → `a.b[2]` → `a.b` → `a` → ''. */
export function parentPath(path: string): string {
  if (path.endsWith(']')) return path.slice(0, path.lastIndexOf('['));
  const dot = path.lastIndexOf('.');
  return dot < 0 ? '' : path.slice(0, dot);
}

/**
 * Takes the children of one element in schema order. `sequence` lists the element names the schema allows
 * there, in order: a child whose name is not in it is reported as unexpected and skipped; a known child in the
 * wrong place stays, so the element expected here is reported missing and the misplaced one unexpected.
 */
export class Cursor {
  private i = 0;
  private readonly kids: readonly XmlElement[];

  constructor(
    private readonly r: Reader,
    private readonly el: XmlElement,
    private readonly path: string,
    private readonly sequence: readonly string[],
  ) {
    this.kids = el.children;
  }

  private skipUnknown(): void {
    for (;;) {
      const k = this.kids[this.i];
      if (k === undefined) return;
      if (k.ns === this.r.ns && this.sequence.includes(k.name)) return;
      this.unexpected(k);
      this.i += 1;
    }
  }

  private unexpected(k: XmlElement): void {
    const where = k.ns === this.r.ns ? '' : ` in namespace ${k.ns === '' ? '(none)' : k.ns}`;
    this.r.issue(k.line, this.path, `unexpected element <${k.name}>${where} in <${this.el.name}> (${this.r.label})`);
  }

  private take(name: string): XmlElement | undefined {
    this.skipUnknown();
    const k = this.kids[this.i];
    if (k !== undefined && k.name === name && k.ns === this.r.ns) {
      this.i += 1;
      return k;
    }
    return undefined;
  }

  /** A required element (minOccurs 1, maxOccurs 1). */
  one(name: string, path: string): XmlElement | undefined {
    const k = this.take(name);
    if (k === undefined) this.missing(name, path);
    else this.r.mark(path, k);
    return k;
  }

  /** An optional element (0..1). */
  opt(name: string, path: string): XmlElement | undefined {
    const k = this.take(name);
    if (k !== undefined) this.r.mark(path, k);
    return k;
  }

  /** A repeated element (min..n). */
  many(name: string, path: string, min: 0 | 1): XmlElement[] {
    const out: XmlElement[] = [];
    for (let k = this.take(name); k !== undefined; k = this.take(name)) {
      this.r.mark(`${path}[${out.length}]`, k);
      out.push(k);
    }
    if (out.length < min) this.missing(name, path);
    return out;
  }

  /** Reports every child that was not taken. */
  end(): void {
    for (; this.i < this.kids.length; this.i++) {
      const k = this.kids[this.i];
      if (k !== undefined) this.unexpected(k);
    }
  }

  private missing(name: string, path: string): void {
    const next = this.kids[this.i];
    const at = next === undefined ? `at the end of <${this.el.name}>` : `before <${next.name}>`;
    this.r.issue(next?.line ?? this.el.line, path, `missing element <${name}> ${at} (required by ${this.r.label})`);
  }
}

/** A copy of `o` without its undefined properties: parsers never set an absent optional field. */
export function compact<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}
