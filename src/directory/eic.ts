/**
 * ENTSO-E Energy Identification Codes (EIC), 16 characters:
 *
 *   positions 1–2   issuing office, two digits (10 = ENTSO-E central issuing office, 11 = BDEW, …)
 *   position  3     object type: X party, Y area, Z measurement point, W resource object,
 *                   T tie-line, V location (ECP components use V-codes), A substation
 *   positions 4–15  A–Z, 0–9 and '-'
 *   position  16    check character
 *
 * Check character (EIC reference manual): map 0–9 → 0–9, A–Z → 10–35, '-' → 36; multiply the
 * first 15 values by the weights 16, 15, …, 2; with S the sum, the check value is
 * 36 − ((S − 1) mod 37), written back in the same alphabet. A check value of 36 ('-') is never
 * allocated: such codes are invalid.
 *
 * Checked against published codes (test/unit/directory/eic.test.ts): 10YNL----------L,
 * 10X1001A1001A450, 10V1001C--000438, 10YDE-VE-------2, 10YCZ-CEPS-----N, 10Y1001A1001A83F, …
 */

export const EIC_TYPES = {
  X: 'party',
  Y: 'area',
  Z: 'measurement point',
  W: 'resource object',
  T: 'tie-line',
  V: 'location',
  A: 'substation',
} as const;

export type EicType = keyof typeof EIC_TYPES;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-';
const SHAPE = /^[0-9]{2}[A-Z][0-9A-Z-]{12}[0-9A-Z]$/;

function value(c: string): number {
  return ALPHABET.indexOf(c);
}

/** The check character for the first 15 characters, or undefined when they use characters outside the alphabet or the value would be '-'. */
export function eicCheckCharacter(first15: string): string | undefined {
  if (first15.length !== 15) return undefined;
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const v = value(first15[i] ?? '');
    if (v < 0) return undefined;
    sum += v * (16 - i);
  }
  const check = 36 - ((sum - 1) % 37);
  return check === 36 ? undefined : ALPHABET[check];
}

/**
 * Why `code` is not a valid EIC (of the expected type, when given); undefined when it is valid.
 * Messages are for people: "check character is 7, expected 8".
 */
export function eicProblem(code: unknown, expectedType?: EicType): string | undefined {
  if (typeof code !== 'string') return 'must be a string';
  if (code.length !== 16) return `must be 16 characters, got ${code.length}`;
  if (!SHAPE.test(code)) {
    if (!/^[0-9]{2}/.test(code)) return 'must start with a two-digit issuing office';
    if (!/^[0-9]{2}[A-Z]/.test(code)) return 'the third character must be the object-type letter';
    return "may contain only A–Z, 0–9 and '-' (upper case), and must not end with '-'";
  }
  const type = code[2] as string;
  if (!(type in EIC_TYPES)) return `object type ${type} is not an EIC type (${Object.keys(EIC_TYPES).join(', ')})`;
  if (expectedType !== undefined && type !== expectedType) {
    return `must be an EIC ${expectedType}-code (${EIC_TYPES[expectedType]}), got a ${type}-code (${EIC_TYPES[type as EicType]})`;
  }
  const expected = eicCheckCharacter(code.slice(0, 15));
  if (expected === undefined) return 'no valid check character exists for this code';
  if (code[15] !== expected) return `check character is ${code[15]}, expected ${expected}`;
  return undefined;
}

export function isEic(code: unknown, expectedType?: EicType): code is string {
  return eicProblem(code, expectedType) === undefined;
}

/** The object type of a valid code. */
export function eicType(code: string): EicType | undefined {
  return isEic(code) ? (code[2] as EicType) : undefined;
}

/** Completes a 15-character prefix with its check character (test data, sample codes). */
export function withEicCheckCharacter(first15: string): string {
  const c = eicCheckCharacter(first15);
  if (c === undefined) throw new Error(`${first15} has no valid EIC check character`);
  return first15 + c;
}
