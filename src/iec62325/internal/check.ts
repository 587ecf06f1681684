/**
 * Model checks shared by the builders (and run by the parsers on what they read): every problem is collected
 * with its field path, so one HubError can list them all.
 */
import { HubError } from '../../shared/errors.js';
import { firstInvalidXmlChar } from '../../xml/index.js';
import { isCode, isStandardCode, type CodeListName } from '../codelists/index.js';
import { decimalProblem, floatProblem, type FloatLexical } from '../decimal.js';
import type { CodedId, Participant, Period, Reason } from '../model.js';
import {
  curvePeriodProblems,
  dateProblem,
  esmpDateTimeProblem,
  timeIntervalProblems,
  timeOfDayProblem,
  type TimeInterval,
} from '../time.js';

/** One thing wrong with a model, at a field path such as `timeSeries[2].period[0].point[5].quantity`. */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

export const join = (path: string, field: string): string =>
  path === '' ? field : field.startsWith('[') ? `${path}${field}` : `${path}.${field}`;

/** Characters, as XSD length facets count them (code points, not UTF-16 units). */
const charLength = (s: string): number => [...s].length;

/** ESMPVersion_String: [1-9]([0-9]){0,2}. */
export const MAX_REVISION = 999;

/**
 * 'emit': what the hub writes; code values must be STANDARD ENTSO-E codes, because everything the hub emits
 * must be valid against the official schemas with the unmodified code lists (docs/iec62325-profile.md, rule 0).
 * 'accept': what the hub reads; a code may also be a local-extension code, as our schemas accept it.
 */
export type CheckMode = 'emit' | 'accept';

export class Checker {
  readonly problems: Problem[] = [];

  constructor(readonly mode: CheckMode) {}

