import { compareProducts, mulDivModInto } from './exact.js';
import { roundLargestRemainder } from './largest-remainder.js';

/** Weights for `waterFill`: one per item, or `'equal'` for weight 1 everywhere. */
export type Weights = readonly number[] | 'equal';

/**
 * Capped proportional water-filling, rounded to integers by largest remainder.
 *
 * Splits `target` watts over items with integer `weights` and integer `caps` (indices aligned with the sorted
 * claimants): item i's exact quota is min(capᵢ, λ·weightᵢ), with the one level λ at which the quotas add up
 * to min(target, Σ caps of the items that have a weight). What a capped item cannot take is thereby shared
 * again among the others in proportion to their weights. Items with weight 0 or cap 0 get 0.
 *
 * - weights = caps (the same array): plain pro rata; every item reaches its cap at the same λ = 1;
 * - weights = 'equal': equal split, capped, with redistribution (classic water-filling, max-min fairness).
 *
 * Exact: λ = rest / weight is kept as a fraction of two integers, saturation is decided by comparing products,
 * and the open quotas rest·wᵢ / weight are split into floor and remainder over the common denominator
 * `weight`. Cost: one sort by saturation level (a native numeric sort for equal weights, none for pro rata),
 * linear passes, and the native sort inside the rounding: O(n log n).
 */
export function waterFill(target: number, weights: Weights, caps: readonly number[]): number[] {
  const n = caps.length;
  const w = weights === 'equal' ? (): number => 1 : (i: number): number => weights[i] ?? 0;
  const u = (i: number): number => caps[i] ?? 0;
  const shares = new Array<number>(n).fill(0);
  const eligible: number[] = [];
  let capSum = 0;
  let weightSum = 0;
  for (let i = 0; i < n; i++) {
    if (w(i) > 0 && u(i) > 0) {
      eligible.push(i);
      capSum += u(i);
      weightSum += w(i);
    }
  }
  if (target >= capSum) {
    for (const i of eligible) shares[i] = u(i);
    return shares;
  }
  if (target <= 0) return shares;

  // Find λ = rest / weight. Walking the items by ascending saturation level capᵢ / weightᵢ, λ never decreases
  // as items saturate, so the saturated items are a prefix of that order: those with level ≤ the final λ.
  let rest = target;
  let weight = weightSum;
  if (weights === 'equal') {
    // Level = cap: walk the caps alone, sorted natively (they are exact as doubles).
    const levels = new Float64Array(eligible.length);
    for (let k = 0; k < eligible.length; k++) levels[k] = u(eligible[k] as number);
    levels.sort();
    for (const cap of levels) {
      if (compareProducts(cap, weight, rest, 1) > 0) break;
      rest -= cap;
      weight -= 1;
    }
  } else if (weights !== caps) {
    // Rounding a quotient is monotone, so levels whose doubles differ are in that order exactly; equal doubles
    // are compared exactly.
    const level = new Float64Array(n);
    for (const i of eligible) level[i] = u(i) / w(i);
    const order = [...eligible].sort((a, b) => (level[a] as number) - (level[b] as number) || compareProducts(u(a), w(b), u(b), w(a)));
    for (const i of order) {
      if (compareProducts(u(i), weight, rest, w(i)) > 0) break;
      rest -= u(i);
      weight -= w(i);
    }
  } // else pro rata: every level is 1 > target / capSum, nothing saturates.

  // Saturated items take their cap; the open ones (at least one, as target < capSum) share `rest` by weight.
  const remainders = new Array<number>(n).fill(0);
  let floorSum = 0;
  for (const i of eligible) {
    if (compareProducts(u(i), weight, rest, w(i)) <= 0) {
      shares[i] = u(i);
    } else {
      mulDivModInto(rest, w(i), weight, shares, remainders, i);
      floorSum += shares[i] ?? 0;
    }
  }
  roundLargestRemainder(shares, remainders, rest - floorSum);
  return shares;
}

/** Element-wise a += b (same length), for two-stage policies. */
export function addInto(a: number[], b: readonly number[]): number[] {
  for (let i = 0; i < a.length; i++) a[i] = (a[i] ?? 0) + (b[i] ?? 0);
  return a;
}

/** Σ of an array of safe integers. */
export function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
