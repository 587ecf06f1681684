/**
 * Fairness filter of the Trade Permission System: divides a DSO capacity limit among the affected assets.
 *
 * A DSO sends a limit (W available in the limit's direction, one figure per 15-minute interval) for a set of
 * assets run by several aggregators / BRPs ("parties"). `allocate(policy, totalsW, claimants)` divides each
 * interval's limit among the assets by the chosen policy; each party is later sent only its own assets' shares
 * (`Allocation.sharesOf(party)`). Pure computation: no I/O, no clock, no randomness.
 *
 * Units. Integer watts throughout; callers convert kW ↔ W at the boundary. Every input figure must be a
 * non-negative safe integer; Σ capacity and each interval's Σ schedule must stay below 2^53.
 *
 * Policies (policies/*.ts; `FAIRNESS_POLICIES` is the table, read by code, UI and tests):
 * - `pro-rata-capacity`: ∝ registered capacity (the DREM proof of concept).
 * - `equal-per-asset`: equal split capped at capacity, the surplus shared again (water-filling on capacity).
 * - `pro-rata-schedule`: ∝ scheduled use up to schedule and capacity, then the rest ∝ remaining headroom;
 *   falls back to `pro-rata-capacity` (marked in the interval) when no asset has a schedule.
 * - `max-min-fair`: water-filling on demand = min(schedule ?? capacity, capacity), then on remaining headroom.
 *
 * Guarantees, for every policy and interval (the property test checks each of them):
 * - shares are non-negative integers, one per claimant, each ≤ the claimant's `capacityW`;
 * - Σ shares = min(total, Σ capacity): never more than the limit, and no capacity is left unused while some
 *   asset could still take more (every policy here hands out the whole limit it can; none wastes capacity);
 * - deterministic and independent of the claimants' input order: claimants are sorted once by assetId, then
 *   party, in Unicode code-point order (assetIds are unique, so party only makes the order total), and that
 *   order breaks every tie: of equal remainders, the lower assetId gets the extra watt;
 * - rounding is largest remainder (Hamilton): each policy defines exact rational quotas adding up to the
 *   integer target, every share is its quota rounded down or up, and the shares add up to the target exactly.
 *
 * Design. Every policy is one or two rounds of capped proportional water-filling (water-fill.ts):
 * shareᵢ = min(capᵢ, λ·weightᵢ) for the level λ that meets the target, computed exactly on integers (λ is a
 * fraction, products fall back to bigint past 2^53; exact.ts), then rounded by largest remainder
 * (largest-remainder.ts). A round costs one O(n log n) sort by saturation level plus linear work, so an
 * allocation is O(m · n log n) for m intervals and n claimants. When the result of an interval can only depend
 * on its total (the policy ignores schedules, or no schedule varies by interval), intervals with the same total
 * share one computed result.
 *
 * Invalid input (a negative, fractional or non-finite W figure, a duplicate or empty assetId, an empty party,
 * an unknown policy, no intervals, a `scheduledW` array whose length is not the number of intervals) throws
 * `HubError('TPS_FAIRNESS_INPUT')`. No claimants is valid: every interval then has empty shares. The result's
 * `claimants` are the caller's objects (sorted, not copied); its arrays are frozen.
 */
import { HubError } from '../../shared/errors.js';
import { compareCodePoints } from './exact.js';
import { isFairnessPolicy, POLICIES, policyById } from './policies/registry.js';
import type { Allocation, Claimant, FairnessPolicyId, IntervalAllocation, PartyShare } from './types.js';

export type { Allocation, Claimant, FairnessPolicyId, IntervalAllocation, PartyShare } from './types.js';
export { isFairnessPolicy } from './policies/registry.js';

/** A policy as the UI and callers see it. */
export interface FairnessPolicyInfo {
  readonly id: FairnessPolicyId;
  readonly title: string;
  readonly description: string;
  /** The policy reads `scheduledW`: load the operational plans before allocating with it. */
  readonly needsSchedules: boolean;
}

/** Every policy, in presentation order. */
export const FAIRNESS_POLICIES: readonly FairnessPolicyInfo[] = Object.freeze(
  POLICIES.map(({ id, title, description, needsSchedules }) => Object.freeze({ id, title, description, needsSchedules })),
);

/**
 * Divides each interval's limit `totalsW[j]` among `claimants` by `policy`. Throws
 * `HubError('TPS_FAIRNESS_INPUT')` on invalid input (see the module comment).
 */
