/** Public and policy-facing types of the fairness filter; see index.ts for the design. */

/** How a capacity limit is divided among the affected assets. The registry (policies/registry.ts) lists them. */
export type FairnessPolicyId = 'pro-rata-capacity' | 'equal-per-asset' | 'pro-rata-schedule' | 'max-min-fair';

/** One affected asset. All figures are non-negative integer watts in the limit's direction. */
export interface Claimant {
  /** Unique among the claimants of one allocation. */
  readonly assetId: string;
  /** The aggregator / BRP that operates the asset; it receives only its own assets' shares. */
  readonly party: string;
  /** Registered capacity of the asset in the affected section, the same in every interval. */
  readonly capacityW: number;
  /**
   * Scheduled use from the operational plans: one number for every interval, or one entry per interval
   * (same length as the totals) where `undefined` means "no schedule in this interval". Read only by the
   * policies that need schedules; validated always.
   */
  readonly scheduledW?: number | readonly (number | undefined)[];
}

export interface IntervalAllocation {
  /** The limit of this interval, as given. */
  readonly totalW: number;
  /** One integer share per claimant, aligned with `Allocation.claimants` (the sorted order). */
  readonly shares: readonly number[];
  /** Set when the policy could not apply its own rule in this interval and used another one instead. */
  readonly fallback?: FairnessPolicyId;
}

export interface PartyShare {
  readonly assetId: string;
  /** One share per interval, in W. */
  readonly sharesW: number[];
}

export interface Allocation {
  readonly policy: FairnessPolicyId;
  /** The claimants sorted by assetId, then party (code-point order); the index order of every `shares`. */
  readonly claimants: readonly Claimant[];
  readonly intervals: readonly IntervalAllocation[];
  /** The shares of one party's assets (sorted by assetId), one entry per interval; [] for a party with no asset. */
  sharesOf(party: string): PartyShare[];
}

/** What a policy sees of one interval: arrays aligned with the sorted claimants, already validated. */
export interface IntervalInput {
  readonly totalW: number;
  readonly capacityW: readonly number[];
  /** The schedule of each claimant in this interval, `undefined` where it has none. */
  readonly scheduledW: readonly (number | undefined)[];
}

export interface IntervalResult {
  /** Integer shares, aligned with the input arrays; Σ ≤ totalW, each ≤ its capacity. */
  readonly shares: number[];
  readonly fallback?: FairnessPolicyId;
}

/** A registry entry: the data the UI and callers read, and the computation. */
export interface FairnessPolicy {
  readonly id: FairnessPolicyId;
  readonly title: string;
  readonly description: string;
  /** The policy reads `scheduledW`: callers should load the operational plans before allocating. */
  readonly needsSchedules: boolean;
  allocateInterval(input: IntervalInput): IntervalResult;
}
