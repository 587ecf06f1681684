import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { isHubError } from '../../../src/shared/errors.js';
import {
  addResolution,
  compactCurve,
  curvePeriodProblems,
  dateProblem,
  esmpDateTimeProblem,
  expandCurve,
  formatEsmpDateTime,
  formatIntervalString,
  formatResolution,
  formatYmdhm,
  parseEsmpDateTime,
  parseIntervalString,
  parseResolution,
  parseTimeInterval,
  parseYmdhm,
  pointCount,
  positionAt,
  positionInterval,
  positionStart,
  resolutionProblem,
  timeIntervalProblems,
  timeOfDayProblem,
  ymdhmProblem,
} from '../../../src/iec62325/time.js';

const iso = (d: Date): string => d.toISOString();
const invalid = (re: RegExp) => (e: unknown) => isHubError(e, 'IEC_DOCUMENT_INVALID') && re.test(e.message);

describe('ESMP_DateTime (YYYY-MM-DDThh:mm:ssZ, IEC 62325-351)', () => {
  it('parses and formats UTC instants with whole seconds', () => {
    assert.equal(iso(parseEsmpDateTime('2026-03-01T10:15:07Z')), '2026-03-01T10:15:07.000Z');
    assert.equal(formatEsmpDateTime(new Date(Date.UTC(2026, 2, 1, 10, 15, 7))), '2026-03-01T10:15:07Z');
    assert.equal(formatEsmpDateTime(parseEsmpDateTime('0001-01-01T00:00:00Z')), '0001-01-01T00:00:00Z');
    assert.equal(formatEsmpDateTime(parseEsmpDateTime('0099-12-31T23:59:59Z')), '0099-12-31T23:59:59Z');
  });

  it('accepts 29 February only in leap years (2024, 2000; not 2026, 2100)', () => {
    assert.equal(esmpDateTimeProblem('2024-02-29T12:00:00Z'), undefined);
    assert.equal(esmpDateTimeProblem('2000-02-29T12:00:00Z'), undefined);
    assert.match(esmpDateTimeProblem('2026-02-29T12:00:00Z') ?? '', /not a calendar date: 2026-02-29 does not exist/);
    assert.match(esmpDateTimeProblem('2100-02-29T12:00:00Z') ?? '', /not a calendar date/);
    assert.match(esmpDateTimeProblem('2026-04-31T12:00:00Z') ?? '', /not a calendar date/);
  });

  it('explains what is wrong with a non-UTC, fractional or incomplete value', () => {
    assert.match(
      esmpDateTimeProblem('2026-03-01T11:15:00+01:00') ?? '',
      /is not in UTC: .* not the offset \+01:00 .*in UTC that is 2026-03-01T10:15:00Z/,
    );
    assert.match(esmpDateTimeProblem('2026-03-01T00:30:00-02:00') ?? '', /in UTC that is 2026-03-01T02:30:00Z/);
    assert.match(esmpDateTimeProblem('2026-03-01T10:15:00.5Z') ?? '', /has a fraction of a second/);
    assert.match(esmpDateTimeProblem('2026-03-01T10:15:00') ?? '', /has no time zone/);
    assert.match(esmpDateTimeProblem('2026-03-01T10:15Z') ?? '', /has no seconds/);
    assert.match(esmpDateTimeProblem('2026-03-01T24:00:00Z') ?? '', /not a valid time of day/);
    assert.match(esmpDateTimeProblem('1.3.2026 10:15') ?? '', /is not a ESMP_DateTime: expected YYYY-MM-DDThh:mm:ssZ/);
    assert.throws(() => parseEsmpDateTime('2026-03-01T11:15:00+01:00'), invalid(/not in UTC/));
  });

  it('refuses to format an instant with milliseconds or outside 0001–9999 (rounding would change it)', () => {
    assert.throws(() => formatEsmpDateTime(new Date(Date.UTC(2026, 2, 1, 10, 15, 7, 1))), invalid(/fraction of a second/));
    assert.throws(() => formatEsmpDateTime(new Date(Number.NaN)), invalid(/invalid Date/));
    assert.throws(() => formatEsmpDateTime(new Date(Date.UTC(10000, 0, 1))), invalid(/outside the years/));
  });
});

