import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { allocate, FAIRNESS_POLICIES, isFairnessPolicy, type Claimant, type FairnessPolicyId } from '../../../../src/tps/fairness/index.js';

const kW = (x: number): number => Math.round(x * 1000);

/** The worked example: a section with three assets of 50/30/20 kW, scheduled 10/30/40 kW (C beyond its capacity). */
const SECTION: Claimant[] = [
  { assetId: 'A', party: 'agg-1', capacityW: kW(50), scheduledW: kW(10) },
  { assetId: 'B', party: 'brp-2', capacityW: kW(30), scheduledW: kW(30) },
  { assetId: 'C', party: 'agg-1', capacityW: kW(20), scheduledW: kW(40) },
];

/** Shares of one interval per limit, in kW. */
function sharesKw(policy: FairnessPolicyId, limitsKw: number[], claimants: Claimant[] = SECTION): number[][] {
  return allocate(policy, limitsKw.map(kW), claimants).intervals.map((iv) => iv.shares.map((w) => w / 1000));
}

describe('fairness policy registry', () => {
  it('lists each policy once, with a title, a description and whether it reads schedules', () => {
    assert.deepEqual(
      FAIRNESS_POLICIES.map((p) => [p.id, p.needsSchedules]),
      [
        ['pro-rata-capacity', false],
        ['equal-per-asset', false],
        ['pro-rata-schedule', true],
        ['max-min-fair', true],
      ],
    );
    for (const p of FAIRNESS_POLICIES) {
      assert.ok(p.title.length > 0 && p.description.length > 20, p.id);
      assert.ok(Object.isFrozen(p), p.id);
    }
  });

  it('recognises exactly the registered policy ids', () => {
    for (const p of FAIRNESS_POLICIES) assert.equal(isFairnessPolicy(p.id), true);
    for (const x of ['pro-rata', 'PRO-RATA-CAPACITY', '', 'toString', '__proto__', 1, undefined, null, {}])
      assert.equal(isFairnessPolicy(x), false, inspect(x));
  });
});

describe('pro-rata-capacity (the DREM proof of concept)', () => {
  it('shares the limit in proportion to capacity: 60 kW over 50/30/20 kW → 30/18/12 kW', () => {
    assert.deepEqual(sharesKw('pro-rata-capacity', [30, 60]), [
      [15, 9, 6],
      [30, 18, 12],
    ]);
  });

  it('gives every asset its capacity when the limit covers all of it, and ignores schedules', () => {
    assert.deepEqual(sharesKw('pro-rata-capacity', [100, 120]), [
      [50, 30, 20],
      [50, 30, 20],
    ]);
  });

  it('rounds by largest remainder: 5 W over 3/3/1 W → 2/2/1 (quotas 2 1/7, 2 1/7, 5/7)', () => {
    const claimants = [3, 3, 1].map((capacityW, i) => ({ assetId: `a${i}`, party: 'p', capacityW }));
    assert.deepEqual(allocate('pro-rata-capacity', [5], claimants).intervals[0]?.shares, [2, 2, 1]);
  });
});

describe('equal-per-asset', () => {
  it('splits the limit equally: 60 kW over three assets → 20 kW each', () => {
    assert.deepEqual(sharesKw('equal-per-asset', [60]), [[20, 20, 20]]);
  });

  it('caps at capacity and shares the surplus again: 75 kW → C capped at 20, A and B 27.5 each', () => {
    assert.deepEqual(sharesKw('equal-per-asset', [75]), [[27.5, 27.5, 20]]);
  });

  it('gives the odd watt to the lowest assetId when the split is not whole: 40 kW → 13 334/13 333/13 333 W', () => {
    assert.deepEqual(allocate('equal-per-asset', [kW(40)], SECTION).intervals[0]?.shares, [13_334, 13_333, 13_333]);
  });

  it('does not let an asset of capacity 0 dilute the others', () => {
    const claimants = [0, 10, 10].map((capacityW, i) => ({ assetId: `a${i}`, party: 'p', capacityW }));
    assert.deepEqual(allocate('equal-per-asset', [10], claimants).intervals[0]?.shares, [0, 5, 5]);
  });
});

