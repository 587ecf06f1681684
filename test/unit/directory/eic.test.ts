import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eicCheckCharacter, eicProblem, eicType, isEic, withEicCheckCharacter } from '../../../src/directory/eic.js';

// Published codes: ENTSO-E bidding zones and control areas, ECP central brokers, parties.
const REAL = [
  ['10X1001A1001A450', 'X'], // ENTSO-E as a party (ECP network)
  ['10X1001A1001A361', 'X'],
  ['10XDE-RWENET---W', 'X'],
  ['10YNL----------L', 'Y'], // the Netherlands
  ['10YDE-VE-------2', 'Y'],
  ['10YCZ-CEPS-----N', 'Y'],
  ['10YFR-RTE------C', 'Y'],
  ['10YBE----------2', 'Y'],
  ['10YAT-APG------L', 'Y'],
  ['10YDK-1--------W', 'Y'],
  ['10Y1001A1001A83F', 'Y'],
  ['10V1001C--000438', 'V'], // ENTSO-E central ECP brokers
  ['10V1001C--000446', 'V'],
] as const;

describe('EIC codes', () => {
  for (const [code, type] of REAL) {
    it(`accepts ${code} (${type})`, () => {
      assert.equal(eicProblem(code), undefined);
      assert.ok(isEic(code, type));
      assert.equal(eicType(code), type);
      assert.equal(eicCheckCharacter(code.slice(0, 15)), code[15]);
    });
  }

  it('rejects every single-character corruption of the check character', () => {
    for (const [code] of REAL) {
      for (const c of '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ') {
        if (c === code[15]) continue;
        const bad = code.slice(0, 15) + c;
        assert.match(eicProblem(bad) ?? '', new RegExp(`check character is ${c}, expected ${code[15]}`), bad);
      }
    }
  });

  it('detects a changed character and a swap of two neighbours in the body', () => {
    assert.match(eicProblem('10V1001C--000439') ?? '', /check character/); // last digit changed → check differs
    assert.ok(!isEic('10V1001C--000448')); // 438 → 448 (body changed, check kept)
    assert.ok(!isEic('10V1001C--004038')); // neighbours swapped
    assert.ok(!isEic('10YNL---------L-'.replace(/-$/, 'L'))); // shifted
  });

  it('explains malformed codes', () => {
    assert.match(eicProblem('10V1001C--00043') ?? '', /16 characters, got 15/);
    assert.match(eicProblem('1XV1001C--000438') ?? '', /two-digit issuing office/);
    assert.match(eicProblem('109V001C--000438') ?? '', /object-type letter/);
    assert.match(eicProblem('10v1001c--000438') ?? '', /object-type letter|upper case/);
    assert.match(eicProblem('10V1001c--000438') ?? '', /upper case/);
    assert.match(eicProblem('10V1001C--00043-') ?? '', /must not end with '-'/);
    assert.match(eicProblem('10B1001C--000438') ?? '', /object type B is not an EIC type/);
    assert.match(eicProblem(42) ?? '', /must be a string/);
  });

  it('checks the expected object type', () => {
    assert.match(eicProblem('10X1001A1001A450', 'V') ?? '', /must be an EIC V-code \(location\), got a X-code \(party\)/);
    assert.equal(eicProblem('10V1001C--000438', 'V'), undefined);
  });

  it('completes a prefix with its check character, and refuses prefixes whose check would be "-"', () => {
    assert.equal(withEicCheckCharacter('10V1001C--00043'), '10V1001C--000438');
    // find a prefix whose check value is 36 and make sure it is refused
    let found: string | undefined;
    for (let i = 0; i < 1000 && !found; i++) {
      const prefix = `10V1001C--${String(i).padStart(5, '0')}`;
      if (eicCheckCharacter(prefix) === undefined) found = prefix;
    }
    assert.ok(found, 'some prefix has no valid check character');
    assert.throws(() => withEicCheckCharacter(found));
    assert.match(eicProblem(`${found}0`) ?? '', /no valid check character/);
  });
});