describe('YMDHM_DateTime and time intervals', () => {
  it('parses and formats whole minutes, refusing seconds', () => {
    assert.equal(iso(parseYmdhm('2026-03-01T23:00Z')), '2026-03-01T23:00:00.000Z');
    assert.equal(formatYmdhm(new Date(Date.UTC(2026, 2, 1, 23))), '2026-03-01T23:00Z');
    assert.match(ymdhmProblem('2026-03-01T23:00:00Z') ?? '', /has seconds: .*YYYY-MM-DDThh:mmZ/);
    assert.match(ymdhmProblem('2026-03-01T23:00+01:00') ?? '', /not in UTC.*in UTC that is 2026-03-01T22:00Z/);
    assert.throws(() => formatYmdhm(new Date(Date.UTC(2026, 2, 1, 23, 0, 30))), invalid(/has seconds/));
  });

  it('checks that start is before end', () => {
    assert.deepEqual(timeIntervalProblems({ start: '2026-03-01T23:00Z', end: '2026-03-02T23:00Z' }), []);
    assert.deepEqual(
      timeIntervalProblems({ start: '2026-03-02T23:00Z', end: '2026-03-02T23:00Z' }).map((p) => p.field),
      [''],
    );
    assert.deepEqual(
      timeIntervalProblems({ start: '2026-03-02T23:00:00Z', end: 'tomorrow' }).map((p) => p.field),
      ['start', 'end'],
    );
    assert.throws(() => parseTimeInterval({ start: '2026-03-03T00:00Z', end: '2026-03-02T00:00Z' }), invalid(/is not before end/));
  });

  it('reads and writes the start/end form of the StatusRequest TimeInterval attribute', () => {
    const t = parseIntervalString('2026-03-01T23:00Z/2026-03-02T23:00Z');
    assert.deepEqual(t, { start: '2026-03-01T23:00Z', end: '2026-03-02T23:00Z' });
    assert.equal(formatIntervalString(t), '2026-03-01T23:00Z/2026-03-02T23:00Z');
    assert.throws(() => parseIntervalString('2026-03-01T23:00Z'), invalid(/expected start\/end/));
  });

  it('checks xs:date and xs:time values of the …_DateAndOrTime elements (UTC only)', () => {
    assert.equal(dateProblem('2028-02-29'), undefined);
    assert.equal(dateProblem('2026-03-01Z'), undefined);
    assert.match(dateProblem('2027-02-29') ?? '', /not a calendar date/);
    assert.match(dateProblem('2026-03-01+01:00') ?? '', /not in UTC/);
    assert.equal(timeOfDayProblem('07:00:00Z'), undefined);
    assert.match(timeOfDayProblem('07:00:00') ?? '', /no time zone/);
    assert.match(timeOfDayProblem('07:00:00+01:00') ?? '', /not in UTC/);
    assert.match(timeOfDayProblem('07:00:00.250Z') ?? '', /fraction of a second/);
    assert.match(timeOfDayProblem('7:00:00Z') ?? '', /expected hh:mm:ssZ/);
  });
});

