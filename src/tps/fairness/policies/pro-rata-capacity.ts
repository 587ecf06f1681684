import type { FairnessPolicy, IntervalInput } from '../types.js';
import { waterFill } from '../water-fill.js';

/**
 * `pro-rata-capacity` — the DREM proof of concept. Each asset's share is proportional to its registered
 * capacity in the affected section: shareᵢ ≈ total · capᵢ / Σ cap. If the limit covers the whole
 * capacity (total ≥ Σ cap), every asset gets its capacity and the rest of the limit is unused (it cannot
 * be used). Σ shares = min(total, Σ cap). Schedules are ignored.
 */
export const proRataCapacity = {
  id: 'pro-rata-capacity',
  title: 'Pro rata to capacity',
  description:
    'Each asset gets a share of the limit proportional to its registered capacity in the affected section (the DREM proof of concept); ' +
    'if the limit covers all capacity, every asset gets its capacity.',
  needsSchedules: false,
  allocateInterval: (input: IntervalInput) => ({ shares: proRataCapacityShares(input) }),
} satisfies FairnessPolicy;

/** Also the fallback of `pro-rata-schedule` when nobody has a schedule. */
export function proRataCapacityShares({ totalW, capacityW }: IntervalInput): number[] {
  // Weight = cap: every asset reaches its cap at the same level λ = 1, so this is plain proportionality.
  return waterFill(totalW, capacityW, capacityW);
}
