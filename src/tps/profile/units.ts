/**
 * Power values: REST and the stores use kW; the Configuration document's Measurements fix the
 * unit to MW (`MAW`, profile §4). Conversions are done on the decimal digits, never through
 * binary floating point, so 11.5 kW is exactly 0.0115 MW and back.
 */

const DECIMAL = /^(?<int>[0-9]+)(?:\.(?<frac>[0-9]+))?$/;

/** A non-negative decimal string with at most `maxFraction` fraction digits, from a JSON number or string; undefined if not one. */
export function decimalOf(x: unknown, maxFraction = 3): string | undefined {
  const s = typeof x === 'number' ? (Number.isFinite(x) && x >= 0 ? numberText(x) : '') : typeof x === 'string' ? x.trim() : '';
  const m = DECIMAL.exec(s);
  if (!m?.groups) return undefined;
  const frac = (m.groups.frac ?? '').replace(/0+$/, '');
  if (frac.length > maxFraction) return undefined;
  const int = m.groups.int?.replace(/^0+(?=[0-9])/, '') ?? '0';
  return frac ? `${int}.${frac}` : int;
}

/** A JSON number as a plain decimal: JavaScript writes 1e-7 and 1e+21 with an exponent, which is expanded exactly. */
function numberText(x: number): string {
  const s = String(x);
  const m = /^([0-9])(?:\.([0-9]+))?e([+-][0-9]+)$/.exec(s);
  if (!m) return s;
  return shiftDecimal(`${m[1] ?? '0'}.${m[2] ?? '0'}`, Number(m[3]));
}

/** Moves the decimal point: shift > 0 multiplies by 10^shift. Input and output are canonical decimals. */
function shiftDecimal(value: string, shift: number): string {
  const [int = '0', frac = ''] = value.split('.');
  let digits = int + frac;
  let point = int.length + shift;
  if (point <= 0) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  } else if (point > digits.length) digits = digits + '0'.repeat(point - digits.length);
  const i = digits.slice(0, point).replace(/^0+(?=[0-9])/, '');
  const f = digits.slice(point).replace(/0+$/, '');
  return f ? `${i}.${f}` : i;
}

export const kwToMw = (kw: string): string => shiftDecimal(kw, -3);
export const mwToKw = (mw: string): string => shiftDecimal(mw, 3);
