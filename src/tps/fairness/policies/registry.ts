import type { FairnessPolicy, FairnessPolicyId } from '../types.js';
import { equalPerAsset } from './equal-per-asset.js';
import { maxMinFair } from './max-min-fair.js';
import { proRataCapacity } from './pro-rata-capacity.js';
import { proRataSchedule } from './pro-rata-schedule.js';

/** Every policy, by id; the mapped type makes a missing or mislabelled entry a compile error. */
const BY_ID: { readonly [K in FairnessPolicyId]: FairnessPolicy & { readonly id: K } } = {
  'pro-rata-capacity': proRataCapacity,
  'equal-per-asset': equalPerAsset,
  'pro-rata-schedule': proRataSchedule,
  'max-min-fair': maxMinFair,
};

/** The policies in presentation order. */
export const POLICIES: readonly FairnessPolicy[] = Object.freeze(Object.values(BY_ID));

export function isFairnessPolicy(x: unknown): x is FairnessPolicyId {
  return typeof x === 'string' && Object.hasOwn(BY_ID, x);
}

export function policyById(id: FairnessPolicyId): FairnessPolicy {
  return BY_ID[id];
}
