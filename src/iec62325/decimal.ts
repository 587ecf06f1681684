/**
 * Decimal quantities as LEXICAL strings.
 *
 * Decision: every quantity of the models (`Point.quantity`, `secondaryQuantity`, nominal power, voltage,
 * analog values) is the string written in the document, never a JavaScript number. A number cannot be
 * round-trip safe: `1.50` would come back as `1.5`, `0.1 + 0.2` is not `0.3`, and values beyond 2^53 lose
 * digits. The builders write the string exactly as given and the parsers return exactly what the document
 * holds (surrounding white space removed, which XSD 1.0 Part 2 §4.3.6 `whiteSpace="collapse"` of xs:decimal
 * and xs:float does too), so model → XML → model and XML → model → XML keep every byte of a quantity.
 * Arithmetic belongs to the caller (e.g. with scaled bigint); `canonicalDecimal` and `decimalEquals`
 * compare values, `decimalFromNumber` turns a number into a lexical decimal without exponent.
 */

/** xs:decimal lexical space (XSD 1.0 Part 2 §3.2.3.1): optional sign, digits, optional fraction, no exponent. */
const DECIMAL = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/;

export function isDecimal(value: string): boolean {
  return DECIMAL.test(value);
}

/** Why `value` is not an xs:decimal, or undefined when it is one. */
export function decimalProblem(value: string): string | undefined {
  if (DECIMAL.test(value)) return undefined;
  if (value.trim() === '') return 'is empty; a decimal number is required (xs:decimal)';
  if (/[eE]/.test(value)) return `'${value}' has an exponent; xs:decimal is written without one (e.g. 1500, not 1.5E3)`;
  if (value.includes(',')) return `'${value}' is not a decimal number: the decimal separator is '.', and there is no grouping`;
  return `'${value}' is not a decimal number (xs:decimal: optional sign, digits, optional '.' and fraction)`;
}

/**
 * The lexical forms the ESMP float types allow (ESMP_ActivePower, ESMP_Voltage, ESMP_Float: xs:float restricted
 * by a pattern). The pattern changed between schema generations, see `documents.ts`.
 */
export type FloatLexical = 'oneFractionDigit' | 'unsignedDecimal';

export const FLOAT_LEXICAL: Readonly<
  Record<FloatLexical, { readonly regex: RegExp; readonly xsdPattern: string; readonly description: string }>
> = {
  // Older schemas: pattern ([0-9]+((\.[0-9])*)). Intersected with the xs:float lexical space this is digits with
  // at most one fraction digit (110.5, not 110.25).
  oneFractionDigit: {
    regex: /^[0-9]+(?:\.[0-9])?$/,
    xsdPattern: '([0-9]+((\\.[0-9])*))',
    description: 'unsigned digits with at most one fraction digit (e.g. 110.5)',
  },
  // Newer schemas: pattern ([0-9]*\.?[0-9]*) intersected with the xs:float lexical space: unsigned, no exponent.
  unsignedDecimal: {
    regex: /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/,
    xsdPattern: '([0-9]*\\.?[0-9]*)',
    description: 'unsigned digits with an optional fraction (e.g. 0.0099), no sign, no exponent',
  },
};

/** Why `value` does not fit the ESMP float pattern `lexical`, or undefined when it fits. */
export function floatProblem(value: string, lexical: FloatLexical): string | undefined {
  const spec = FLOAT_LEXICAL[lexical];
  return spec.regex.test(value) ? undefined : `'${value}' is not allowed here: ${spec.description}, XSD pattern ${spec.xsdPattern}`;
}

/**
 * The canonical form of a decimal (XSD 1.0 Part 2 §3.2.3.2, without the mandatory '.0'): no '+', no leading
 * zeros, no trailing fraction zeros, '-0' is '0'. `1.50`, `+01.5` and `1.5` all give `1.5`.
 */
export function canonicalDecimal(value: string): string {
  if (!DECIMAL.test(value)) throw new RangeError(decimalProblem(value));
  let sign = '';
  let s = value;
  if (s.startsWith('+') || s.startsWith('-')) {
    sign = s.startsWith('-') ? '-' : '';
    s = s.slice(1);
  }
  const dot = s.indexOf('.');
  let int = (dot < 0 ? s : s.slice(0, dot)).replace(/^0+/, '');
  const frac = (dot < 0 ? '' : s.slice(dot + 1)).replace(/0+$/, '');
  if (int === '') int = '0';
  const body = frac === '' ? int : `${int}.${frac}`;
  return body === '0' ? '0' : sign + body;
}

/** Numeric equality of two lexical decimals (`1.50` equals `1.5`). */
export function decimalEquals(a: string, b: string): boolean {
  return canonicalDecimal(a) === canonicalDecimal(b);
}

/**
 * A finite number as a lexical xs:decimal: the shortest form that reads back as the same number
 * (ECMAScript Number::toString), with any exponent written out (`1e21` → `1000000000000000000000`,
 * `1e-7` → `0.0000001`). Throws RangeError for NaN and ±Infinity, which xs:decimal cannot hold.
 */
export function decimalFromNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`${n} cannot be written as an xs:decimal`);
  if (Object.is(n, -0)) return '0';
  const s = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (m === null) return s;
  const [, sign = '', lead = '', rest = '', expText = '0'] = m;
  const digits = lead + rest;
  const point = 1 + Number(expText); // position of the decimal point within `digits`
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
