/**
 * GS1 identification keys with a mod-10 check digit (GS1 General Specifications §7.9): the GLN
 * (13 digits) that identifies a party (coding scheme A10) and the GSRN/EAN-18 (18 digits) that
 * identifies a connection point in IEC 62325 documents (docs/iec62325-profile.md §3).
 */

/** The GS1 check digit of the digits before it: weights 3 and 1 alternating from the right. */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** Why `code` is not a GS1 key of `length` digits with a correct check digit; undefined when it is one. */
export function gs1Problem(code: unknown, length: 13 | 18): string | undefined {
  if (typeof code !== 'string') return 'must be a string';
  if (!/^[0-9]+$/.test(code)) return `must be ${length} digits`;
  if (code.length !== length) return `must be ${length} digits, got ${code.length}`;
  const expected = gs1CheckDigit(code.slice(0, -1));
  const actual = Number(code.slice(-1));
  return expected === actual ? undefined : `check digit is ${actual}, expected ${expected}`;
}

/** Appends the check digit: `withGs1CheckDigit('57131310000')` → a 12-digit key. */
export const withGs1CheckDigit = (body: string): string => `${body}${gs1CheckDigit(body)}`;
