/**
 * Reading the JSON an AGR/BRP posts for an operational schedule (raml/tps.raml `ScheduleInput`):
 * the period, the resolution, day-ahead or intraday, and per asset one value per position in kW
 * (positive = production, negative = consumption; F8). Every problem is reported at once.
 */
import { formatYmdhm, parseResolution, pointCount } from '../../iec62325/index.js';
import { isHubError } from '../../shared/errors.js';
import { SCHEDULE_PROCESS, type ScheduleProcess } from '../../tps/profile/schedules.js';
import type { ItemProblem } from './asset-input.js';

export const MAX_SCHEDULE_ASSETS = 10_000;
const PROCESS: Record<string, ScheduleProcess> = { 'day-ahead': SCHEDULE_PROCESS.dayAhead, intraday: SCHEDULE_PROCESS.intraday };
const SIGNED = /^-?(0|[1-9][0-9]*)(\.[0-9]{1,3})?$/;
const FIELDS = new Set(['start', 'end', 'resolution', 'process', 'assets']);

export interface ScheduleInput {
  readonly start: string;
  readonly end: string;
  readonly resolution: string;
  readonly processType: ScheduleProcess;
  readonly series: readonly { readonly assetId: string; readonly points: readonly string[] }[];
}

/** A whole-minute UTC instant in ESMP's YYYY-MM-DDThh:mmZ form, or undefined. */
function minuteOf(v: unknown): string | undefined {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:00(\.0+)?)?Z$/.test(v)) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return undefined;
  try {
    return formatYmdhm(d);
  } catch {
    return undefined;
  }
}

/** A kW value as a canonical signed decimal (at most 3 decimals), or undefined. */
export function signedKw(v: unknown): string | undefined {
  const s = typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? v.trim() : '';
  if (!SIGNED.test(s)) return undefined;
  const [int = '0', frac = ''] = s.replace('-', '').split('.');
  const f = frac.replace(/0+$/, '');
  const body = f ? `${int}.${f}` : int;
  return s.startsWith('-') && body !== '0' ? `-${body}` : body;
}

export function readSchedule(body: unknown, problems: ItemProblem[]): ScheduleInput | undefined {
  const add = (item: number, field: string | undefined, message: string) => problems.push({ item, ...(field ? { field } : {}), message });
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    add(0, undefined, 'the body must be one schedule object');
    return undefined;
  }
  const v = body as Record<string, unknown>;
  for (const k of Object.keys(v)) if (!FIELDS.has(k)) add(0, k, 'is not a field of a schedule');
  const start = minuteOf(v.start);
  const end = minuteOf(v.end);
  if (!start) add(0, 'start', 'a UTC time on a whole minute, e.g. 2026-11-25T23:00Z');
  if (!end) add(0, 'end', 'a UTC time on a whole minute, e.g. 2026-11-26T23:00Z');
  const resolution = typeof v.resolution === 'string' ? v.resolution : 'PT15M';
  let count: number | undefined;
  try {
    parseResolution(resolution);
    if (start && end) count = pointCount({ start, end }, resolution);
  } catch (e) {
    add(0, isHubError(e) && start && end ? 'end' : 'resolution', (e as Error).message);
  }
  const processType = PROCESS[typeof v.process === 'string' ? v.process : 'day-ahead'];
  if (!processType) add(0, 'process', 'day-ahead or intraday');
  const assets = Array.isArray(v.assets) ? v.assets : undefined;
  if (!assets || assets.length === 0) add(0, 'assets', 'one or more {assetId, points}');
  else if (assets.length > MAX_SCHEDULE_ASSETS) add(0, 'assets', `at most ${MAX_SCHEDULE_ASSETS} assets per schedule`);
  const series: { assetId: string; points: string[] }[] = [];
  const seen = new Set<string>();
  (assets ?? []).slice(0, MAX_SCHEDULE_ASSETS).forEach((raw, item) => {
    const a = (raw ?? {}) as Record<string, unknown>;
    if (typeof a.assetId !== 'string' || a.assetId === '') return add(item, 'assetId', 'required');
    if (seen.has(a.assetId)) add(item, 'assetId', `${a.assetId} appears twice in this schedule`);
    seen.add(a.assetId);
    if (!Array.isArray(a.points)) return add(item, 'points', 'an array of kW values, one per position');
    if (count !== undefined && a.points.length !== count)
      add(item, 'points', `the period ${start ?? ''}/${end ?? ''} at ${resolution} has ${count} positions; got ${a.points.length} values`);
    const points = a.points.map(signedKw);
    const bad = points.findIndex((p) => p === undefined);
    if (bad >= 0) add(item, 'points', `value ${bad + 1} (${JSON.stringify(a.points[bad])}) is not a number of kW with at most 3 decimals`);
    else series.push({ assetId: a.assetId, points: points as string[] });
    return undefined;
  });
  if (problems.length || !start || !end || !processType) return undefined;
  return { start, end, resolution, processType, series };
}
