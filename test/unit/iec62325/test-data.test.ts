/** The test data builders use realistic, internally consistent DREM data. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { expandCurve } from '../../../src/iec62325/index.js';
import { AGR, ASSETS, BRP, CONNECTION_POINTS, DSO, GRID_AREA, TPS, aGlDocument, scheduleValues } from '../../builders/iec62325.js';

/** EIC check character (ENTSO-E EIC reference manual: weights 16…2 over the first 15 characters, modulo 37). */
function eicCheck(code: string): string {
  const value = (c: string): number => (/[0-9]/.test(c) ? Number(c) : c === '-' ? 36 : c.charCodeAt(0) - 55);
  let sum = 0;
  for (let i = 0; i < 15; i++) sum += value(code[i] ?? '0') * (16 - i);
  const r = 36 - ((sum - 1) % 37);
  return r < 10 ? String(r) : r === 36 ? '-' : String.fromCharCode(r + 55);
}

/** GS1 check digit (GSRN / EAN-18): weights 3 and 1 from the right. */
function gs1Check(code: string): string {
  let sum = 0;
  const body = code.slice(0, -1);
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return String((10 - (sum % 10)) % 10);
}

describe('test data', () => {
  it('party and area codes are EIC codes with a valid check character', () => {
    for (const code of [TPS.mRID, DSO.mRID, AGR.mRID, BRP.mRID, GRID_AREA.mRID, '10X1001A1001A450', '10YCZ-CEPS-----N']) {
      assert.equal(code.length, 16, code);
      assert.equal(code.at(-1), eicCheck(code), code);
    }
    assert.deepEqual([TPS.mRID[2], DSO.mRID[2], AGR.mRID[2], GRID_AREA.mRID[2]], ['X', 'X', 'X', 'Y']);
  });

  it('connection points are 18-digit GSRNs with a valid check digit', () => {
    for (const cp of [...CONNECTION_POINTS, ...Object.values(ASSETS).map((a) => a.connectionPoint)]) {
      assert.match(cp, /^\d{18}$/);
      assert.equal(cp.at(-1), gs1Check(cp), cp);
    }
  });

  it('a schedule is one day of 96 quarter hours: production positive, consumption negative', () => {
    const doc = aGlDocument();
    assert.equal(doc.timeSeries.length, 3);
    for (const ts of doc.timeSeries) {
      const period = ts.period?.[0];
      assert.ok(period);
      const blocks = expandCurve(period, ts.curveType);
      assert.equal(blocks.length, 96);
      assert.ok(blocks.every((b) => b.quantity !== null));
    }
    assert.ok(scheduleValues('battery').some((v) => v.startsWith('-')) && scheduleValues('battery').some((v) => Number(v) > 0));
    assert.ok(scheduleValues('heatPump').every((v) => Number(v) < 0));
    assert.ok(scheduleValues('solar').every((v) => Number(v) >= 0) && scheduleValues('solar').some((v) => Number(v) > 0));
  });
});