describe('pro-rata-schedule', () => {
  it('shares in proportion to schedules while the limit is short of them: 30 kW → 3.75/11.25/15 kW', () => {
    // Σ schedule = 80 kW, λ = 3/8; C's 15 kW is still under its 20 kW capacity.
    assert.deepEqual(sharesKw('pro-rata-schedule', [30]), [[3.75, 11.25, 15]]);
  });

  it('caps a schedule beyond capacity and shares the surplus by the other schedules: 40 kW → 5/15/20 kW', () => {
    // At λ = 1/2, C reaches its 20 kW capacity exactly; A and B take 10·λ and 30·λ.
    assert.deepEqual(sharesKw('pro-rata-schedule', [40, 50]), [
      [5, 15, 20],
      [7.5, 22.5, 20], // 50 kW: C capped at 20, A and B share the other 30 kW as 10 : 30 (λ = 3/4)
    ]);
  });

  it('meets every schedule (capped at capacity) exactly when the limit equals their sum: 60 kW → 10/30/20 kW', () => {
    assert.deepEqual(sharesKw('pro-rata-schedule', [60]), [[10, 30, 20]]);
  });

  it('hands the limit beyond the schedules out pro rata to the remaining headroom: 80 kW → 30/30/20, 90 kW → 40/30/20', () => {
    // Only A has headroom left (40 kW), so it takes the whole rest.
    assert.deepEqual(sharesKw('pro-rata-schedule', [80, 90, 100]), [
      [30, 30, 20],
      [40, 30, 20],
      [50, 30, 20],
    ]);
  });

  it('gives an asset without a schedule a share only of the rest beyond the schedules', () => {
    const claimants: Claimant[] = [
      { assetId: 'A', party: 'p', capacityW: kW(50), scheduledW: kW(10) },
      { assetId: 'B', party: 'p', capacityW: kW(30) },
      { assetId: 'C', party: 'p', capacityW: kW(20), scheduledW: kW(5) },
    ];
    // 10 kW: only the schedules count (A 10 : C 5). 50 kW: schedules 10 + 5 met, then 35 kW over headroom
    // 40/30/15 kW → 16 470.59/12 352.94/6 176.47 W, rounded by largest remainder to 16 471/12 353/6 176.
    const { intervals } = allocate('pro-rata-schedule', [kW(10), kW(50)], claimants);
    assert.deepEqual(intervals[0]?.shares, [6667, 0, 3333]);
    assert.deepEqual(intervals[1]?.shares, [26_471, 12_353, 11_176]);
    assert.equal(intervals[1]?.fallback, undefined);
  });

  it('falls back to pro-rata-capacity, and says so, in an interval where no asset has a schedule', () => {
    const claimants: Claimant[] = SECTION.map(({ assetId, party, capacityW }, i) => ({
      assetId,
      party,
      capacityW,
      scheduledW: i === 0 ? [undefined, kW(10)] : [undefined, undefined],
    }));
    const { intervals } = allocate('pro-rata-schedule', [kW(60), kW(60)], claimants);
    assert.deepEqual(intervals[0], { totalW: kW(60), shares: [kW(30), kW(18), kW(12)], fallback: 'pro-rata-capacity' });
    // Interval 2: A's 10 kW schedule is met, the other 50 kW go by headroom 40/30/20 kW.
    assert.deepEqual(intervals[1], { totalW: kW(60), shares: [32_222, 16_667, 11_111] });
  });

  it('treats schedules that are all 0 as schedules: pro-rata-capacity numbers, no fallback mark', () => {
    const claimants = SECTION.map((c) => ({ ...c, scheduledW: 0 }));
    const { intervals } = allocate('pro-rata-schedule', [kW(60)], claimants);
    assert.deepEqual(intervals[0], { totalW: kW(60), shares: [kW(30), kW(18), kW(12)] });
  });
});

