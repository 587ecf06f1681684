import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareCodePoints, compareProducts, mulDivModInto } from '../../../../src/tps/fairness/exact.js';
import { roundLargestRemainder, select } from '../../../../src/tps/fairness/largest-remainder.js';
import { waterFill } from '../../../../src/tps/fairness/water-fill.js';

const TWO_53 = 2 ** 53;

describe('fairness exact arithmetic', () => {
  it('compares products exactly, also past 2^53 where doubles round', () => {
    assert.equal(compareProducts(3, 4, 2, 6), 0);
    assert.equal(compareProducts(3, 5, 2, 6), 1);
    assert.equal(compareProducts(2, 6, 3, 5), -1);
    // (2^53 − 1)·5 and (2^53 − 2)·5 differ by 5 but round to the same double; the bigint path tells them apart.
    assert.equal((TWO_53 - 1) * 5, (TWO_53 - 2) * 5);
    assert.equal(compareProducts(TWO_53 - 1, 5, TWO_53 - 2, 5), 1);
    assert.equal(compareProducts(TWO_53 - 1, 2, 2, TWO_53 - 1), 0);
    assert.equal(compareProducts(2 ** 40 + 1, 2 ** 20, 2 ** 40, 2 ** 20 + 1), -1); // 2^60 + 2^20 vs 2^60 + 2^40
  });

  it('splits a·b / d into floor and remainder exactly, on both the number and the bigint path', () => {
    const q: number[] = [];
    const r: number[] = [];
    mulDivModInto(100, 30, 7, q, r, 0);
    assert.deepEqual([q[0], r[0]], [428, 4]); // 3000 = 428·7 + 4
    mulDivModInto(2 ** 40 + 3, 2 ** 20 + 5, 2 ** 21 + 1, q, r, 1);
    const exact = (2n ** 40n + 3n) * (2n ** 20n + 5n);
    assert.deepEqual([BigInt(q[1] ?? -1), BigInt(r[1] ?? -1)], [exact / (2n ** 21n + 1n), exact % (2n ** 21n + 1n)]);
  });

  it('orders strings by code point, not by UTF-16 code unit', () => {
    const ids = ['\u{1F600}', '\uFF21', 'a', 'Z', 'ab', ''];
    assert.deepEqual([...ids].sort(compareCodePoints), ['', 'Z', 'a', 'ab', '\uFF21', '\u{1F600}']);
    assert.ok('\u{1F600}' < '\uFF21', 'the < operator puts the astral character first');
    assert.equal(compareCodePoints('x', 'x'), 0);
  });
});

describe('largest-remainder rounding', () => {
  it('gives the leftover units to the largest remainders (quotas 2 1/7, 2 1/7, 5/7 of 5 → 2, 2, 1)', () => {
    const shares = [2, 2, 0];
    roundLargestRemainder(shares, [1, 1, 5], 1);
    assert.deepEqual(shares, [2, 2, 1]);
  });

  it('breaks equal remainders by the lower index', () => {
    const shares = [0, 0, 0, 0];
    roundLargestRemainder(shares, [3, 3, 3, 3], 3); // 4 × 3/4 of 3
    assert.deepEqual(shares, [1, 1, 1, 0]);
    const mixed = [5, 0, 7, 1, 0];
    roundLargestRemainder(mixed, [2, 0, 4, 2, 2], 2); // 4 first, then the lowest index among the 2s
    assert.deepEqual(mixed, [6, 0, 8, 1, 0]);
  });

  it('never touches an integral quota and does nothing when nothing is left over', () => {
    const shares = [4, 9];
    roundLargestRemainder(shares, [0, 0], 0);
    assert.deepEqual(shares, [4, 9]);
  });

  it('refuses quotas whose fractions cannot add up to the leftover (a caller bug)', () => {
    assert.throws(() => roundLargestRemainder([0, 0], [1, 0], 2), /2 unit\(s\) to hand out over 1/);
  });

  it('selects the k-th smallest value, also among many duplicates', () => {
    const values = [5, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5];
    const sorted = [...values].sort((a, b) => a - b);
    for (let k = 0; k < values.length; k++) assert.equal(select(Float64Array.from(values), k), sorted[k], `k = ${k}`);
    assert.equal(select(new Float64Array(1000).fill(7), 500), 7);
  });
});

describe('capped proportional water-filling', () => {
  it('is plain pro rata when the weights are the caps', () => {
    const caps = [50_000, 30_000, 20_000];
    assert.deepEqual(waterFill(60_000, caps, caps), [30_000, 18_000, 12_000]);
  });

  it('shares what a capped item cannot take among the others (equal weights)', () => {
    // λ = 40/3 > 10, so the 10 is capped; the other two split 30 → 15 each.
    assert.deepEqual(waterFill(40, 'equal', [100, 10, 100]), [15, 10, 15]);
  });

  it('shares by weight up to the caps (weights 10/30/40, caps 10/30/20, 40 → λ = 1/2)', () => {
    assert.deepEqual(waterFill(40, [10, 30, 40], [10, 30, 20]), [5, 15, 20]);
  });

  it('hands out min(target, Σ caps) and skips items with weight or cap 0', () => {
    assert.deepEqual(waterFill(1000, [1, 0, 1, 1], [10, 50, 0, 20]), [10, 0, 0, 20]);
    assert.deepEqual(waterFill(3, [1, 0, 1, 1], [10, 50, 0, 20]), [2, 0, 0, 1]);
    assert.deepEqual(waterFill(0, 'equal', [10, 20]), [0, 0]);
    assert.deepEqual(waterFill(5, 'equal', []), []);
  });

  it('stays exact with figures whose products pass 2^53', () => {
    const big = 2 ** 50;
    const caps = [big, big - 1, 3];
    const shares = waterFill(big, caps, caps); // quotas big·capᵢ / (2·big + 2)
    assert.equal(
      shares.reduce((a, b) => a + b),
      big,
    );
    const total = 2n * BigInt(big) + 2n;
    caps.forEach((c, i) => {
      const exact = (BigInt(big) * BigInt(c)) / total;
      const share = BigInt(shares[i] ?? -1);
      assert.ok(share === exact || share === exact + 1n, `share ${i}`);
    });
  });
});