describe('resolutions (xs:duration)', () => {
  it('parses the usual resolutions', () => {
    assert.deepEqual(parseResolution('PT15M'), { kind: 'fixed', minutes: 15, lexical: 'PT15M' });
    assert.deepEqual(parseResolution('PT30M'), { kind: 'fixed', minutes: 30, lexical: 'PT30M' });
    assert.deepEqual(parseResolution('PT60M'), { kind: 'fixed', minutes: 60, lexical: 'PT60M' });
    assert.deepEqual(parseResolution('PT1H'), { kind: 'fixed', minutes: 60, lexical: 'PT1H' });
    assert.deepEqual(parseResolution('P1D'), { kind: 'fixed', minutes: 1440, lexical: 'P1D' });
    assert.deepEqual(parseResolution('P7D'), { kind: 'fixed', minutes: 10080, lexical: 'P7D' });
    assert.deepEqual(parseResolution('P1M'), { kind: 'calendar', months: 1, lexical: 'P1M' });
    assert.deepEqual(parseResolution('P1Y'), { kind: 'calendar', months: 12, lexical: 'P1Y' });
  });

  it('formats them the ENTSO-E way', () => {
    assert.equal(formatResolution({ kind: 'fixed', minutes: 15 }), 'PT15M');
    assert.equal(formatResolution({ kind: 'fixed', minutes: 60 }), 'PT60M');
    assert.equal(formatResolution({ kind: 'fixed', minutes: 1440 }), 'P1D');
    assert.equal(formatResolution({ kind: 'fixed', minutes: 7 * 1440 }), 'P7D');
    assert.equal(formatResolution({ kind: 'calendar', months: 1 }), 'P1M');
    assert.equal(formatResolution({ kind: 'calendar', months: 24 }), 'P2Y');
    assert.throws(() => formatResolution({ kind: 'fixed', minutes: 7 }), invalid(/neither divide a day/));
  });

  it('rejects what it does not support, saying why', () => {
    const cases: [string, RegExp][] = [
      ['PT30S', /second resolutions are not supported/],
      ['P1W', /weeks \(PnW\) are not an xs:duration/],
      ['PT1H30M', /only one component/],
      ['P1DT12H', /only one component/],
      ['PT0M', /cannot be zero/],
      ['P0D', /cannot be zero/],
      ['-PT15M', /cannot be negative/],
      ['PT1.5H', /fractions are not supported/],
      ['PT7M', /7 minutes neither divide a day nor are whole days/],
      ['PT25H', /1500 minutes neither divide a day/],
      ['15M', /is not one of/],
      ['pt15m', /is not one of/],
      ['', /is not one of/],
    ];
    for (const [value, why] of cases) {
      assert.match(resolutionProblem(value) ?? 'accepted', why, value);
      assert.throws(() => parseResolution(value), invalid(/is not supported/), value);
    }
  });
});

