import type { FairnessPolicy, IntervalInput, IntervalResult } from '../types.js';
import { addInto, sum, waterFill } from '../water-fill.js';
import { proRataCapacityShares } from './pro-rata-capacity.js';

/**
 * `pro-rata-schedule` — shares follow the operational plans.
 *
 * Stage 1: the limit is shared in proportion to each asset's scheduled use sᵢ in the interval, up to
 * demandᵢ = min(sᵢ, capᵢ); what an asset scheduled beyond its capacity cannot take is shared again in
 * proportion to the others' schedules: shareᵢ ≈ min(demandᵢ, λ·sᵢ). An asset without a schedule (or with
 * schedule 0) gets nothing in this stage.
 *
 * Stage 2: yes, capacity is handed out beyond the schedules. If the limit exceeds Σ demand, every asset has
 * its demand and the rest of the limit is shared pro rata to the remaining capacity headroom capᵢ − demandᵢ
 * of all assets, scheduled or not. So Σ shares = min(total, Σ cap), as for every policy.
 *
 * Fallback: when there are claimants but none has a schedule in the interval, the interval is allocated by
 * `pro-rata-capacity` and marked `fallback: 'pro-rata-capacity'` (numerically that is what stage 2 gives
 * anyway). Schedules that are all 0 are schedules: no fallback mark, though the numbers are the same.
 */
export const proRataSchedule = {
  id: 'pro-rata-schedule',
  title: 'Pro rata to schedule',
  description:
    "Each asset gets a share proportional to its scheduled use in the interval, up to its schedule and capacity; what is left is shared pro rata to the assets' remaining capacity. " +
    'Assets without a schedule get only from that rest; if no asset has a schedule, the interval is shared pro rata to capacity.',
  needsSchedules: true,
  allocateInterval: allocateProRataSchedule,
} satisfies FairnessPolicy;

function allocateProRataSchedule(input: IntervalInput): IntervalResult {
  const { totalW, capacityW, scheduledW } = input;
  if (scheduledW.length > 0 && scheduledW.every((s) => s === undefined))
    return { shares: proRataCapacityShares(input), fallback: 'pro-rata-capacity' };
  const weights = scheduledW.map((s) => s ?? 0);
  const demands = weights.map((s, i) => Math.min(s, capacityW[i] ?? 0));
  const shares = waterFill(totalW, weights, demands);
  const rest = Math.min(totalW, sum(capacityW)) - sum(shares);
  if (rest > 0) {
    // Every demand is met (stage 1 only falls short of the limit when it has run out of demand).
    const headroom = capacityW.map((c, i) => c - (shares[i] ?? 0));
    addInto(shares, waterFill(rest, headroom, headroom));
  }
  return { shares };
}
