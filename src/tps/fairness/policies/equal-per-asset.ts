import type { FairnessPolicy, IntervalInput } from '../types.js';
import { waterFill } from '../water-fill.js';

/**
 * `equal-per-asset` — every asset gets the same share λ, capped at its capacity; what a capped asset cannot
 * use is shared again equally among the others (water-filling on capacity): shareᵢ ≈ min(capᵢ, λ) with
 * Σ shares = min(total, Σ cap). Schedules are ignored. An asset of capacity 0 gets 0 and does not dilute
 * the others.
 */
export const equalPerAsset = {
  id: 'equal-per-asset',
  title: 'Equal per asset',
  description:
    'Every asset gets an equal share of the limit, capped at its capacity; what a capped asset cannot use is shared equally among the others.',
  needsSchedules: false,
  allocateInterval: ({ totalW, capacityW }: IntervalInput) => ({ shares: waterFill(totalW, 'equal', capacityW) }),
} satisfies FairnessPolicy;
