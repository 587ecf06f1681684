import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  canonicalDecimal,
  decimalEquals,
  decimalFromNumber,
  decimalProblem,
  floatProblem,
  isDecimal,
} from '../../../src/iec62325/decimal.js';

describe('lexical decimals (xs:decimal)', () => {
  it('recognises the xs:decimal lexical space', () => {
    for (const ok of ['0', '-11', '+2', '1.50', '.5', '5.', '-0.0', '007', '123456789012345678901234567890.5'])
      assert.ok(isDecimal(ok), ok);
    for (const bad of ['', ' 1', '1e3', '7,5', '1.2.3', '.', '-', 'NaN', 'INF', '1 000']) assert.ok(!isDecimal(bad), bad);
  });

  it('says why a value is not a decimal', () => {
    assert.match(decimalProblem('') ?? '', /is empty/);
    assert.match(decimalProblem('1.5E3') ?? '', /has an exponent/);
    assert.match(decimalProblem('7,5') ?? '', /decimal separator is '\.'/);
    assert.match(decimalProblem('abc') ?? '', /is not a decimal number/);
    assert.equal(decimalProblem('-3.20'), undefined);
  });

  it('compares values, not spellings', () => {
    assert.equal(canonicalDecimal('+001.500'), '1.5');
    assert.equal(canonicalDecimal('-0.000'), '0');
    assert.equal(canonicalDecimal('.5'), '0.5');
    assert.equal(canonicalDecimal('5.'), '5');
    assert.equal(canonicalDecimal('-11.00'), '-11');
    assert.ok(decimalEquals('1.50', '1.5'));
    assert.ok(!decimalEquals('1.50', '1.05'));
    assert.throws(() => canonicalDecimal('1e3'), RangeError);
  });

  it('writes numbers without an exponent', () => {
    assert.equal(decimalFromNumber(7.5), '7.5');
    assert.equal(decimalFromNumber(-11), '-11');
    assert.equal(decimalFromNumber(-0), '0');
    assert.equal(decimalFromNumber(1e21), '1000000000000000000000');
    assert.equal(decimalFromNumber(1.5e-7), '0.00000015');
    assert.equal(decimalFromNumber(-2.5e22), '-25000000000000000000000');
    assert.equal(decimalFromNumber(1.25e21), '1250000000000000000000');
    assert.throws(() => decimalFromNumber(Number.NaN), RangeError);
    assert.throws(() => decimalFromNumber(Number.POSITIVE_INFINITY), RangeError);
    for (const n of [0.1, 123.456, 1e-7, 9.87654321e25]) assert.equal(Number(decimalFromNumber(n)), n);
  });
});

describe('ESMP float patterns', () => {
  it('older schemas: at most one fraction digit, unsigned', () => {
    assert.equal(floatProblem('110.5', 'oneFractionDigit'), undefined);
    assert.equal(floatProblem('22', 'oneFractionDigit'), undefined);
    for (const bad of ['110.25', '-1', '.5', '1.', '1e2'])
      assert.match(floatProblem(bad, 'oneFractionDigit') ?? '', /at most one fraction digit/, bad);
  });

  it('newer schemas: unsigned digits with an optional fraction, no exponent', () => {
    for (const ok of ['0.0099', '.0099', '5.', '40.25']) assert.equal(floatProblem(ok, 'unsignedDecimal'), undefined, ok);
    for (const bad of ['-0.25', '4E-1', '.', '', 'INF'])
      assert.match(floatProblem(bad, 'unsignedDecimal') ?? '', /no sign, no exponent/, bad);
  });
});
