/**
 * Largest-remainder (Hamilton) rounding with an exact, deterministic tie-break.
 *
 * The caller has split an integer target into exact quotas `floor + remainder / denominator` (one common
 * denominator for all), written the floors into `shares` and the remainders (integers, 0 for an integral
 * quota) into `remainders`, aligned with `shares`. The floors fall short of the target by `units`, which is
 * at most the number of non-zero remainders (the fractional parts add up to `units`). Each of the `units`
 * quotas with the largest remainders gets one more; equal remainders go to the lower index first, which is
 * the claimants' sorted order (assetId, then party). So every share is its quota rounded down or up, the
 * shares add up to the target exactly, and an integral quota is never changed (a share never passes an
 * integral cap it reached exactly).
 *
 * Linear on average: the cut-off remainder is found by selection, not by sorting.
 */
export function roundLargestRemainder(shares: number[], remainders: readonly number[], units: number): void {
  if (units === 0) return;
  let fractional = 0;
  for (const r of remainders) if (r > 0) fractional++;
  if (units < 0 || units > fractional) {
    // A bug in the caller's quotas, not bad input: the fractional parts cannot add up to `units`.
    throw new Error(`largest remainder: ${units} unit(s) to hand out over ${fractional} fractional quota(s)`);
  }
  const values = new Float64Array(fractional); // remainders are safe integers, exact as doubles
  let k = 0;
  for (const r of remainders) if (r > 0) values[k++] = r;
  const cut = select(values, fractional - units); // the smallest remainder that still gets a unit
  let atCut = units; // how many of those equal to the cut get one: what is left after all those above it
  for (const r of values) if (r > cut) atCut--;
  for (let i = 0; i < remainders.length; i++) {
    const r = remainders[i] as number;
    if (r > cut || (r === cut && atCut-- > 0)) shares[i] = (shares[i] ?? 0) + 1;
  }
}

/**
 * The k-th smallest (0-based) value of `a`, reordering `a`: quickselect (Hoare partition, median-of-three
 * pivot), expected linear; after more partition rounds than a good run needs it sorts what is left, so the
 * worst case stays O(n log n).
 */
export function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  let rounds = 2 * Math.ceil(Math.log2(a.length + 1)) + 8;
  while (hi > lo) {
    if (rounds-- === 0) {
      a.subarray(lo, hi + 1).sort();
      break;
    }
    const x = a[lo] as number;
    const y = a[(lo + hi) >>> 1] as number;
    const z = a[hi] as number;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i++] = a[j] as number;
        a[j--] = t;
      }
    }
    // a[lo..j] ≤ pivot ≤ a[i..hi], and everything strictly between j and i equals the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k] as number;
  }
  return a[k] as number;
}
