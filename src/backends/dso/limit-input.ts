/**
 * Reading the JSON a DSO posts for a capacity limit (raml/tps.raml `CapacityLimitInput`; F6):
 * foreseen — the affected assets or connection points, the capacity they may use (kW, one figure
 * or one per quarter hour) and the period; unforeseen — the affected assets, the action (start,
 * stop, hold) and when the grid is expected back to normal. Every problem is reported at once.
 */
import { formatYmdhm } from '../../iec62325/index.js';
import { isFairnessPolicy, type FairnessPolicyId } from '../../tps/fairness/index.js';
import { limitPositions, type Action, type Cause, type Direction, type LimitKind } from '../../tps/profile/capacity-limits.js';
import { decimalOf } from '../../tps/profile/units.js';
import type { ItemProblem } from '../agr/asset-input.js';

const FIELDS = new Set([
  'kind',
  'direction',
  'start',
  'end',
  'assets',
  'connectionPoints',
  'availableKw',
  'action',
  'policy',
  'cause',
  'text',
]);
export const MAX_AFFECTED = 100_000;

export interface LimitInput {
  readonly kind: LimitKind;
  readonly direction: Direction;
  readonly start: string;
  readonly end: string;
  readonly assets: readonly string[];
  readonly connectionPoints: readonly string[];
  /** kW per PT15M position. */
  readonly availableKw?: readonly string[];
  readonly action?: Action;
  readonly policy?: FairnessPolicyId;
  readonly cause: Cause;
  readonly text?: string;
}

/** A UTC time on a whole quarter hour, written YYYY-MM-DDThh:mmZ; undefined if not one. */
function quarterOf(v: unknown): string | undefined {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:00(\.0+)?)?Z$/.test(v)) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime()) || d.getTime() % (15 * 60_000) !== 0) return undefined;
  return formatYmdhm(d);
}

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined);

export function readLimit(body: unknown, problems: ItemProblem[]): LimitInput | undefined {
  const add = (field: string | undefined, message: string) => problems.push({ item: 0, ...(field ? { field } : {}), message });
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    add(undefined, 'the body must be one capacity limit object');
    return undefined;
  }
  const v = body as Record<string, unknown>;
  for (const k of Object.keys(v)) if (!FIELDS.has(k)) add(k, 'is not a field of a capacity limit');
  const kind = v.kind === 'foreseen' || v.kind === 'unforeseen' ? v.kind : undefined;
  if (!kind) add('kind', 'foreseen or unforeseen');
  const direction = v.direction === 'consumption' || v.direction === 'production' ? v.direction : undefined;
  if (!direction) add('direction', 'consumption or production: which use the limit restricts');
  const start = quarterOf(v.start);
  const end = quarterOf(v.end);
  if (!start) add('start', 'a UTC time on a whole quarter hour, e.g. 2026-11-26T16:00Z');
  if (!end) add('end', 'a UTC time on a whole quarter hour, after start');
  let n = 0;
  if (start && end) {
    if (end <= start) add('end', 'after start');
    else n = limitPositions(start, end);
  }
  const assets = v.assets === undefined ? [] : strings(v.assets);
  const cps = v.connectionPoints === undefined ? [] : strings(v.connectionPoints);
  if (!assets) add('assets', 'an array of asset IDs');
  if (!cps) add('connectionPoints', 'an array of connection points (GSRN/EAN-18)');
  if (assets && cps && assets.length + cps.length === 0) add('assets', 'a limit affects at least one asset or connection point');
  if ((assets?.length ?? 0) + (cps?.length ?? 0) > MAX_AFFECTED)
    add('assets', `at most ${MAX_AFFECTED} affected assets and connection points`);
  if (kind === 'unforeseen' && cps?.length) add('connectionPoints', 'an unforeseen limit names the affected assets');
  let availableKw: string[] | undefined;
  if (v.availableKw !== undefined) {
    const values = Array.isArray(v.availableKw) ? v.availableKw : n > 0 ? new Array<unknown>(n).fill(v.availableKw) : [v.availableKw];
    const read = values.map((x) => decimalOf(x));
    const bad = read.findIndex((x) => x === undefined);
    if (bad >= 0) add('availableKw', `value ${bad + 1} (${JSON.stringify(values[bad])}) is not a number of kW ≥ 0 with at most 3 decimals`);
    else if (n > 0 && read.length !== n)
      add('availableKw', `the period has ${n} quarter hours; give one value or ${n}, got ${read.length}`);
    else availableKw = read as string[];
  } else if (kind === 'foreseen') add('availableKw', 'a foreseen limit gives the capacity the assets may use (kW)');
  const action = v.action === 'start' || v.action === 'stop' || v.action === 'hold' ? v.action : undefined;
  if (kind === 'unforeseen' && !action) add('action', 'start, stop or hold');
  if (kind === 'foreseen' && v.action !== undefined) add('action', 'only an unforeseen limit has an action');
  if (v.policy !== undefined && !isFairnessPolicy(v.policy))
    add('policy', 'pro-rata-capacity, equal-per-asset, pro-rata-schedule or max-min-fair');
  const cause = v.cause ?? (kind === 'unforeseen' ? 'failure' : 'maintenance');
  if (cause !== 'maintenance' && cause !== 'congestion' && cause !== 'failure') add('cause', 'maintenance, congestion or failure');
  if (v.text !== undefined && (typeof v.text !== 'string' || v.text.length === 0 || v.text.length > 500)) add('text', '1–500 characters');
  if (problems.length || !kind || !direction || !start || !end || !assets || !cps) return undefined;
  return {
    kind,
    direction,
    start,
    end,
    assets,
    connectionPoints: cps,
    ...(availableKw ? { availableKw } : {}),
    ...(action ? { action } : {}),
    ...(isFairnessPolicy(v.policy) ? { policy: v.policy } : {}),
    cause: cause as Cause,
    ...(typeof v.text === 'string' ? { text: v.text } : {}),
  };
}
