/**
 * Seeded property test of the fairness filter: ~500 pseudo-random sections, every policy, every guarantee.
 *
 * The policies' exact quotas are recomputed here independently (rational arithmetic on bigint, naive
 * fixpoint water-filling instead of the module's sorted walk), and the integer shares are checked against
 * them: each share is its quota rounded down or up, the rounding order is largest remainder with the
 * documented tie-break, and the shares add up to min(total, Σ capacity).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allocate, FAIRNESS_POLICIES, type Allocation, type Claimant, type FairnessPolicyId } from '../../../../src/tps/fairness/index.js';

// ---------------------------------------------------------------------------------------------------------
// Deterministic pseudo-random cases

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Case {
  readonly label: string;
  readonly totalsW: number[];
  readonly claimants: Claimant[];
  readonly shuffled: Claimant[];
}

const ID_CHARS = ['a', 'b', 'Z', '0', 'é', '\uFF21', '\u{1F600}'];

function makeCases(count: number, seed: number): Case[] {
  const rnd = prng(seed);
  const int = (max: number): number => Math.floor(rnd() * (max + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length - 1)] as T;
  const cases: Case[] = [];
  for (let c = 0; c < count; c++) {
    const scale = pick(['tiny', 'tiny', 'kW', 'kW', 'huge'] as const);
    // huge: products of two figures pass 2^53 (the bigint paths); 40 assets of < 2^47 W stay under 2^53 in sum.
    const figure = (): number => (scale === 'tiny' ? int(10) : scale === 'kW' ? int(200_000) : int(2 ** 20) * 2 ** 27 + int(2 ** 27 - 1));
    const n = rnd() < 0.1 ? int(40) : int(12);
    const m = 1 + int(3);
    const ids = new Set<string>();
    while (ids.size < n) ids.add(Array.from({ length: 1 + int(2) }, () => pick(ID_CHARS)).join(''));
    const claimants: Claimant[] = [...ids].map((assetId) => {
      const capacityW = rnd() < 0.1 ? 0 : figure();
      const schedule = (): number | undefined => {
        const r = rnd();
        return r < 0.3 ? undefined : r < 0.4 ? 0 : r < 0.5 ? capacityW : Math.floor(figure() * 1.5);
      };
      const kind = rnd();
      const base = { assetId, party: `p${int(2)}`, capacityW };
      if (kind < 0.25) return base;
      if (kind < 0.5) return { ...base, scheduledW: schedule() ?? 0 };
      return { ...base, scheduledW: Array.from({ length: m }, schedule) };
    });
    const capSum = claimants.reduce((s, x) => s + x.capacityW, 0);
    const totalsW = Array.from({ length: m }, (_, j) => {
      const sched = claimants.map((x) => (typeof x.scheduledW === 'number' ? x.scheduledW : x.scheduledW?.[j]));
      const r = rnd();
      if (r < 0.08) return 0;
      if (r < 0.16) return capSum;
      if (r < 0.22) return capSum + 1 + int(100);
      if (r < 0.3) return int(Math.min(capSum, 20)); // a few watts over many assets: rounding everywhere
      if (r < 0.36) return claimants.reduce((s, x, i) => s + Math.min(sched[i] ?? 0, x.capacityW), 0); // Σ scheduled demand
      if (r < 0.42) return claimants.reduce((s, x, i) => s + Math.min(sched[i] ?? x.capacityW, x.capacityW), 0); // Σ max-min demand
      return int(capSum);
    });
    const shuffled = [...claimants];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const k = int(i);
      [shuffled[i], shuffled[k]] = [shuffled[k] as Claimant, shuffled[i] as Claimant];
    }
    cases.push({ label: `case ${c} (${scale}, ${n} assets, ${m} intervals)`, totalsW, claimants, shuffled });
  }
  return cases;
}

const CASES = makeCases(500, 20240615);

// ---------------------------------------------------------------------------------------------------------
// Independent exact reference (bigint rationals)

interface Q {
  readonly n: bigint;
  readonly d: bigint; // > 0
}
const ZERO: Q = { n: 0n, d: 1n };
const big = (x: number): bigint => BigInt(x);
const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
const add = (a: Q, b: Q): Q => ({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });
const isInt = (q: Q): boolean => q.n % q.d === 0n;

/** Quotas min(capᵢ, λ·wᵢ) adding up to min(target, Σ cap over w > 0), by fixpoint iteration. */
function referenceFill(target: bigint, w: readonly bigint[], cap: readonly bigint[]): Q[] {
  const eligible = cap.map((_, i) => i).filter((i) => (w[i] as bigint) > 0n && (cap[i] as bigint) > 0n);
  const capSum = eligible.reduce((s, i) => s + (cap[i] as bigint), 0n);
  const goal = min(target, capSum);
  const saturated = new Set<number>();
  const quotas: Q[] = cap.map(() => ZERO);
  for (;;) {
    let rest = goal;
    let weight = 0n;
    for (const i of eligible) {
      if (saturated.has(i)) rest -= cap[i] as bigint;
      else weight += w[i] as bigint;
    }
    const newly = eligible.filter((i) => !saturated.has(i) && (cap[i] as bigint) * weight <= rest * (w[i] as bigint));
    if (weight === 0n || newly.length === 0) {
      for (const i of eligible) quotas[i] = saturated.has(i) ? { n: cap[i] as bigint, d: 1n } : { n: rest * (w[i] as bigint), d: weight };
      return quotas;
    }
    for (const i of newly) saturated.add(i);
  }
}