  add(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  /** False (and a problem) when the value is missing. */
  present(path: string, value: unknown): boolean {
    if (value === undefined || value === null) {
      this.add(path, 'is required');
      return false;
    }
    return true;
  }

  /** A string value: required or optional, length limit, no characters XML cannot carry. */
  string(
    path: string,
    value: unknown,
    o: { readonly required: boolean; readonly max?: number; readonly nonEmpty?: boolean; readonly type?: string },
  ): void {
    if (value === undefined || value === null) {
      if (o.required) this.add(path, 'is required');
      return;
    }
    if (typeof value !== 'string') {
      this.add(path, `must be a string, got ${typeof value}`);
      return;
    }
    if (o.nonEmpty === true && value.trim() === '') {
      this.add(path, 'must not be empty');
      return;
    }
    const bad = firstInvalidXmlChar(value);
    if (bad >= 0) {
      const cp = value.codePointAt(bad) ?? 0;
      this.add(path, `contains U+${cp.toString(16).toUpperCase().padStart(4, '0')} at index ${bad}, which XML 1.0 cannot carry`);
      return;
    }
    const len = charLength(value);
    if (o.max !== undefined && len > o.max) {
      this.add(path, `is ${len} characters long; at most ${o.max} are allowed${o.type === undefined ? '' : ` (${o.type})`}`);
    }
  }

  /** A required identifier (ID_String and friends): non-empty, at most `max` characters. */
  id(path: string, value: unknown, max: number, type = 'ID_String'): void {
    this.string(path, value, { required: true, nonEmpty: true, max, type: `${type}, max ${max}` });
  }

  /** Free text; `max` when the schema limits it. */
  text(path: string, value: unknown, required: boolean, max?: number, type?: string): void {
    this.string(path, value, { required, ...(max !== undefined && { max }), ...(type !== undefined && { type }) });
  }

  /** A value of an ENTSO-E code list. */
  code(path: string, list: CodeListName, value: unknown, required = true): void {
    if (value === undefined || value === null) {
      if (required) this.add(path, 'is required');
      return;
    }
    if (typeof value !== 'string') {
      this.add(path, `must be a string, got ${typeof value}`);
      return;
    }
    if (!isCode(list, value)) this.add(path, `'${value}' is not a code of ${list} (ENTSO-E code list)`);
    else if (this.mode === 'emit' && !isStandardCode(list, value)) {
      this.add(
        path,
        `'${value}' is a local extension code of ${list}; the hub emits standard ENTSO-E codes only (valid against the official schemas)`,
      );
    }
  }

  /** A value that must equal a fixed one (XSD `fixed`). */
  fixed(path: string, value: unknown, expected: string): void {
    if (value !== expected) this.add(path, `must be ${expected}, got ${JSON.stringify(value)}`);
  }

  codedId(path: string, value: CodedId | undefined, max: number, type: string, required = true): void {
    if (value === undefined || value === null) {
      if (required) this.add(path, 'is required');
      return;
    }
    this.id(join(path, 'mRID'), value.mRID, max, type);
    this.code(join(path, 'codingScheme'), 'CodingSchemeTypeList', value.codingScheme);
  }

  /** sender / receiver: PartyID_String (max 16) + codingScheme + role. */
  participant(path: string, value: Partial<Participant> | undefined, roleRequired = true): void {
    if (!this.present(path, value) || value === undefined) return;
    this.id(join(path, 'mRID'), value.mRID, 16, 'PartyID_String');
    this.code(join(path, 'codingScheme'), 'CodingSchemeTypeList', value.codingScheme);
    this.code(join(path, 'role'), 'RoleTypeList', value.role, roleRequired);
  }

  esmpDateTime(path: string, value: unknown, required = true): void {
    if (!this.typed(path, value, required)) return;
    const p = esmpDateTimeProblem(value);
    if (p !== undefined) this.add(path, p);
  }

  date(path: string, value: unknown, required = true): void {
    if (!this.typed(path, value, required)) return;
    const p = dateProblem(value);
    if (p !== undefined) this.add(path, p);
  }

  time(path: string, value: unknown, required = true): void {
    if (!this.typed(path, value, required)) return;
    const p = timeOfDayProblem(value);
    if (p !== undefined) this.add(path, p);
  }

  interval(path: string, value: TimeInterval | undefined): void {
    if (!this.present(path, value) || value === undefined) return;
    for (const p of timeIntervalProblems(value)) this.add(p.field === '' ? path : join(path, p.field), p.message);
  }

  /** revisionNumber / version: ESMPVersion_String, 1 … 999. */
  revision(path: string, value: unknown, required = true): void {
    if (value === undefined || value === null) {
      if (required) this.add(path, 'is required');
      return;
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_REVISION) {
      this.add(path, `${JSON.stringify(value)} is not a revision number: an integer 1–${MAX_REVISION} (ESMPVersion_String)`);
    }
  }

  decimal(path: string, value: unknown, required = true): void {
    if (!this.typed(path, value, required)) return;
    const p = decimalProblem(value);
    if (p !== undefined) this.add(path, p);
  }

  float(path: string, value: unknown, lexical: FloatLexical, required = true): void {
    if (!this.typed(path, value, required)) return;
    const p = floatProblem(value, lexical);
    if (p !== undefined) this.add(path, p);
  }

  /** An array with at least `min` items; returns it (or [] when it is missing or not an array). */
  list<T>(path: string, value: readonly T[] | undefined, min: 0 | 1, what: string): readonly T[] {
    if (value === undefined || value === null) {
      if (min > 0) this.add(path, `at least one ${what} is required (1..n)`);
      return [];
    }
    const items: unknown = value;
    if (!Array.isArray(items)) {
      this.add(path, 'must be an array');
      return [];
    }
    if (value.length < min) this.add(path, `is empty; at least one ${what} is required (1..n)`);
    return value;
  }

  /** A field this version of the document cannot carry. */
  notInVersion(path: string, value: unknown, why: string): void {
    if (value === undefined || value === null) return;
    if (Array.isArray(value) && value.length === 0) return;
    this.add(path, why);
  }

  reason(path: string, value: Reason | undefined): void {
    if (!this.present(path, value) || value === undefined) return;
    this.code(join(path, 'code'), 'ReasonCodeTypeList', value.code);
    this.text(join(path, 'text'), value.text, false, 512, 'ReasonText_String');
  }

  reasons(path: string, value: readonly Reason[] | undefined, min: 0 | 1): void {
    this.list(path, value, min, 'Reason').forEach((r, i) => this.reason(`${path}[${i}]`, r));
  }

  /** A Series_Period; `secondaryQuantity` says whether its Point may carry one (GL: yes, outage: no). */
  period(path: string, value: Period | undefined, secondaryQuantity: boolean): void {
    if (!this.present(path, value) || value === undefined) return;
    this.interval(join(path, 'timeInterval'), value.timeInterval);
    const resolutionGiven = this.typed(join(path, 'resolution'), value.resolution, true);
    const points = this.list(join(path, 'point'), value.point, 1, 'Point');
    points.forEach((pt, i) => {
      const pp = join(path, `point[${i}]`);
      if (!this.present(pp, pt)) return;
      this.decimal(join(pp, 'quantity'), pt.quantity);
      if (secondaryQuantity) this.decimal(join(pp, 'secondaryQuantity'), pt.secondaryQuantity, false);
      else this.notInVersion(join(pp, 'secondaryQuantity'), pt.secondaryQuantity, 'this document has no secondaryQuantity');
    });
    // Timing (time.ts): resolution supported (and dividing the interval, in what the hub emits), positions
    // inside the interval and increasing.
    // Interval problems were reported above already.
    if (value.timeInterval !== undefined && value.timeInterval !== null && resolutionGiven && Array.isArray(value.point)) {
      for (const p of curvePeriodProblems(value, { wholeBlocks: this.mode === 'emit' }))
        if (!p.path.startsWith('timeInterval')) this.add(join(path, p.path), p.message);
    }
  }

  private typed(path: string, value: unknown, required: boolean): value is string {
    if (value === undefined || value === null) {
      if (required) this.add(path, 'is required');
      return false;
    }
    if (typeof value !== 'string') {
      this.add(path, `must be a string, got ${typeof value}`);
      return false;
    }
    return true;
  }
}

/** Throws IEC_DOCUMENT_INVALID listing every problem with its field path, when there is one. */
export function throwIfProblems(what: string, problems: readonly Problem[]): void {
  if (problems.length === 0) return;
  const n = problems.length;
  throw new HubError(
    'IEC_DOCUMENT_INVALID',
    `${what} cannot be built: ${n} problem${n === 1 ? '' : 's'}:\n${problems.map((p) => `- ${p.path}: ${p.message}`).join('\n')}`,
    { problems: problems.map((p) => ({ path: p.path, message: p.message })) },
  );
}