describe('positions and point counts', () => {
  const day = parseYmdhm('2026-03-01T23:00Z');

  it('position p starts at start + (p − 1) · resolution', () => {
    assert.equal(iso(positionStart(day, 'PT15M', 1)), '2026-03-01T23:00:00.000Z');
    assert.equal(iso(positionStart(day, 'PT15M', 2)), '2026-03-01T23:15:00.000Z');
    assert.equal(iso(positionStart(day, 'PT15M', 96)), '2026-03-02T22:45:00.000Z');
    assert.deepEqual(positionInterval(day, 'PT60M', 24), { start: parseYmdhm('2026-03-02T22:00Z'), end: parseYmdhm('2026-03-02T23:00Z') });
    assert.throws(() => positionStart(day, 'PT15M', 0), invalid(/not a Position_Integer/));
    assert.throws(() => positionStart(day, 'PT15M', 1.5), invalid(/not a Position_Integer/));
  });

  it('positionAt is the inverse, for block boundaries and instants inside a block', () => {
    for (const p of [1, 2, 37, 96]) assert.equal(positionAt(day, 'PT15M', positionStart(day, 'PT15M', p)), p);
    assert.equal(positionAt(day, 'PT15M', parseEsmpDateTime('2026-03-01T23:29:59Z')), 2);
    assert.throws(() => positionAt(day, 'PT15M', parseEsmpDateTime('2026-03-01T22:59:59Z')), invalid(/before the period start/));
  });

  it('counts the positions of an interval', () => {
    assert.equal(pointCount({ start: '2026-03-01T23:00Z', end: '2026-03-02T23:00Z' }, 'PT15M'), 96);
    assert.equal(pointCount({ start: '2026-03-01T23:00Z', end: '2026-03-02T23:00Z' }, 'PT60M'), 24);
    assert.equal(pointCount({ start: '2026-03-01T23:00Z', end: '2026-03-02T23:00Z' }, 'P1D'), 1);
    assert.equal(pointCount({ start: '2023-07-09T21:00Z', end: '2023-07-16T21:00Z' }, 'P7D'), 1);
    assert.throws(
      () => pointCount({ start: '2026-03-02T10:00Z', end: '2026-03-02T10:20Z' }, 'PT15M'),
      invalid(/not a whole number of PT15M \(20 minutes\)/),
    );
  });

  it('is plain UTC arithmetic: the CET/CEST switch days are 92 and 100 quarter hours, nothing special', () => {
    // Europe/Copenhagen 2026: CEST starts 29 March (a 23-hour local day), ends 25 October (25 hours).
    assert.equal(pointCount({ start: '2026-03-28T23:00Z', end: '2026-03-29T22:00Z' }, 'PT15M'), 92);
    assert.equal(pointCount({ start: '2026-10-24T22:00Z', end: '2026-10-25T23:00Z' }, 'PT15M'), 100);
    assert.equal(iso(positionStart(parseYmdhm('2026-03-28T23:00Z'), 'PT60M', 4)), '2026-03-29T02:00:00.000Z');
  });

  it('handles leap days: 29 February 2024 is a day of 96 quarter hours, 2024 has 8784 hours', () => {
    assert.equal(pointCount({ start: '2024-02-28T23:00Z', end: '2024-02-29T23:00Z' }, 'PT15M'), 96);
    assert.equal(pointCount({ start: '2024-02-01T00:00Z', end: '2024-03-01T00:00Z' }, 'P1D'), 29);
    assert.equal(pointCount({ start: '2023-02-01T00:00Z', end: '2023-03-01T00:00Z' }, 'P1D'), 28);
    assert.equal(pointCount({ start: '2015-12-31T23:00Z', end: '2016-12-31T23:00Z' }, 'PT60M'), 8784);
    assert.equal(iso(positionStart(parseYmdhm('2024-02-28T00:00Z'), 'P1D', 2)), '2024-02-29T00:00:00.000Z');
  });

  it('counts calendar months and years on the UTC calendar, clamping the day of month', () => {
    assert.equal(pointCount({ start: '2023-12-31T23:00Z', end: '2024-12-31T23:00Z' }, 'P1M'), 12);
    assert.equal(pointCount({ start: '2024-01-01T00:00Z', end: '2026-01-01T00:00Z' }, 'P1Y'), 2);
    assert.equal(iso(addResolution(parseYmdhm('2024-01-31T00:00Z'), 'P1M', 1)), '2024-02-29T00:00:00.000Z');
    assert.equal(iso(addResolution(parseYmdhm('2024-01-31T00:00Z'), 'P1M', 2)), '2024-03-31T00:00:00.000Z');
    assert.equal(positionAt(parseYmdhm('2024-01-31T00:00Z'), 'P1M', parseYmdhm('2024-03-30T00:00Z')), 2);
    assert.throws(() => pointCount({ start: '2024-01-01T00:00Z', end: '2024-02-15T00:00Z' }, 'P1M'), invalid(/not a whole number of P1M/));
  });
});

