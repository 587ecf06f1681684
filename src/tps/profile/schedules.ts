/**
 * Operational schedules in GL_MarketDocument 3:2, `type` A67 (docs/iec62325-profile.md §7): one
 * time series per asset — businessType A07 net production/consumption, objectAggregation A06
 * resource object, unit KWT, curve type A01 (one point per position), positive = production —
 * in one period covering the schedule. An update re-sends the document with the same mRID and
 * revision + 1; a cancel is a new revision whose series carry cancelledTS A01.
 */
import type { GlDocument, GlTimeSeries, Participant } from '../../iec62325/index.js';
import { canonicalDecimal, curvePeriodProblems, isDecimal, pointCount } from '../../iec62325/index.js';

export const SCHEDULE_PROCESS = { dayAhead: 'A01', intraday: 'A40' } as const;
export type ScheduleProcess = (typeof SCHEDULE_PROCESS)[keyof typeof SCHEDULE_PROCESS];

export interface ScheduleSeries {
  readonly assetId: string;
  readonly codingScheme: string;
  /** kW per position, signed decimals (+ production, − consumption). */
  readonly points: readonly string[];
}

export interface Schedule {
  readonly mRID: string;
  readonly revision: number;
  readonly processType: ScheduleProcess;
  /** YYYY-MM-DDThh:mmZ */
  readonly start: string;
  readonly end: string;
  /** xs:duration, e.g. PT15M */
  readonly resolution: string;
  readonly cancelled: boolean;
  readonly series: readonly ScheduleSeries[];
}

export function scheduleToGl(s: Schedule, sender: Participant, receiver: Participant, createdDateTime: string): GlDocument {
  const timeInterval = { start: s.start, end: s.end };
  return {
    mRID: s.mRID,
    revisionNumber: s.revision,
    type: 'A67',
    processType: s.processType,
    sender,
    receiver,
    createdDateTime,
    timeInterval,
    timeSeries: s.series.map((x, i): GlTimeSeries => ({
      mRID: String(i + 1),
      businessType: 'A07',
      objectAggregation: 'A06',
      registeredResource: { mRID: x.assetId, codingScheme: x.codingScheme },
      measurementUnit: 'KWT',
      curveType: 'A01',
      ...(s.cancelled ? { cancelledTS: 'A01' } : {}),
      period: [{ timeInterval, resolution: s.resolution, point: x.points.map((quantity, p) => ({ position: p + 1, quantity })) }],
    })),
  };
}

export interface ScheduleProblem {
  readonly timeSeries: string;
  readonly code: string;
  readonly text: string;
}

/** Reads a schedule; every series must cover the document's period at its resolution with every position given. */
export function glToSchedule(doc: GlDocument): { schedule: Schedule; problems: ScheduleProblem[] } {
  const problems: ScheduleProblem[] = [];
  const series: ScheduleSeries[] = [];
  const seen = new Set<string>();
  let resolution = '';
  let cancelledCount = 0;
  for (const ts of doc.timeSeries) {
    const add = (code: string, text: string) => problems.push({ timeSeries: ts.mRID, code, text });
    const asset = ts.registeredResource?.mRID;
    if (!asset) {
      add('A69', 'a schedule series names its asset (registeredResource.mRID)');
      continue;
    }
    if (seen.has(asset)) add('A59', `asset ${asset} has two series in one schedule`);
    seen.add(asset);
    if (ts.businessType !== 'A07')
      add('A59', `asset ${asset}: businessType ${ts.businessType}; a schedule series is A07 net production/consumption`);
    if (ts.measurementUnit !== 'KWT') add('A59', `asset ${asset}: unit ${ts.measurementUnit}; schedules are in KWT`);
    if (ts.cancelledTS === 'A01') cancelledCount++;
    const period = ts.period?.[0];
    if (!period || (ts.period?.length ?? 0) > 1) {
      add('A59', `asset ${asset}: a schedule series has exactly one period`);
      continue;
    }
    if (period.timeInterval.start !== doc.timeInterval.start || period.timeInterval.end !== doc.timeInterval.end)
      add(
        'A04',
        `asset ${asset}: the period ${period.timeInterval.start}/${period.timeInterval.end} is not the schedule's ${doc.timeInterval.start}/${doc.timeInterval.end}`,
      );
    resolution ||= period.resolution;
    if (period.resolution !== resolution) add('A41', `asset ${asset}: resolution ${period.resolution} differs from ${resolution}`);
    const shape = curvePeriodProblems(period, { wholeBlocks: true });
    if (shape.length) {
      for (const p of shape) add('A41', `asset ${asset}: ${p.path}: ${p.message}`);
      continue;
    }
    if (!['A01', 'A03'].includes(ts.curveType)) {
      add('A59', `asset ${asset}: curve type ${ts.curveType}; schedules use A01 or A03`);
      continue;
    }
    const values = fill(period.point, ts.curveType, positionsOf(period.timeInterval.start, period.timeInterval.end, period.resolution));
    const missing = values.flatMap((q, i) => (q === null ? [i + 1] : []));
    if (missing.length) {
      add(
        'A42',
        `asset ${asset}: no value for position${missing.length > 1 ? 's' : ''} ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}`,
      );
      continue;
    }
    const points = values as string[];
    const bad = points.find((q) => !isDecimal(q));
    if (bad !== undefined) {
      add('A42', `asset ${asset}: ${bad} is not a decimal quantity`);
      continue;
    }
    series.push({ assetId: asset, codingScheme: ts.registeredResource?.codingScheme ?? 'NDK', points: points.map(canonicalDecimal) });
  }
  if (cancelledCount > 0 && cancelledCount < doc.timeSeries.length)
    problems.push({
      timeSeries: doc.timeSeries[0]?.mRID ?? '1',
      code: 'A59',
      text: 'a cancel marks every series cancelled (cancelledTS A01), or none',
    });
  return {
    schedule: {
      mRID: doc.mRID,
      revision: doc.revisionNumber,
      processType: doc.processType as ScheduleProcess,
      start: doc.timeInterval.start,
      end: doc.timeInterval.end,
      resolution,
      cancelled: cancelledCount > 0 && cancelledCount === doc.timeSeries.length,
      series,
    },
    problems,
  };
}

/** How many positions a schedule of this period and resolution has (throws IEC_DOCUMENT_INVALID when they do not fit). */
export const positionsOf = (start: string, end: string, resolution: string): number => pointCount({ start, end }, resolution);

/**
 * The value of every position (IEC 62325-351 curve types): A01 — each point its own position;
 * A03 — a point holds until the next one. null where no value is given. (expandCurve does the
 * same with a time interval per block; schedules of 100,000 assets do not need those.)
 */
function fill(
  points: readonly { readonly position: number; readonly quantity: string }[],
  curveType: string,
  count: number,
): (string | null)[] {
  const values = new Array<string | null>(count).fill(null);
  points.forEach((pt, i) => {
    const next = curveType === 'A03' ? (points[i + 1]?.position ?? count + 1) : pt.position + 1;
    for (let p = pt.position; p < next && p <= count; p++) values[p - 1] = pt.quantity;
  });
  return values;
}
