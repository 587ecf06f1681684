/**
 * Time in IEC 62325-451 documents, all UTC (European style market profile, IEC 62325-351):
 *
 * - `ESMP_DateTime` (createdDateTime, …): `YYYY-MM-DDThh:mm:ssZ`: UTC, whole seconds, no fraction.
 * - `YMDHM_DateTime` (timeInterval start/end): `YYYY-MM-DDThh:mmZ`: UTC, whole minutes, no seconds.
 * - `resolution` (xs:duration): the size of one position of a period, e.g. PT15M, PT60M, P1D, P7D.
 * - A period's positions are numbered from 1: position p covers
 *   [start + (p−1)·resolution, start + p·resolution) (IEC 62325-351 Series_Period / Point).
 * - Curve types (CurveTypeList): A01 sequential fixed-size blocks (each point covers exactly its position),
 *   A03 variable-sized blocks (a point holds its value until the position of the next point, the last one
 *   until the end of the period).
 *
 * Because everything is UTC there is no daylight-saving time here: a CET/CEST day is 23, 24 or 25 hours long
 * only in local time; in a document it is simply an interval of 92, 96 or 100 PT15M positions.
 * Functions that take a value from outside throw `HubError('IEC_DOCUMENT_INVALID')` with a clear message;
 * the `…Problem` functions return that message (or undefined) for callers that collect problems.
 */
import { HubError } from '../shared/errors.js';
import { canonicalDecimal, isDecimal } from './decimal.js';

/** A time interval as written in a document: two YMDHM_DateTime strings. */
export interface TimeInterval {
  readonly start: string;
  readonly end: string;
}

/** A time interval as instants. */
export interface UtcInterval {
  readonly start: Date;
  readonly end: Date;
}

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;
/** Position_Integer: 1 … 999999 (IEC 62325-351). */
export const MAX_POSITION = 999_999;

function invalid(message: string): HubError {
  return new HubError('IEC_DOCUMENT_INVALID', message);
}

// ---------------------------------------------------------------------------------------------------------
// Date-times

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function utc(year: number, month: number, day: number, hour: number, minute: number, second: number): Date {
  const d = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps the years 0–99 to 1900–1999.
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * Every shape a date-time might come in, so that a wrong one gets a precise message: date, time with optional
 * seconds and fraction, optional zone (Z or ±hh:mm).
 */
const DATE_TIME_SHAPE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;

type Precision = 'seconds' | 'minutes';

const FORMS: Readonly<Record<Precision, { readonly type: string; readonly form: string; readonly example: string }>> = {
  seconds: { type: 'ESMP_DateTime', form: 'YYYY-MM-DDThh:mm:ssZ', example: '2026-03-01T10:15:00Z' },
  minutes: { type: 'YMDHM_DateTime', form: 'YYYY-MM-DDThh:mmZ', example: '2026-03-01T23:00Z' },
};

function formatInstant(d: Date, precision: Precision): string {
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return precision === 'seconds' ? `${date}T${time}:${pad(d.getUTCSeconds())}Z` : `${date}T${time}Z`;
}

function analyse(value: string, precision: Precision): { readonly instant: Date } | { readonly problem: string } {
  const f = FORMS[precision];
  const m = typeof value === 'string' ? DATE_TIME_SHAPE.exec(value) : null;
  if (m === null) {
    return { problem: `'${String(value)}' is not a ${f.type}: expected ${f.form} in UTC, e.g. ${f.example} (IEC 62325-351)` };
  }
  const [, ys = '', mos = '', ds = '', hs = '', mis = '', ss, fraction, zone] = m;
  const [year, month, day, hour, minute] = [ys, mos, ds, hs, mis].map(Number) as [number, number, number, number, number];
  const second = ss === undefined ? 0 : Number(ss);
  if (year === 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { problem: `'${value}' is not a calendar date: ${ys}-${mos}-${ds} does not exist` };
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return { problem: `'${value}' is not a valid time of day: hours 00–23, minutes and seconds 00–59` };
  }
  if (zone === undefined) {
    return { problem: `'${value}' has no time zone: ${f.type} is UTC and ends in Z (${f.form}, IEC 62325-351)` };
  }
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? 1 : -1;
    const offsetMinutes = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6));
    const inUtc = new Date(utc(year, month, day, hour, minute, second).getTime() + sign * offsetMinutes * MINUTE_MS);
    const hint =
      fraction === undefined && (precision === 'seconds' || ss === undefined) ? `; in UTC that is ${formatInstant(inUtc, precision)}` : '';
    return { problem: `'${value}' is not in UTC: ${f.type} ends in Z, not the offset ${zone} (IEC 62325-351)${hint}` };
  }
  if (fraction !== undefined) {
    return {
      problem: `'${value}' has a fraction of a second: ${f.type} has ${precision === 'seconds' ? 'whole seconds' : 'whole minutes'} only (${f.form})`,
    };
  }
  if (precision === 'seconds' && ss === undefined) {
    return { problem: `'${value}' has no seconds: ${f.type} is ${f.form}, e.g. ${f.example}` };
  }
  if (precision === 'minutes' && ss !== undefined) {
    return { problem: `'${value}' has seconds: a time-interval boundary (${f.type}) is ${f.form}, e.g. ${f.example}` };
  }
  return { instant: utc(year, month, day, hour, minute, second) };
}

