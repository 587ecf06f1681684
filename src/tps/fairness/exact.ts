/**
 * Exact integer arithmetic for the fairness filter.
 *
 * All figures are non-negative safe integers (watts). Products of two of them can pass 2^53, where
 * `number` stops being exact; the helpers below stay on `number` while the product is safe (the common
 * case, fast) and switch to `bigint` only when it is not. Exactness is what makes the rounding
 * deterministic: equal remainders compare equal, so ties fall to the documented tie-break and never to
 * floating-point noise.
 */

const MAX = Number.MAX_SAFE_INTEGER;

/** The sign of a·b − c·d, exactly (a, b, c, d non-negative safe integers). */
export function compareProducts(a: number, b: number, c: number, d: number): number {
  const x = a * b;
  const y = c * d;
  // A true product ≤ 2^53 − 1 is computed exactly; a larger one rounds to ≥ 2^53, so the test is reliable.
  if (x <= MAX && y <= MAX) return x < y ? -1 : x > y ? 1 : 0;
  const bx = BigInt(a) * BigInt(b);
  const by = BigInt(c) * BigInt(d);
  return bx < by ? -1 : bx > by ? 1 : 0;
}

/**
 * floor(a·b / d) into `quotients[i]` and (a·b mod d) into `remainders[i]`, exactly
 * (a, b non-negative safe integers, d a positive safe integer, a·b / d safe).
 */
export function mulDivModInto(a: number, b: number, d: number, quotients: number[], remainders: number[], i: number): void {
  const p = a * b;
  if (p <= MAX) {
    const r = p % d; // exact for integers
    quotients[i] = (p - r) / d; // exact: p − r is a multiple of d
    remainders[i] = r;
    return;
  }
  const bp = BigInt(a) * BigInt(b);
  const bd = BigInt(d);
  quotients[i] = Number(bp / bd);
  remainders[i] = Number(bp % bd); // < d, so exact as a number
}

/**
 * Compares two strings by Unicode code point (not by UTF-16 code unit, which is what `<` does and which
 * sorts U+E000–U+FFFF after the astral planes). Well-formed strings only; lone surrogates sort as their
 * code unit would in the astral range.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
}

/** Surrogates (astral code points) move above U+E000–U+FFFF; everything below U+D800 keeps its place. */
function rank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}
