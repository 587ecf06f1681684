/**
 * GS1 mod-10 check digits (GS1 General Specifications §7.9): the GLN (13 digits, parties) and the
 * GSRN/EAN-18 (18 digits, connection points). Worked examples are computed by hand in the comments:
 * weights 3, 1, 3, … from the rightmost digit of the body, check digit = (10 − sum mod 10) mod 10.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { gs1CheckDigit, gs1Problem, withGs1CheckDigit } from '../../../src/shared/gs1.js';

/** An independent check: with the check digit at weight 1, the weighted sum of the whole key is a multiple of 10. */
function weightedSumOfKey(code: string): number {
  let sum = 0;
  for (let i = 0; i < code.length; i++) sum += Number(code[code.length - 1 - i]) * (i % 2 === 0 ? 1 : 3);
  return sum;
}

describe('gs1CheckDigit and withGs1CheckDigit', () => {
  it('computes the check digit of the GS1 example GLN 5412345000013', () => {
    // body 541234500001, from the right: 1·3 + 0·1 + 0·3 + 0·1 + 0·3 + 5·1 + 4·3 + 3·1 + 2·3 + 1·1 + 4·3 + 5·1
    //   = 3 + 5 + 12 + 3 + 6 + 1 + 12 + 5 = 47 → (10 − 7) mod 10 = 3
    assert.equal(gs1CheckDigit('541234500001'), 3);
    assert.equal(withGs1CheckDigit('541234500001'), '5412345000013');
  });

  it('computes the check digit of the GS1 example GSRN 735005385000000011', () => {
    // body 73500538500000001, from the right: 1·3, then seven 0s, then 5·3 + 8·1 + 3·3 + 5·1 + 0·3 + 0·1 + 5·3 + 3·1 + 7·3
    //   = 3 + 15 + 8 + 9 + 5 + 15 + 3 + 21 = 79 → (10 − 9) mod 10 = 1
    assert.equal(gs1CheckDigit('73500538500000001'), 1);
    assert.equal(withGs1CheckDigit('73500538500000001'), '735005385000000011');
  });

  it('computes the check digits of other published EAN-13 codes (same algorithm as the GLN)', () => {
    // 400638133393: 3·3 + 9 + 3·3 + 3 + 3·3 + 1 + 8·3 + 3 + 6·3 + 0 + 0·3 + 4 = 89 → 1
    assert.equal(withGs1CheckDigit('400638133393'), '4006381333931');
    // 123456789012: 2·3 + 1 + 0·3 + 9 + 8·3 + 7 + 6·3 + 5 + 4·3 + 3 + 2·3 + 1 = 92 → 8
    assert.equal(withGs1CheckDigit('123456789012'), '1234567890128');
  });

  it('gives 0, not 10, when the weighted sum is already a multiple of 10', () => {
    // 000000000055: 5·3 + 5·1 = 20 → (10 − 0) mod 10 = 0
    assert.equal(gs1CheckDigit('000000000055'), 0);
    assert.equal(gs1CheckDigit('000000000000'), 0);
    assert.equal(gs1CheckDigit('00000000000000000'), 0);
  });

  it('builds a connection-point GSRN from the Danish prefix: 571313100001234568', () => {
    // 57131310000123456 from the right: 6·3 + 5 + 4·3 + 3 + 2·3 + 1 + 0 + 0 + 0 + 0 + 1·3 + 3 + 1·3 + 3 + 1·3 + 7 + 5·3
    //   = 18 + 5 + 12 + 3 + 6 + 1 + 3 + 3 + 3 + 3 + 3 + 7 + 15 = 82 → 8
    assert.equal(withGs1CheckDigit('57131310000123456'), '571313100001234568');
  });

  it('always makes the weighted sum of the whole key a multiple of 10 (13 and 18 digits)', () => {
    let seed = 12345;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % 10;
    for (const length of [13, 18] as const) {
      for (let n = 0; n < 500; n++) {
        const body = Array.from({ length: length - 1 }, next).join('');
        const key = withGs1CheckDigit(body);
        assert.equal(key.length, length);
        assert.equal(weightedSumOfKey(key) % 10, 0, key);
        assert.equal(gs1Problem(key, length), undefined, key);
      }
    }
  });
});

describe('gs1Problem', () => {
  it('accepts valid GLNs and GSRNs', () => {
    for (const gln of ['5412345000013', '4006381333931', '1234567890128', '0000000000550', '0000000000000']) {
      assert.equal(gs1Problem(gln, 13), undefined, gln);
    }
    for (const gsrn of ['735005385000000011', '571313100001234568', withGs1CheckDigit('57131310000000001')]) {
      assert.equal(gs1Problem(gsrn, 18), undefined, gsrn);
    }
  });

  it('names the given and the expected check digit when the check digit is wrong', () => {
    assert.equal(gs1Problem('5412345000012', 13), 'check digit is 2, expected 3');
    assert.equal(gs1Problem('5412345000010', 13), 'check digit is 0, expected 3');
    assert.equal(gs1Problem('735005385000000019', 18), 'check digit is 9, expected 1');
    assert.equal(gs1Problem('0000000000551', 13), 'check digit is 1, expected 0');
  });

  it('detects every single-digit change of a valid key', () => {
    const valid = '735005385000000011';
    for (let i = 0; i < valid.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === valid[i]) continue;
        const changed = valid.slice(0, i) + String(d) + valid.slice(i + 1);
        assert.notEqual(gs1Problem(changed, 18), undefined, changed);
      }
    }
  });

  it('refuses a key of the wrong length, saying how long it is', () => {
    assert.equal(gs1Problem('541234500001', 13), 'must be 13 digits, got 12');
    assert.equal(gs1Problem('54123450000133', 13), 'must be 13 digits, got 14');
    // a valid GLN is not a GSRN and vice versa
    assert.equal(gs1Problem('5412345000013', 18), 'must be 18 digits, got 13');
    assert.equal(gs1Problem('735005385000000011', 13), 'must be 13 digits, got 18');
  });

  it('refuses anything but ASCII digits', () => {
    for (const bad of [
      '',
      '541234500001X',
      ' 5412345000013',
      '5412345000013 ',
      '5412345000013\n',
      '+412345000013',
      '-5412345000013',
      '5412345.000013',
      '5412345 000013',
      '５412345000013', // full-width digit
      '٥412345000013', // Arabic-Indic digit
    ]) {
      assert.equal(gs1Problem(bad, 13), 'must be 13 digits', JSON.stringify(bad));
    }
    assert.equal(gs1Problem('73500538500000001A', 18), 'must be 18 digits');
  });

  it('refuses values that are not strings', () => {
    for (const bad of [5412345000013, 735005385000000011n, undefined, null, {}, ['5412345000013'], true]) {
      assert.equal(gs1Problem(bad, 13), 'must be a string', inspect(bad));
    }
  });
});