/** Why `value` is not an ESMP_DateTime (`YYYY-MM-DDThh:mm:ssZ`), or undefined when it is one. */
export function esmpDateTimeProblem(value: string): string | undefined {
  const r = analyse(value, 'seconds');
  return 'problem' in r ? r.problem : undefined;
}

/** Parses an ESMP_DateTime (`YYYY-MM-DDThh:mm:ssZ`). Throws IEC_DOCUMENT_INVALID for anything else. */
export function parseEsmpDateTime(value: string): Date {
  const r = analyse(value, 'seconds');
  if ('problem' in r) throw invalid(r.problem);
  return r.instant;
}

function checkInstant(d: Date, precision: Precision): void {
  const f = FORMS[precision];
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw invalid(`an invalid Date cannot be written as ${f.type}`);
  const year = d.getUTCFullYear();
  if (year < 1 || year > 9999) throw invalid(`${d.toISOString()} is outside the years 0001–9999 that ${f.type} can hold`);
  if (d.getUTCMilliseconds() !== 0) throw invalid(`${d.toISOString()} has a fraction of a second: ${f.type} (${f.form}) has none`);
  if (precision === 'minutes' && d.getUTCSeconds() !== 0) {
    throw invalid(`${d.toISOString()} has seconds: a time-interval boundary (${f.type}) is ${f.form}`);
  }
}

/** Formats an instant as ESMP_DateTime. Throws when it has milliseconds (rounding would change the value). */
export function formatEsmpDateTime(d: Date): string {
  checkInstant(d, 'seconds');
  return formatInstant(d, 'seconds');
}

/** Why `value` is not a YMDHM_DateTime (`YYYY-MM-DDThh:mmZ`), or undefined when it is one. */
export function ymdhmProblem(value: string): string | undefined {
  const r = analyse(value, 'minutes');
  return 'problem' in r ? r.problem : undefined;
}

/** Parses a YMDHM_DateTime (`YYYY-MM-DDThh:mmZ`). Throws IEC_DOCUMENT_INVALID for anything else. */
export function parseYmdhm(value: string): Date {
  const r = analyse(value, 'minutes');
  if ('problem' in r) throw invalid(r.problem);
  return r.instant;
}

/** Formats an instant as YMDHM_DateTime. Throws when it has seconds or milliseconds. */
export function formatYmdhm(d: Date): string {
  checkInstant(d, 'minutes');
  return formatInstant(d, 'minutes');
}

/**
 * Why `value` is not a UTC calendar day as the `…_DateAndOrTime.date` elements hold it (xs:date: `YYYY-MM-DD`,
 * optionally `Z`; an offset is refused because the hub works in UTC only), or undefined.
 */