describe('curves: A01 fixed blocks, A03 variable-sized blocks', () => {
  const period = (point: { position: number; quantity: string }[], resolution = 'PT60M') => ({
    timeInterval: { start: '2026-03-02T06:00Z', end: '2026-03-02T12:00Z' },
    resolution,
    point,
  });

  it('A03: a point holds its value until the next position, the last until the end', () => {
    const blocks = expandCurve(
      period([
        { position: 1, quantity: '5' },
        { position: 3, quantity: '-2.50' },
        { position: 6, quantity: '0' },
      ]),
      'A03',
    );
    assert.deepEqual(
      blocks.map((b) => [b.position, iso(b.start), iso(b.end), b.quantity]),
      [
        [1, '2026-03-02T06:00:00.000Z', '2026-03-02T07:00:00.000Z', '5'],
        [2, '2026-03-02T07:00:00.000Z', '2026-03-02T08:00:00.000Z', '5'],
        [3, '2026-03-02T08:00:00.000Z', '2026-03-02T09:00:00.000Z', '-2.50'],
        [4, '2026-03-02T09:00:00.000Z', '2026-03-02T10:00:00.000Z', '-2.50'],
        [5, '2026-03-02T10:00:00.000Z', '2026-03-02T11:00:00.000Z', '-2.50'],
        [6, '2026-03-02T11:00:00.000Z', '2026-03-02T12:00:00.000Z', '0'],
      ],
    );
    assert.deepEqual(
      expandCurve(period([{ position: 4, quantity: '1' }]), 'A03').map((b) => b.quantity),
      [null, null, null, '1', '1', '1'],
    );
  });

  it('A01: each point covers its own position; a missing position has no value', () => {
    const q = expandCurve(
      period([
        { position: 1, quantity: '1' },
        { position: 2, quantity: '2' },
        { position: 5, quantity: '5' },
      ]),
      'A01',
    ).map((b) => b.quantity);
    assert.deepEqual(q, ['1', '2', null, null, '5', null]);
  });

  it('refuses other curve types and inconsistent periods', () => {
    assert.throws(() => expandCurve(period([{ position: 1, quantity: '1' }]), 'A02'), invalid(/curve type A02 cannot be expanded/));
    assert.throws(
      () => expandCurve(period([{ position: 7, quantity: '1' }]), 'A01'),
      invalid(/point\[0\]\.position: position 7 is after the end of the period, which has 6 positions/),
    );
    assert.throws(
      () =>
        expandCurve(
          period([
            { position: 2, quantity: '1' },
            { position: 2, quantity: '1' },
          ]),
          'A03',
        ),
      invalid(/position 2 does not follow position 2/),
    );
    assert.throws(
      () => expandCurve(period([{ position: 1, quantity: '1' }], 'PT7M'), 'A01'),
      invalid(/resolution: resolution 'PT7M' is not supported/),
    );
  });

  it('compacts a full series into A03 points (numeric changes only) and back', () => {
    const values = ['-11.00', '-11.00', '-11', '0', '0', '7.50', '7.5'];
    const points = compactCurve(values, 'A03');
    assert.deepEqual(points, [
      { position: 1, quantity: '-11.00' },
      { position: 4, quantity: '0' },
      { position: 6, quantity: '7.50' },
    ]);
    const expanded = expandCurve(
      { timeInterval: { start: '2026-03-02T00:00Z', end: '2026-03-02T01:45Z' }, resolution: 'PT15M', point: points },
      'A03',
    );
    assert.deepEqual(
      expanded.map((b) => b.quantity),
      ['-11.00', '-11.00', '-11.00', '0', '0', '7.50', '7.50'],
    );
    assert.equal(compactCurve(values, 'A01').length, 7);
  });

  it('for documents it reads, allows a partial last block (the schemas do not forbid it)', () => {
    const p = {
      timeInterval: { start: '2026-03-02T06:00Z', end: '2026-03-04T18:00Z' },
      resolution: 'P1D',
      point: [{ position: 3, quantity: '20' }],
    };
    assert.deepEqual(curvePeriodProblems(p, { wholeBlocks: false }), []);
    assert.deepEqual(
      curvePeriodProblems(p).map((x) => x.path),
      ['resolution'],
    );
    assert.deepEqual(
      curvePeriodProblems({ ...p, point: [{ position: 4, quantity: '1' }] }, { wholeBlocks: false }).map((x) => x.path),
      ['point[0].position'],
    );
  });
});
