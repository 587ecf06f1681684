/**
 * kW (REST, stores) ↔ MW (Configuration Measurements, `MAW`) on decimal strings, and `decimalOf`, the
 * reader of power values from JSON (docs/iec62325-profile.md §4).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { decimalOf, kwToMw, mwToKw } from '../../../../src/tps/profile/units.js';

/** kW → MW pairs, exact. */
const KW_MW: readonly (readonly [string, string])[] = [
  ['0', '0'],
  ['1', '0.001'],
  ['10', '0.01'],
  ['11', '0.011'],
  ['11.5', '0.0115'],
  ['4.1', '0.0041'],
  ['0.001', '0.000001'],
  ['0.01', '0.00001'],
  ['0.5', '0.0005'],
  ['120', '0.12'],
  ['999.999', '0.999999'],
  ['1000', '1'],
  ['1234.567', '1.234567'],
  ['1500', '1.5'],
  ['100000', '100'],
  ['123456789', '123456.789'],
  ['1000000000000000000000', '1000000000000000000'],
];

const CANONICAL = /^(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$/;

describe('kwToMw and mwToKw', () => {
  it('shift the decimal point by three places exactly', () => {
    for (const [kw, mw] of KW_MW) {
      assert.equal(kwToMw(kw), mw, `${kw} kW`);
      assert.equal(mwToKw(mw), kw, `${mw} MW`);
    }
  });

  it('are exact where binary floating point is not', () => {
    // 4.1 / 1000 = 0.0040999999999999995 and 0.0041 * 1000 = 4.1000000000000005 as doubles
    assert.notEqual(String(4.1 / 1000), '0.0041');
    assert.equal(kwToMw('4.1'), '0.0041');
    assert.notEqual(String(0.0041 * 1000), '4.1');
    assert.equal(mwToKw('0.0041'), '4.1');
  });

  it('never write scientific notation, however small or large the value', () => {
    // as numbers these would print as 1e-7, 1e-9 and 1e+24
    assert.equal(kwToMw('0.0001'), '0.0000001');
    assert.equal(kwToMw('0.000001'), '0.000000001');
    assert.equal(mwToKw('1000000000000000000000'), '1000000000000000000000000');
    for (const [kw, mw] of KW_MW) {
      assert.doesNotMatch(kwToMw(kw), /e/i);
      assert.doesNotMatch(mwToKw(mw), /e/i);
    }
  });

  it('give canonical decimals: no leading zeros, no trailing fraction zeros, no lone point', () => {
    for (const kw of ['0', '1', '10', '100', '1000', '10000', '0.1', '0.01', '0.001', '1.1', '10.01', '2500', '3000.5']) {
      assert.match(kwToMw(kw), CANONICAL, `kwToMw(${kw}) = ${kwToMw(kw)}`);
      assert.match(mwToKw(kw), CANONICAL, `mwToKw(${kw}) = ${mwToKw(kw)}`);
    }
    assert.equal(mwToKw('0.001'), '1');
    assert.equal(mwToKw('0.0001'), '0.1');
    assert.equal(mwToKw('2.5'), '2500');
  });

  it('round-trip every kW value with up to three fraction digits (0 to 20 kW by 0.001, and larger ones)', () => {
    const values: string[] = [];
    for (let milli = 0; milli <= 20000; milli++) values.push(decimalOf((milli / 1000).toFixed(3)) ?? assert.fail(String(milli)));
    for (const big of ['99999.999', '100000', '123456.001', '7000000', '18446744073709551616.125']) values.push(big);
    for (const kw of values) {
      const mw = kwToMw(kw);
      assert.equal(mwToKw(mw), kw, `${kw} kW → ${mw} MW`);
      assert.match(mw, CANONICAL, mw);
    }
  });

  it('round-trip MW values with up to six fraction digits', () => {
    for (const mw of ['0', '0.000001', '0.0115', '0.1', '1', '1.234567', '12.5', '100', '250.000001']) {
      assert.equal(kwToMw(mwToKw(mw)), mw, `${mw} MW`);
    }
  });
});

describe('decimalOf', () => {
  it('accepts non-negative JSON numbers with at most three fraction digits', () => {
    const cases: readonly (readonly [number, string])[] = [
      [0, '0'],
      [-0, '0'],
      [1, '1'],
      [11, '11'],
      [11.5, '11.5'],
      [0.001, '0.001'],
      [1234.567, '1234.567'],
      [100000, '100000'],
      [1e20, '100000000000000000000'],
    ];
    for (const [n, expected] of cases) assert.equal(decimalOf(n), expected, String(n));
  });

  it('accepts decimal strings and canonicalises them: leading and trailing zeros removed, surrounding white space trimmed', () => {
    const cases: readonly (readonly [string, string])[] = [
      ['0', '0'],
      ['00', '0'],
      ['0.0', '0'],
      ['0.000', '0'],
      ['007', '7'],
      ['007.500', '7.5'],
      ['11.50', '11.5'],
      ['000.100', '0.1'],
      ['1234.567', '1234.567'],
      ['100000', '100000'],
      ['100000.000', '100000'],
      ['  12 ', '12'],
      ['\t1.0\n', '1'],
      ['123456789012345678901234567890', '123456789012345678901234567890'],
    ];
    for (const [s, expected] of cases) assert.equal(decimalOf(s), expected, JSON.stringify(s));
  });

  it('counts fraction digits after dropping trailing zeros', () => {
    assert.equal(decimalOf('1.2340000'), '1.234');
    assert.equal(decimalOf(1.2), '1.2');
    assert.equal(decimalOf('1.2345'), undefined);
  });

  it('refuses negative values', () => {
    for (const bad of [-1, -0.001, -1e-7, '-1', '-0', '-0.5']) assert.equal(decimalOf(bad), undefined, inspect(bad));
  });

  it('refuses NaN and infinities', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 'NaN', 'Infinity']) {
      assert.equal(decimalOf(bad), undefined, inspect(bad));
    }
  });

  it('refuses more than three fraction digits, from numbers and strings', () => {
    for (const bad of [1.2345, 0.0001, 1e-7, 0.1 + 0.2, '0.0001', '1.2345', '1234.5678']) {
      assert.equal(decimalOf(bad), undefined, inspect(bad));
    }
  });

  it('refuses exponent notation, signs, separators and other non-decimal strings', () => {
    for (const bad of ['1e3', '1E3', '1e-3', '+1', '1,5', '1 000', '0x10', '.5', '5.', '.', '1.2.3', '١٢', 'twelve']) {
      assert.equal(decimalOf(bad), undefined, JSON.stringify(bad));
    }
  });

  it('refuses the empty string and white space only', () => {
    assert.equal(decimalOf(''), undefined);
    assert.equal(decimalOf('   '), undefined);
  });

  it('refuses values that are neither numbers nor strings', () => {
    for (const bad of [{}, [], [1], { value: 1 }, null, undefined, true, 10n, new Number(1), new String('1')]) {
      assert.equal(decimalOf(bad), undefined, inspect(bad));
    }
  });

  it('honours another maximum of fraction digits', () => {
    assert.equal(decimalOf('1.23456', 6), '1.23456');
    assert.equal(decimalOf('1.2345678', 6), undefined);
    assert.equal(decimalOf(1e-7, 7), '0.0000001');
    assert.equal(decimalOf('1.5', 0), undefined);
    assert.equal(decimalOf('1.000', 0), '1');
    assert.equal(decimalOf(42, 0), '42');
  });

  it('refuses tiny positive numbers instead of reading them as 0 (they have more than three fraction digits)', () => {
    // 1e-7 is refused, so 1e-21 must be too; String(1e-21) is '1e-21' and toFixed(20) gives '0.00000000000000000000'
    for (const tiny of [1e-7, 1e-20, 1e-21, 4e-21, Number.MIN_VALUE]) assert.equal(decimalOf(tiny), undefined, String(tiny));
  });

  it('writes small numbers without scientific notation', () => {
    // String(1e-7) is '1e-7'
    assert.equal(decimalOf(1e-7, 7), '0.0000001');
    assert.equal(decimalOf(0.000001, 6), '0.000001');
  });
});