export function dateProblem(value: string): string | undefined {
  const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$/.exec(value) : null;
  if (m === null) return `'${String(value)}' is not a date: expected YYYY-MM-DD (xs:date), e.g. 2026-03-01`;
  const [, ys = '', mos = '', ds = '', zone] = m;
  const [year, month, day] = [ys, mos, ds].map(Number) as [number, number, number];
  if (year === 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return `'${value}' is not a calendar date: ${ys}-${mos}-${ds} does not exist`;
  if (zone !== undefined && zone !== 'Z')
    return `'${value}' is not in UTC: the offset ${zone} is not allowed (write the UTC date, optionally with Z)`;
  return undefined;
}

/**
 * Why `value` is not a UTC time of day as the `…_DateAndOrTime.time` elements hold it (xs:time restricted by
 * the hub to `hh:mm:ssZ`: UTC, whole seconds), or undefined.
 */
export function timeOfDayProblem(value: string): string | undefined {
  const m = typeof value === 'string' ? /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.exec(value) : null;
  if (m === null) return `'${String(value)}' is not a time of day: expected hh:mm:ssZ (xs:time in UTC), e.g. 07:00:00Z`;
  const [, hs = '', mis = '', ss = '', fraction, zone] = m;
  if (Number(hs) > 23 || Number(mis) > 59 || Number(ss) > 59)
    return `'${value}' is not a valid time of day: hours 00–23, minutes and seconds 00–59`;
  if (zone === undefined) return `'${value}' has no time zone: times are UTC and end in Z (hh:mm:ssZ)`;
  if (zone !== 'Z') return `'${value}' is not in UTC: times end in Z, not the offset ${zone}`;
  if (fraction !== undefined) return `'${value}' has a fraction of a second: times are hh:mm:ssZ, whole seconds`;
  return undefined;
}

/** Problems of a time interval, by field ('start', 'end'; '' for the interval as a whole). */
export function timeIntervalProblems(interval: TimeInterval): { readonly field: 'start' | 'end' | ''; readonly message: string }[] {
  const out: { field: 'start' | 'end' | ''; message: string }[] = [];
  const s = analyse(interval.start, 'minutes');
  const e = analyse(interval.end, 'minutes');
  if ('problem' in s) out.push({ field: 'start', message: s.problem });
  if ('problem' in e) out.push({ field: 'end', message: e.problem });
  if ('instant' in s && 'instant' in e && s.instant.getTime() >= e.instant.getTime()) {
    out.push({ field: '', message: `start ${interval.start} is not before end ${interval.end} (ESMP_DateTimeInterval)` });
  }
  return out;
}

/** Parses a time interval; start must be before end. */
export function parseTimeInterval(interval: TimeInterval): UtcInterval {
  const problems = timeIntervalProblems(interval);
  if (problems.length > 0) throw invalid(problems.map((p) => (p.field === '' ? p.message : `${p.field}: ${p.message}`)).join('; '));
  return { start: parseYmdhm(interval.start), end: parseYmdhm(interval.end) };
}

/** Formats a time interval (YMDHM_DateTime boundaries). */
export function formatTimeInterval(interval: UtcInterval): TimeInterval {
  const t = { start: formatYmdhm(interval.start), end: formatYmdhm(interval.end) };
  parseTimeInterval(t);
  return t;
}

/**
 * The `start/end` form of an interval (ISO 8601 §4.4.4.1), as the Transparency Platform's StatusRequest
 * `TimeInterval` attribute value carries it: `2026-03-01T23:00Z/2026-03-02T23:00Z`.
 */
export function parseIntervalString(value: string): TimeInterval {
  const parts = value.split('/');
  if (parts.length !== 2) throw invalid(`'${value}' is not a time interval: expected start/end, e.g. 2026-03-01T23:00Z/2026-03-02T23:00Z`);
  const t = { start: parts[0] ?? '', end: parts[1] ?? '' };
  parseTimeInterval(t);
  return t;
}

export function formatIntervalString(interval: TimeInterval): string {
  parseTimeInterval(interval);
  return `${interval.start}/${interval.end}`;
}

// ---------------------------------------------------------------------------------------------------------
// Resolutions (xs:duration)

/**
 * A supported resolution. `fixed`: a whole number of minutes that divides a day, or whole days (PT15M, PT60M,
 * PT1H, P1D, P7D). `calendar`: whole months or years, counted on the UTC calendar (P1M, P1Y).
 * `lexical` is the string as written (PT60M and PT1H are the same resolution, written differently).
 */
export type Resolution =
  | { readonly kind: 'fixed'; readonly minutes: number; readonly lexical: string }
  | { readonly kind: 'calendar'; readonly months: number; readonly lexical: string };

const RESOLUTION = /^P(?:([1-9]\d{0,5})Y|([1-9]\d{0,5})M|([1-9]\d{0,5})D|T([1-9]\d{0,5})H|T([1-9]\d{0,7})M)$/;
const SUPPORTED = 'PTnM or PTnH dividing a day (PT15M, PT30M, PT60M, PT1H), PnD (P1D, P7D), PnM (P1M) or PnY (P1Y)';

function analyseResolution(value: string): Resolution | { readonly problem: string } {
  const m = typeof value === 'string' ? RESOLUTION.exec(value) : null;
  if (m === null) {
    const v = String(value);
    let why = `it is not one of ${SUPPORTED}`;
    if (/^-/.test(v)) why = 'a resolution cannot be negative';
    else if (/^P(T0+[HMS]|0+[YMWD])$/.test(v) || /^PT?0+[HMS]?$/.test(v)) why = 'a resolution cannot be zero';
    else if (/W/.test(v)) why = `weeks (PnW) are not an xs:duration (XSD 1.0); write P7D; supported: ${SUPPORTED}`;
    else if (/T.*\d+(\.\d+)?S$/.test(v)) why = `second resolutions are not supported; supported: ${SUPPORTED}`;
    else if (/\./.test(v)) why = `fractions are not supported; supported: ${SUPPORTED}`;
    else if ((v.match(/\d+[YMDHS]/g) ?? []).length > 1)
      why = `only one component is supported (e.g. PT90M, not PT1H30M); supported: ${SUPPORTED}`;
    return { problem: `resolution '${v}' is not supported: ${why}` };
  }
  const [, y, mo, d, h, mi] = m;
  if (y !== undefined) return { kind: 'calendar', months: Number(y) * 12, lexical: value };
  if (mo !== undefined) return { kind: 'calendar', months: Number(mo), lexical: value };
  const minutes = d !== undefined ? Number(d) * DAY_MINUTES : h !== undefined ? Number(h) * 60 : Number(mi);
  if (minutes < DAY_MINUTES ? DAY_MINUTES % minutes !== 0 : minutes % DAY_MINUTES !== 0) {
    return {
      problem: `resolution '${value}' is not supported: ${minutes} minutes neither divide a day nor are whole days (supported: ${SUPPORTED})`,
    };
  }
  return { kind: 'fixed', minutes, lexical: value };
}

/** Why `value` is not a supported resolution, or undefined when it is one. */
export function resolutionProblem(value: string): string | undefined {
  const r = analyseResolution(value);
  return 'problem' in r ? r.problem : undefined;
}

/** Parses a resolution. Throws IEC_DOCUMENT_INVALID for an unsupported one (PT30S, P1W, PT1H30M, PT7M, …). */
export function parseResolution(value: string): Resolution {
  const r = analyseResolution(value);
  if ('problem' in r) throw invalid(r.problem);
  return r;
}

/** The usual ENTSO-E spelling: PTnM below a day (PT15M, PT60M), PnD for whole days, PnM / PnY for calendar ones. */
export function formatResolution(
  r: { readonly kind: 'fixed'; readonly minutes: number } | { readonly kind: 'calendar'; readonly months: number },
): string {
  const text =
    r.kind === 'fixed'
      ? r.minutes % DAY_MINUTES === 0
        ? `P${r.minutes / DAY_MINUTES}D`
        : `PT${r.minutes}M`
      : r.months % 12 === 0
        ? `P${r.months / 12}Y`
        : `P${r.months}M`;
  parseResolution(text);
  return text;
}

function asResolution(r: Resolution | string): Resolution {
  return typeof r === 'string' ? parseResolution(r) : r;
}

/** Adds `months` calendar months in UTC; the day of month is clamped (31 Jan + 1 month = 28/29 Feb). */
function addMonths(d: Date, months: number): Date {
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const day = Math.min(d.getUTCDate(), daysInMonth(year, month));
  return utc(year, month, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
}

/** `start` moved by `steps` resolutions. Calendar resolutions are counted from `start` (no drift from clamping). */
export function addResolution(start: Date, resolution: Resolution | string, steps: number): Date {
  const r = asResolution(resolution);
  if (!Number.isSafeInteger(steps)) throw new RangeError(`steps must be an integer, got ${steps}`);
  return r.kind === 'fixed' ? new Date(start.getTime() + steps * r.minutes * MINUTE_MS) : addMonths(start, steps * r.months);
}

function checkPosition(position: number): void {
  if (!Number.isInteger(position) || position < 1 || position > MAX_POSITION) {
    throw invalid(`position ${position} is not a Position_Integer (1–${MAX_POSITION})`);
  }
}

/** Start of a position: periodStart + (position − 1) · resolution. */
export function positionStart(periodStart: Date, resolution: Resolution | string, position: number): Date {
  checkPosition(position);
  return addResolution(periodStart, resolution, position - 1);
}

/** The interval a position covers: [start + (p−1)·r, start + p·r). */
export function positionInterval(periodStart: Date, resolution: Resolution | string, position: number): UtcInterval {
  checkPosition(position);
  return { start: addResolution(periodStart, resolution, position - 1), end: addResolution(periodStart, resolution, position) };
}

/**
 * The position whose block contains `instant` (the inverse of `positionStart` for instants on a block
 * boundary). Throws when `instant` is before the period start.
 */
export function positionAt(periodStart: Date, resolution: Resolution | string, instant: Date): number {
  const r = asResolution(resolution);
  const offset = instant.getTime() - periodStart.getTime();
  if (offset < 0) throw invalid(`${instant.toISOString()} is before the period start ${periodStart.toISOString()}`);
  let position: number;
  if (r.kind === 'fixed') {
    position = Math.floor(offset / (r.minutes * MINUTE_MS)) + 1;
  } else {
    // estimate from the month difference, then correct by at most a step either way
    const estimate = (instant.getUTCFullYear() - periodStart.getUTCFullYear()) * 12 + instant.getUTCMonth() - periodStart.getUTCMonth();
    let steps = Math.max(0, Math.floor(estimate / r.months) - 1);
    while (addResolution(periodStart, r, steps + 1).getTime() <= instant.getTime()) steps += 1;
    position = steps + 1;
  }
  checkPosition(position);
  return position;
}

/**
 * How many positions of `resolution` fill the interval exactly. Throws when the interval is not a whole
 * number of resolutions (PT15M over 10:00–10:20) or needs more than 999999 positions.
 */
export function pointCount(interval: TimeInterval | UtcInterval, resolution: Resolution | string): number {
  const r = asResolution(resolution);
  const { start, end } = isWritten(interval) ? parseTimeInterval(interval) : interval;
  const span = end.getTime() - start.getTime();
  if (span <= 0) throw invalid(`the interval ${start.toISOString()}–${end.toISOString()} is empty`);
  let count: number;
  if (r.kind === 'fixed') {
    const block = r.minutes * MINUTE_MS;
    if (span % block !== 0) {
      throw invalid(
        `the interval ${formatYmdhmLoose(start)}/${formatYmdhmLoose(end)} is not a whole number of ${r.lexical} (${span / MINUTE_MS} minutes)`,
      );
    }
    count = span / block;
  } else {
    count = positionAt(start, r, new Date(end.getTime() - 1));
    if (addResolution(start, r, count).getTime() !== end.getTime()) {
      throw invalid(`the interval ${formatYmdhmLoose(start)}/${formatYmdhmLoose(end)} is not a whole number of ${r.lexical}`);
    }
  }
  if (count > MAX_POSITION) throw invalid(`the interval needs ${count} positions of ${r.lexical}; at most ${MAX_POSITION} are possible`);
  return count;
}

function isWritten(interval: TimeInterval | UtcInterval): interval is TimeInterval {
  return typeof interval.start === 'string';
}

function formatYmdhmLoose(d: Date): string {
  return d.getUTCSeconds() === 0 && d.getUTCMilliseconds() === 0 ? formatInstant(d, 'minutes') : d.toISOString();
}

// ---------------------------------------------------------------------------------------------------------
// Curves

/** The parts of a Series_Period that time arithmetic needs (GL and Unavailability periods fit). */
export interface CurvePeriod {
  readonly timeInterval: TimeInterval;
  readonly resolution: string;
  readonly point: readonly { readonly position: number; readonly quantity: string }[];
}

/** One position of an expanded series. `quantity` is null where the document gives no value. */
export interface Block {
  readonly position: number;
  readonly start: Date;
  readonly end: Date;
  readonly quantity: string | null;
}

/** Curve types that describe blocks, and can therefore be expanded (CurveTypeList). */
export const BLOCK_CURVE_TYPES = ['A01', 'A03'] as const;
export type BlockCurveType = (typeof BLOCK_CURVE_TYPES)[number];

/**
 * Problems of a period's timing, by path relative to the period ('timeInterval.start', 'resolution',
 * 'point[3].position', …): a valid interval, a supported resolution, positions inside the interval and strictly
 * increasing (IEC 62325-351: points are given in position order, each at most once).
 * `wholeBlocks` (default true) also requires the interval to be a whole number of resolutions, which is what
 * the hub emits; documents it reads may end with a partial block (the official schemas do not forbid it), so
 * the parsers pass false.
 */
export function curvePeriodProblems(
  period: CurvePeriod,
  options: { readonly wholeBlocks?: boolean } = {},
): { readonly path: string; readonly message: string }[] {
  const out: { path: string; message: string }[] = [];
  for (const p of timeIntervalProblems(period.timeInterval))
    out.push({ path: p.field === '' ? 'timeInterval' : `timeInterval.${p.field}`, message: p.message });
  const r = analyseResolution(period.resolution);
  if ('problem' in r) out.push({ path: 'resolution', message: r.problem });
  let count: number | undefined;
  if (out.length === 0 && !('problem' in r)) {
    try {
      count =
        options.wholeBlocks === false ? positionsStarting(parseTimeInterval(period.timeInterval), r) : pointCount(period.timeInterval, r);
    } catch (e) {
      out.push({ path: 'resolution', message: e instanceof Error ? e.message : String(e) });
    }
  }
  let previous = 0;
  period.point.forEach((pt, i) => {
    const path = `point[${i}].position`;
    if (typeof pt !== 'object' || pt === null) return;
    if (!Number.isInteger(pt.position) || pt.position < 1 || pt.position > MAX_POSITION) {
      out.push({ path, message: `${pt.position} is not a Position_Integer (1–${MAX_POSITION})` });
      return;
    }
    if (count !== undefined && pt.position > count) {
      out.push({
        path,
        message: `position ${pt.position} is after the end of the period, which has ${count} positions of ${period.resolution}`,
      });
    }
    if (pt.position <= previous)
      out.push({ path, message: `position ${pt.position} does not follow position ${previous}: positions must increase` });
    previous = Math.max(previous, pt.position);
  });
  return out;
}

/** How many positions start inside the interval (the last one may end after it). */
function positionsStarting(interval: UtcInterval, r: Resolution): number {
  const count = positionAt(interval.start, r, new Date(interval.end.getTime() - 1));
  if (count > MAX_POSITION) throw invalid(`the interval needs ${count} positions of ${r.lexical}; at most ${MAX_POSITION} are possible`);
  return count;
}

/**
 * Expands a period into one block per position. A01: each point covers its own position; positions without a
 * point have no value (null; the Transparency Platform leaves them out). A03: each point holds its value until
 * the next point's position, the last one until the end of the period; positions before the first point have
 * no value (null). Throws IEC_DOCUMENT_INVALID for another curve type or a period whose timing is wrong.
 */
export function expandCurve(period: CurvePeriod, curveType: string): Block[] {
  if (!(BLOCK_CURVE_TYPES as readonly string[]).includes(curveType)) {
    throw invalid(`curve type ${curveType} cannot be expanded into blocks; supported: ${BLOCK_CURVE_TYPES.join(', ')}`);
  }
  const problems = curvePeriodProblems(period);
  if (problems.length > 0) throw invalid(problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  const r = parseResolution(period.resolution);
  const { start } = parseTimeInterval(period.timeInterval);
  const count = pointCount(period.timeInterval, r);
  const values: (string | null)[] = new Array<string | null>(count).fill(null);
  const points = period.point;
  points.forEach((pt, i) => {
    const next = curveType === 'A03' ? (points[i + 1]?.position ?? count + 1) : pt.position + 1;
    for (let p = pt.position; p < next; p++) values[p - 1] = pt.quantity;
  });
  return values.map((quantity, i) => ({ position: i + 1, ...positionInterval(start, r, i + 1), quantity }));
}

/**
 * The points of a full series (value i at position i+1): A01 gives every position, A03 only the positions where
 * the value changes (numerically: `1.50` after `1.5` is no change, and the first spelling is kept).
 */
export function compactCurve(values: readonly string[], curveType: BlockCurveType): { position: number; quantity: string }[] {
  if (values.length > MAX_POSITION) throw invalid(`${values.length} values need more than ${MAX_POSITION} positions`);
  if (curveType === 'A01') return values.map((quantity, i) => ({ position: i + 1, quantity }));
  const out: { position: number; quantity: string }[] = [];
  let last: string | undefined;
  values.forEach((quantity, i) => {
    const key = isDecimal(quantity) ? canonicalDecimal(quantity) : quantity;
    if (key !== last) out.push({ position: i + 1, quantity });
    last = key;
  });
  return out;
}