export function allocate(policy: FairnessPolicyId, totalsW: readonly number[], claimants: readonly Claimant[]): Allocation {
  if (!isFairnessPolicy(policy)) fail(`unknown fairness policy ${JSON.stringify(policy)}`, { policy });
  const rule = policyById(policy);
  const m = checkTotals(totalsW);
  const sorted = checkClaimants(claimants, m);
  const capacityW = sorted.map((c) => c.capacityW);

  // Per-interval results depend on the total alone unless the policy reads a schedule that varies by interval.
  const byTotal =
    !rule.needsSchedules || sorted.every((c) => !Array.isArray(c.scheduledW)) ? new Map<number, IntervalAllocation>() : undefined;
  const schedules = rule.needsSchedules ? schedulesByInterval(sorted, m) : undefined;
  const noSchedules: readonly undefined[] = new Array<undefined>(sorted.length).fill(undefined);
  const intervals: IntervalAllocation[] = [];
  for (let j = 0; j < m; j++) {
    const totalW = totalsW[j] as number;
    const known = byTotal?.get(totalW);
    if (known !== undefined) {
      intervals.push(known);
      continue;
    }
    const scheduledW = schedules?.[j] ?? noSchedules;
    const { shares, fallback } = rule.allocateInterval({ totalW, capacityW, scheduledW });
    const interval: IntervalAllocation = Object.freeze(
      fallback === undefined ? { totalW, shares: Object.freeze(shares) } : { totalW, shares: Object.freeze(shares), fallback },
    );
    byTotal?.set(totalW, interval);
    intervals.push(interval);
  }

  const byParty = new Map<string, number[]>(); // party → indices of its assets, ascending
  sorted.forEach((c, i) => {
    const own = byParty.get(c.party);
    if (own === undefined) byParty.set(c.party, [i]);
    else own.push(i);
  });
  return {
    policy,
    claimants: Object.freeze(sorted),
    intervals: Object.freeze(intervals),
    sharesOf(party: string): PartyShare[] {
      const own = byParty.get(party) ?? [];
      const sharesW = own.map(() => new Array<number>(m));
      // Interval by interval, so each shares array is read front to back.
      for (let j = 0; j < m; j++) {
        const shares = (intervals[j] as IntervalAllocation).shares;
        for (let k = 0; k < own.length; k++) (sharesW[k] as number[])[j] = shares[own[k] as number] as number;
      }
      return own.map((i, k) => ({ assetId: (sorted[i] as Claimant).assetId, sharesW: sharesW[k] as number[] }));
    },
  };
}

/** The schedules transposed to one array per interval, aligned with the sorted claimants. */
function schedulesByInterval(sorted: readonly Claimant[], m: number): (number | undefined)[][] {
  const byInterval = Array.from({ length: m }, () => new Array<number | undefined>(sorted.length).fill(undefined));
  sorted.forEach((c, i) => {
    const s = c.scheduledW;
    if (s === undefined) return;
    for (let j = 0; j < m; j++) (byInterval[j] as (number | undefined)[])[i] = typeof s === 'number' ? s : s[j];
  });
  return byInterval;
}

const isWatts = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
const show = (x: unknown): string => (typeof x === 'number' ? String(x) : typeof x === 'string' ? JSON.stringify(x) : typeof x);

function fail(message: string, details?: Record<string, unknown>): never {
  throw new HubError('TPS_FAIRNESS_INPUT', message, details);
}

function checkTotals(totalsW: readonly number[]): number {
  const list: unknown = totalsW; // checked as unknown: the caller may not be typed
  if (!Array.isArray(list) || list.length === 0) fail('totalsW must list the limit of at least one interval');
  for (let j = 0; j < totalsW.length; j++) {
    const t: unknown = totalsW[j];
    if (!isWatts(t)) fail(`totalsW[${j}] must be a non-negative integer number of W, got ${show(t)}`, { interval: j });
  }
  return totalsW.length;
}

/** Validates the claimants and returns them sorted by assetId, then party (code-point order). */
function checkClaimants(claimants: readonly Claimant[], m: number): Claimant[] {
  const list: unknown = claimants; // checked as unknown: the caller may not be typed
  if (!Array.isArray(list)) fail('claimants must be an array');
  let capacitySum = 0;
  const scheduleSums = new Array<number>(m).fill(0);
  claimants.forEach((c: unknown, k) => {
    if (typeof c !== 'object' || c === null) fail(`claimants[${k}] must be an object`, { claimant: k });
    const { assetId, party, capacityW, scheduledW } = c as Record<string, unknown>;
    if (typeof assetId !== 'string' || assetId === '') fail(`claimants[${k}].assetId must be a non-empty string`, { claimant: k });
    const where = { claimant: k, assetId };
    if (typeof party !== 'string' || party === '') fail(`asset ${assetId}: party must be a non-empty string`, where);
    if (!isWatts(capacityW)) fail(`asset ${assetId}: capacityW must be a non-negative integer number of W, got ${show(capacityW)}`, where);
    capacitySum += capacityW;
    if (scheduledW === undefined) return;
    if (typeof scheduledW === 'number') {
      if (!isWatts(scheduledW))
        fail(`asset ${assetId}: scheduledW must be a non-negative integer number of W, got ${show(scheduledW)}`, where);
      for (let j = 0; j < m; j++) scheduleSums[j] = (scheduleSums[j] ?? 0) + scheduledW;
      return;
    }
    if (!Array.isArray(scheduledW)) fail(`asset ${assetId}: scheduledW must be a number or an array with one entry per interval`, where);
    if (scheduledW.length !== m) fail(`asset ${assetId}: scheduledW has ${scheduledW.length} entries for ${m} interval(s)`, where);
    for (let j = 0; j < m; j++) {
      const s: unknown = scheduledW[j];
      if (s === undefined) continue;
      if (!isWatts(s))
        fail(`asset ${assetId}: scheduledW[${j}] must be a non-negative integer number of W or undefined, got ${show(s)}`, where);
      scheduleSums[j] = (scheduleSums[j] ?? 0) + s;
    }
  });
  if (capacitySum > Number.MAX_SAFE_INTEGER) fail('the capacities add up to more than 2^53 − 1 W');
  if (scheduleSums.some((s) => s > Number.MAX_SAFE_INTEGER)) fail("an interval's schedules add up to more than 2^53 − 1 W");

  const sorted = [...claimants].sort((a, b) => compareCodePoints(a.assetId, b.assetId) || compareCodePoints(a.party, b.party));
  for (let i = 1; i < sorted.length; i++) {
    const id = (sorted[i] as Claimant).assetId;
    if (id === (sorted[i - 1] as Claimant).assetId) fail(`asset ${id} is listed more than once`, { assetId: id });
  }
  return sorted;
}