describe('max-min-fair', () => {
  it('water-fills on demand = min(schedule, capacity): 30 kW → 10 each; 45 kW → A has its 10, B and C 17.5 each', () => {
    assert.deepEqual(sharesKw('max-min-fair', [30, 45]), [
      [10, 10, 10],
      [10, 17.5, 17.5],
    ]);
  });

  it('meets every demand at 60 kW and water-fills the rest on the remaining headroom', () => {
    assert.deepEqual(sharesKw('max-min-fair', [60, 80, 100]), [
      [10, 30, 20],
      [30, 30, 20],
      [50, 30, 20],
    ]);
  });

  it('takes capacity as the demand of an asset without a schedule, and 0 as the demand of a 0 schedule', () => {
    const claimants: Claimant[] = [
      { assetId: 'A', party: 'p', capacityW: kW(50), scheduledW: 0 },
      { assetId: 'B', party: 'p', capacityW: kW(30), scheduledW: kW(10) },
      { assetId: 'C', party: 'p', capacityW: kW(20) },
    ];
    // Demands 0/10/20 kW. 24 kW: B has its 10, C 14. 70 kW: demands met (30), the 40 kW rest water-filled on
    // headroom 50/20/0 kW → 20 each for A and B.
    assert.deepEqual(sharesKw('max-min-fair', [24, 70], claimants), [
      [0, 10, 14],
      [20, 30, 20],
    ]);
  });

  it('gives the equal-per-asset numbers when nobody has a schedule, without a fallback mark', () => {
    const claimants = SECTION.map(({ assetId, party, capacityW }) => ({ assetId, party, capacityW }));
    const limits = [kW(40), kW(75)];
    const fair = allocate('max-min-fair', limits, claimants);
    assert.deepEqual(fair.intervals, allocate('equal-per-asset', limits, claimants).intervals);
    assert.ok(fair.intervals.every((iv) => iv.fallback === undefined));
  });
});

describe('every policy, at the edges', () => {
  for (const { id } of FAIRNESS_POLICIES) {
    it(`${id}: a limit of 0 gives every asset 0`, () => {
      assert.deepEqual(allocate(id, [0], SECTION).intervals[0]?.shares, [0, 0, 0]);
    });

    it(`${id}: a limit at or above the total capacity gives every asset its capacity`, () => {
      for (const limit of [kW(100), kW(100) + 1, kW(1000)])
        assert.deepEqual(allocate(id, [limit], SECTION).intervals[0]?.shares, [kW(50), kW(30), kW(20)]);
    });

    it(`${id}: a single asset gets min(limit, capacity)`, () => {
      for (const scheduledW of [undefined, 0, 3, kW(90)]) {
        const one: Claimant[] = [{ assetId: 'solo', party: 'p', capacityW: kW(50), ...(scheduledW === undefined ? {} : { scheduledW }) }];
        const { intervals } = allocate(id, [0, 7, kW(49.999), kW(50), kW(80)], one);
        assert.deepEqual(
          intervals.map((iv) => iv.shares[0]),
          [0, 7, 49_999, kW(50), kW(50)],
          `scheduledW ${scheduledW}`,
        );
      }
    });

    it(`${id}: breaks a tie by assetId, whatever the input order`, () => {
      const twins: Claimant[] = [
        { assetId: 'ean-2', party: 'p', capacityW: 10, scheduledW: 10 },
        { assetId: 'ean-1', party: 'q', capacityW: 10, scheduledW: 10 },
      ];
      for (const order of [twins, [...twins].reverse()]) {
        const a = allocate(id, [7], order);
        assert.deepEqual(
          a.claimants.map((c) => c.assetId),
          ['ean-1', 'ean-2'],
        );
        assert.deepEqual(a.intervals[0]?.shares, [4, 3]);
      }
    });

    it(`${id}: no claimants gives empty shares in every interval`, () => {
      const a = allocate(id, [0, kW(10)], []);
      assert.deepEqual(a.intervals, [
        { totalW: 0, shares: [] },
        { totalW: kW(10), shares: [] },
      ]);
      assert.deepEqual(a.sharesOf('anyone'), []);
    });
  }
});