interface Reference {
  readonly quotas: Q[];
  readonly fallback?: FairnessPolicyId;
}

/** The policy's exact quotas for one interval, from its written definition. */
function reference(policy: FairnessPolicyId, total: number, caps: readonly number[], sched: readonly (number | undefined)[]): Reference {
  const T = big(total);
  const c = caps.map(big);
  const ones = c.map(() => 1n);
  const twoStage = (stage1: Q[], stage2Weights: (headroom: bigint[]) => readonly bigint[]): Q[] => {
    const sum1 = stage1.reduce(add, ZERO);
    const goal = min(
      T,
      c.reduce((s, x) => s + x, 0n),
    );
    if (sum1.n >= goal * sum1.d) return stage1;
    assert.ok(stage1.every(isInt), 'stage 1 falls short of the limit only when every demand is met');
    const rest = goal - sum1.n / sum1.d;
    const headroom = c.map((x, i) => x - (stage1[i] as Q).n / (stage1[i] as Q).d);
    const stage2 = referenceFill(rest, stage2Weights(headroom), headroom);
    return stage1.map((q, i) => add(q, stage2[i] as Q));
  };
  switch (policy) {
    case 'pro-rata-capacity':
      return { quotas: referenceFill(T, c, c) };
    case 'equal-per-asset':
      return { quotas: referenceFill(T, ones, c) };
    case 'pro-rata-schedule': {
      if (sched.length > 0 && sched.every((s) => s === undefined)) return { quotas: referenceFill(T, c, c), fallback: 'pro-rata-capacity' };
      const s = sched.map((x) => big(x ?? 0));
      const demand = s.map((x, i) => min(x, c[i] as bigint));
      return { quotas: twoStage(referenceFill(T, s, demand), (h) => h) };
    }
    case 'max-min-fair': {
      const demand = c.map((x, i) => min(big(sched[i] ?? caps[i] ?? 0), x));
      return { quotas: twoStage(referenceFill(T, ones, demand), () => ones) };
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Checks

const scheduleAt = (c: Claimant, j: number): number | undefined => (typeof c.scheduledW === 'number' ? c.scheduledW : c.scheduledW?.[j]);

function eachInterval(policy: FairnessPolicyId, check: (a: Allocation, j: number, where: string) => void): void {
  for (const k of CASES) {
    const a = allocate(policy, k.totalsW, k.claimants);
    for (let j = 0; j < k.totalsW.length; j++) check(a, j, `${policy}, ${k.label}, interval ${j}`);
  }
}

describe('fairness filter properties (seeded, 500 random sections)', () => {
  it('generates varied cases: empty and large sections, every schedule form, limits at and beyond capacity', () => {
    assert.equal(CASES.length, 500);
    assert.ok(CASES.some((k) => k.claimants.length === 0));
    assert.ok(CASES.some((k) => k.claimants.length > 20));
    assert.ok(CASES.some((k) => k.claimants.some((c) => c.capacityW > 2 ** 40)));
    const totals = CASES.flatMap((k) => k.totalsW.map((t) => [t, k.claimants.reduce((s, c) => s + c.capacityW, 0)] as const));
    assert.ok(totals.some(([t, cap]) => t > cap) && totals.some(([t, cap]) => t === cap && cap > 0) && totals.some(([t]) => t === 0));
  });

  for (const { id: policy } of FAIRNESS_POLICIES) {
    describe(policy, () => {
      it('gives non-negative integer shares, each at most its capacity, adding up to min(limit, Σ capacity)', () => {
        eachInterval(policy, (a, j, where) => {
          const iv = a.intervals[j];
          assert.ok(iv !== undefined, where);
          assert.equal(iv.shares.length, a.claimants.length, where);
          let sum = 0;
          iv.shares.forEach((s, i) => {
            assert.ok(Number.isSafeInteger(s) && s >= 0, `${where}: share ${s}`);
            assert.ok(s <= (a.claimants[i] as Claimant).capacityW, `${where}: share ${s} over capacity`);
            sum += s;
          });
          const capSum = a.claimants.reduce((s, c) => s + c.capacityW, 0);
          assert.ok(sum <= iv.totalW, `${where}: Σ ${sum} over the limit ${iv.totalW}`);
          assert.equal(sum, Math.min(iv.totalW, capSum), `${where}: capacity left unused`);
        });
      });

      it("rounds the policy's exact quotas by largest remainder, ties to the lower assetId", () => {
        eachInterval(policy, (a, j, where) => {
          const iv = a.intervals[j] as (typeof a.intervals)[number];
          const ref = reference(
            policy,
            iv.totalW,
            a.claimants.map((c) => c.capacityW),
            a.claimants.map((c) => scheduleAt(c, j)),
          );
          assert.equal(iv.fallback, ref.fallback, `${where}: fallback`);
          const up: number[] = [];
          const down: number[] = [];
          ref.quotas.forEach((q, i) => {
            const s = big(iv.shares[i] as number) * q.d;
            assert.ok(s > q.n - q.d && s < q.n + q.d, `${where}: share ${iv.shares[i]} is not its quota ${q.n}/${q.d} rounded`);
            if (s > q.n) up.push(i);
            else if (s < q.n) down.push(i);
          });
          const frac = (i: number): Q => {
            const q = ref.quotas[i] as Q;
            return { n: q.n % q.d, d: q.d };
          };
          for (const i of up) {
            for (const k of down) {
              const [fi, fk] = [frac(i), frac(k)];
              const cmp = fi.n * fk.d - fk.n * fi.d;
              assert.ok(
                cmp > 0n || (cmp === 0n && i < k),
                `${where}: asset ${i} rounded up before asset ${k} with a larger or tied-earlier remainder`,
              );
            }
          }
        });
      });

      it('gives the same result for the same input and for the claimants in any order', () => {
        for (const k of CASES) {
          const a = allocate(policy, k.totalsW, k.claimants);
          const again = allocate(policy, k.totalsW, k.claimants);
          const shuffled = allocate(policy, k.totalsW, k.shuffled);
          assert.deepEqual(again.intervals, a.intervals, k.label);
          assert.deepEqual(shuffled.claimants, a.claimants, k.label);
          assert.deepEqual(shuffled.intervals, a.intervals, k.label);
        }
      });

      it("hands every party exactly its own assets' shares", () => {
        for (const k of CASES) {
          const a = allocate(policy, k.totalsW, k.claimants);
          const seen = new Set<string>();
          for (const party of ['p0', 'p1', 'p2']) {
            for (const { assetId, sharesW } of a.sharesOf(party)) {
              const i = a.claimants.findIndex((c) => c.assetId === assetId);
              assert.equal(a.claimants[i]?.party, party, k.label);
              assert.deepEqual(
                sharesW,
                a.intervals.map((iv) => iv.shares[i]),
                k.label,
              );
              seen.add(assetId);
            }
          }
          assert.equal(seen.size, a.claimants.length, k.label);
        }
      });
    });
  }

  it('max-min-fair: a share below another by more than 1 W is at its demand; beyond Σ demand, an extra below another is at capacity', () => {
    eachInterval('max-min-fair', (a, j, where) => {
      const iv = a.intervals[j] as (typeof a.intervals)[number];
      const caps = a.claimants.map((c) => c.capacityW);
      const demand = a.claimants.map((c, i) => Math.min(scheduleAt(c, j) ?? (caps[i] as number), caps[i] as number));
      const demandSum = demand.reduce((s, d) => s + d, 0);
      const share = iv.shares;
      const n = share.length;
      if (iv.totalW <= demandSum) {
        for (let x = 0; x < n; x++) {
          assert.ok((share[x] as number) <= (demand[x] as number), `${where}: ${x} over its demand`);
          for (let y = 0; y < n; y++) {
            if ((share[x] as number) + 1 < (share[y] as number))
              assert.equal(share[x], demand[x], `${where}: ${x} below ${y} yet under its demand`);
          }
        }
      } else {
        const extra = share.map((s, x) => s - (demand[x] as number));
        for (let x = 0; x < n; x++) {
          assert.ok((extra[x] as number) >= 0, `${where}: ${x} under its demand though the limit covers all demand`);
          for (let y = 0; y < n; y++) {
            if ((extra[x] as number) + 1 < (extra[y] as number))
              assert.equal(share[x], caps[x], `${where}: ${x} gets less extra than ${y} yet is under capacity`);
          }
        }
      }
    });
  });

  it('equal-per-asset: a share below another by more than 1 W is at its capacity', () => {
    eachInterval('equal-per-asset', (a, j, where) => {
      const share = (a.intervals[j] as (typeof a.intervals)[number]).shares;
      share.forEach((sx, x) => {
        share.forEach((sy, y) => {
          if (sx + 1 < sy) assert.equal(sx, a.claimants[x]?.capacityW, `${where}: ${x} below ${y} yet under capacity`);
        });
      });
    });
  });
});
