import type { FairnessPolicy, IntervalInput, IntervalResult } from '../types.js';
import { addInto, sum, waterFill } from '../water-fill.js';

/**
 * `max-min-fair` — water-filling on demand, then on the remaining headroom.
 *
 * demandᵢ = min(sᵢ, capᵢ), or capᵢ when the asset has no schedule in the interval (a schedule of 0 is a
 * demand of 0). Stage 1 raises one level λ for everybody and gives shareᵢ ≈ min(demandᵢ, λ): nobody gets
 * more than their demand while somebody else gets less than an equal share. Stage 2, when the limit exceeds
 * Σ demand: every asset has its demand and the rest is water-filled the same way on the remaining headroom
 * capᵢ − demandᵢ (equal extra for everybody, capped at capacity). Σ shares = min(total, Σ cap).
 *
 * Max-min property (to 1 W of rounding): in stage 1, shareₐ + 1 < share_b implies shareₐ = demandₐ; in stage
 * 2, every share ≥ its demand and extraₐ + 1 < extra_b implies shareₐ = capₐ. Without any schedule this
 * policy gives the same numbers as `equal-per-asset` (demand = capacity); it is not marked as a fallback.
 */
export const maxMinFair = {
  id: 'max-min-fair',
  title: 'Max-min fair',
  description:
    'Water-filling on demand (the schedule, capped at capacity; the capacity where there is no schedule): nobody gets more than their demand while another gets less than an equal share. ' +
    'What is left once every demand is met is water-filled on the remaining capacity.',
  needsSchedules: true,
  allocateInterval: allocateMaxMinFair,
} satisfies FairnessPolicy;

function allocateMaxMinFair({ totalW, capacityW, scheduledW }: IntervalInput): IntervalResult {
  const demands = capacityW.map((c, i) => Math.min(scheduledW[i] ?? c, c));
  const shares = waterFill(totalW, 'equal', demands);
  const rest = Math.min(totalW, sum(capacityW)) - sum(shares);
  if (rest > 0) {
    const headroom = capacityW.map((c, i) => c - (shares[i] ?? 0));
    addInto(shares, waterFill(rest, 'equal', headroom));
  }
  return { shares };
}
