import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isHubError } from '../../../../src/shared/errors.js';
import { allocate, type Claimant, type FairnessPolicyId } from '../../../../src/tps/fairness/index.js';

const SECTION: Claimant[] = [
  { assetId: 'C', party: 'agg-1', capacityW: 20_000, scheduledW: [40_000, undefined] },
  { assetId: 'A', party: 'agg-1', capacityW: 50_000, scheduledW: 10_000 },
  { assetId: 'B', party: 'brp-2', capacityW: 30_000 },
];

describe('allocate: result shape', () => {
  it('returns the claimants sorted by assetId with the shares aligned to that order', () => {
    const a = allocate('pro-rata-capacity', [60_000, 0], SECTION);
    assert.equal(a.policy, 'pro-rata-capacity');
    assert.deepEqual(
      a.claimants.map((c) => c.assetId),
      ['A', 'B', 'C'],
    );
    assert.deepEqual(a.intervals, [
      { totalW: 60_000, shares: [30_000, 18_000, 12_000] },
      { totalW: 0, shares: [0, 0, 0] },
    ]);
  });

  it('sorts assetIds by code point, so the astral character comes after U+FF21 (unlike the < operator)', () => {
    const ids = ['\u{1F600}', '\uFF21', 'a', 'Z'];
    const claimants = ids.map((assetId) => ({ assetId, party: 'p', capacityW: 10 }));
    const a = allocate('equal-per-asset', [3], claimants);
    assert.deepEqual(
      a.claimants.map((c) => c.assetId),
      ['Z', 'a', '\uFF21', '\u{1F600}'],
    );
    // Four quotas of 3/4: the three first in that order get the units.
    assert.deepEqual(a.intervals[0]?.shares, [1, 1, 1, 0]);
  });

  it('gives each party only its own assets, one share per interval', () => {
    const a = allocate('max-min-fair', [30_000, 60_000], SECTION);
    // Interval 1 demands A 10, B 30 (no schedule: capacity), C 20 kW → λ = 10 kW each.
    // Interval 2 demands A 10, B 30, C 20 (no schedule in that interval: capacity) → exactly met.
    assert.deepEqual(a.sharesOf('agg-1'), [
      { assetId: 'A', sharesW: [10_000, 10_000] },
      { assetId: 'C', sharesW: [10_000, 20_000] },
    ]);
    assert.deepEqual(a.sharesOf('brp-2'), [{ assetId: 'B', sharesW: [10_000, 30_000] }]);
    assert.deepEqual(a.sharesOf('nobody'), []);
  });

  it('repeats the result of an equal total only where the schedules allow it', () => {
    // pro-rata-schedule reads C's per-interval schedule: the same 40 kW limit gives different shares.
    const a = allocate('pro-rata-schedule', [40_000, 40_000], SECTION);
    // Interval 1: A and C get their schedules (10 kW; 40 capped at 20), the 10 kW rest goes by headroom A 40 : B 30.
    assert.deepEqual(a.intervals[0]?.shares, [15_714, 4_286, 20_000]);
    // Interval 2: only A is scheduled (10 kW); the 30 kW rest goes by headroom 40 : 30 : 20.
    assert.deepEqual(a.intervals[1]?.shares, [23_333, 10_000, 6_667]);
    // Without per-interval schedules an equal total gives an equal interval.
    const b = allocate('max-min-fair', [40_000, 40_000], SECTION.slice(1));
    assert.deepEqual(b.intervals[0], b.intervals[1]);
    assert.deepEqual(b.intervals[0]?.shares, [10_000, 30_000]);
  });

  it('does not depend on the input order', () => {
    for (const policy of ['pro-rata-capacity', 'equal-per-asset', 'pro-rata-schedule', 'max-min-fair'] as FairnessPolicyId[]) {
      const a = allocate(policy, [33_333, 77_777], SECTION);
      const b = allocate(policy, [33_333, 77_777], [...SECTION].reverse());
      assert.deepEqual(b.claimants, a.claimants, policy);
      assert.deepEqual(b.intervals, a.intervals, policy);
    }
  });

  it('returns read-only arrays', () => {
    const a = allocate('equal-per-asset', [10, 20], SECTION);
    assert.ok(Object.isFrozen(a.claimants) && Object.isFrozen(a.intervals) && Object.isFrozen(a.intervals[0]?.shares));
  });
});

describe('allocate: invalid input', () => {
  const bad = (policy: string, totals: unknown, claimants: unknown): (() => unknown) => {
    return () => allocate(policy as FairnessPolicyId, totals as number[], claimants as Claimant[]);
  };
  const refused = (fn: () => unknown, message: RegExp): void => {
    assert.throws(fn, (e: unknown) => isHubError(e, 'TPS_FAIRNESS_INPUT') && message.test(e.message));
  };
  const asset = (extra: Record<string, unknown>): Record<string, unknown> => ({ assetId: 'A', party: 'p', capacityW: 10, ...extra });

  it('refuses an unknown policy', () => {
    refused(bad('round-robin', [1], []), /unknown fairness policy "round-robin"/);
  });

  it('refuses no intervals, and a limit that is negative, fractional, not finite or not a number', () => {
    refused(bad('equal-per-asset', [], []), /at least one interval/);
    refused(bad('equal-per-asset', undefined, []), /at least one interval/);
    for (const t of [-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '5'])
      refused(bad('equal-per-asset', [10, t], []), /totalsW\[1\] must be a non-negative integer/);
  });

  it('refuses a capacity that is negative, fractional or not finite', () => {
    for (const capacityW of [-1, 1.5, Number.NaN, Number.NEGATIVE_INFINITY, undefined])
      refused(bad('equal-per-asset', [10], [asset({ capacityW })]), /asset A: capacityW must be a non-negative integer/);
  });

  it('refuses a duplicate assetId, also when another party lists it', () => {
    refused(bad('equal-per-asset', [10], [asset({}), asset({ party: 'q' })]), /asset A is listed more than once/);
  });

  it('refuses an empty or missing assetId or party, and a claimant that is not an object', () => {
    refused(bad('equal-per-asset', [10], [asset({ assetId: '' })]), /claimants\[0\]\.assetId/);
    refused(bad('equal-per-asset', [10], [asset({ party: undefined })]), /party must be a non-empty string/);
    refused(bad('equal-per-asset', [10], [null]), /claimants\[0\] must be an object/);
    refused(bad('equal-per-asset', [10], 'A'), /claimants must be an array/);
  });

  it('refuses a schedule with the wrong number of intervals or a bad figure, whatever the policy', () => {
    for (const policy of ['pro-rata-capacity', 'max-min-fair']) {
      refused(bad(policy, [10, 10], [asset({ scheduledW: [1] })]), /scheduledW has 1 entries for 2 interval/);
      refused(bad(policy, [10, 10], [asset({ scheduledW: [1, -2] })]), /scheduledW\[1\] must be a non-negative integer/);
      refused(bad(policy, [10, 10], [asset({ scheduledW: 2.5 })]), /scheduledW must be a non-negative integer/);
      refused(bad(policy, [10, 10], [asset({ scheduledW: '5' })]), /scheduledW must be a number or an array/);
    }
  });

  it('refuses capacities or schedules that add up past 2^53 − 1 W', () => {
    const huge = Number.MAX_SAFE_INTEGER - 1;
    refused(bad('equal-per-asset', [10], [asset({ capacityW: huge }), asset({ assetId: 'B', capacityW: huge })]), /capacities add up/);
    refused(bad('equal-per-asset', [10], [asset({ scheduledW: huge }), asset({ assetId: 'B', scheduledW: [huge] })]), /schedules add up/);
  });
});
