/**
 * Capacity limits in Unavailability_MarketDocument 4:1, process type A26 (docs/iec62325-profile.md
 * §6): type A76 restricts consumption, A77 production; businessType A53 = foreseen (planned),
 * A54 = unforeseen; the affected assets as Asset_RegisteredResource; the capacity that stays
 * available as Available_Period (PT15M, curve A03, kW). An unforeseen issue's action is the
 * docStatus (A23 stop, A24 start, none = hold, with Reason A95 "hold"); a cancel is a revision with
 * docStatus A09. The fairness policy travels as a document-level Reason A95 "fairness policy: …".
 */
import type { AssetRegisteredResource, Period, Reason, UnavailabilityDocument, UnavailabilityTimeSeries } from '../../iec62325/index.js';
import { compactCurve, formatYmdhm, parseYmdhm, pointCount } from '../../iec62325/index.js';
import { isFairnessPolicy, type FairnessPolicyId } from '../fairness/index.js';

export type LimitKind = 'foreseen' | 'unforeseen';
export type Direction = 'consumption' | 'production';
export type Action = 'start' | 'stop' | 'hold';

export const LIMIT_CODES = {
  type: { consumption: 'A76', production: 'A77' },
  businessType: { foreseen: 'A53', unforeseen: 'A54' },
  status: { cancelled: 'A09', stop: 'A23', start: 'A24' },
  processType: 'A26',
  resolution: 'PT15M',
  /** Reason codes: B19 foreseen maintenance, B46 internal congestion, B18 failure, A95 complementary information. */
  reason: { maintenance: 'B19', congestion: 'B46', failure: 'B18', text: 'A95' },
} as const;

export type Cause = 'maintenance' | 'congestion' | 'failure';
const POLICY_PREFIX = 'fairness policy: ';

export interface LimitAsset {
  readonly assetId: string;
  readonly codingScheme: string;
  readonly connectionPoint?: string;
}

export interface CapacityLimit {
  readonly mRID: string;
  readonly revision: number;
  readonly kind: LimitKind;
  readonly direction: Direction;
  /** YYYY-MM-DDThh:mmZ */
  readonly start: string;
  readonly end: string;
  /** Unforeseen only. */
  readonly action?: Action;
  readonly cause: Cause;
  readonly cancelled: boolean;
  readonly policy?: FairnessPolicyId;
  readonly text?: string;
  /** One group of assets sharing `availableKw` (from a DSO); one asset per group with its share (to an AGR/BRP). */
  readonly groups: readonly { readonly assets: readonly LimitAsset[]; readonly availableKw?: readonly string[] }[];
}

const dateTime = (ymdhm: string) => ({ date: ymdhm.slice(0, 10), time: `${ymdhm.slice(11, 16)}:00Z` });
const fromDateTime = (d: { date: string; time: string }) => `${d.date}T${d.time.slice(0, 5)}Z`;

/** Positions of PT15M in the limit's period (throws IEC_DOCUMENT_INVALID when the period is not whole quarters). */
export const limitPositions = (start: string, end: string): number => pointCount({ start, end }, LIMIT_CODES.resolution);

export function limitToUnavailability(
  l: CapacityLimit,
  sender: UnavailabilityDocument['sender'],
  receiver: UnavailabilityDocument['receiver'],
  createdDateTime: string,
): UnavailabilityDocument {
  const docStatus = l.cancelled
    ? LIMIT_CODES.status.cancelled
    : l.kind === 'unforeseen' && l.action && l.action !== 'hold'
      ? LIMIT_CODES.status[l.action]
      : undefined;
  const seriesReason: Reason[] = [
    { code: LIMIT_CODES.reason[l.cause] },
    ...(l.kind === 'unforeseen' && l.action ? [{ code: LIMIT_CODES.reason.text, text: l.action }] : []),
  ];
  const timeSeries = l.groups.map((g, i): UnavailabilityTimeSeries => ({
    mRID: String(i + 1),
    businessType: LIMIT_CODES.businessType[l.kind],
    start: dateTime(l.start),
    end: dateTime(l.end),
    measurementUnit: 'KWT',
    curveType: 'A03',
    assetRegisteredResource: g.assets.map((a): AssetRegisteredResource => ({
      mRID: a.assetId,
      codingScheme: a.codingScheme,
      ...(a.connectionPoint ? { locationName: a.connectionPoint } : {}),
    })),
    ...(g.availableKw ? { availablePeriod: [periodOf(l, g.availableKw)] } : {}),
    reason: seriesReason,
  }));
  const reason: Reason[] = [
    ...(l.policy ? [{ code: LIMIT_CODES.reason.text, text: `${POLICY_PREFIX}${l.policy}` }] : []),
    ...(l.text ? [{ code: LIMIT_CODES.reason.text, text: l.text.slice(0, 512) }] : []),
  ];
  return {
    mRID: l.mRID,
    revisionNumber: l.revision,
    type: LIMIT_CODES.type[l.direction],
    processType: LIMIT_CODES.processType,
    createdDateTime,
    sender,
    receiver,
    timeInterval: { start: l.start, end: l.end },
    ...(docStatus ? { docStatus } : {}),
    timeSeries,
    ...(reason.length ? { reason } : {}),
  };
}

function periodOf(l: CapacityLimit, kw: readonly string[]): Period {
  return { timeInterval: { start: l.start, end: l.end }, resolution: LIMIT_CODES.resolution, point: compactCurve(kw, 'A03') };
}

export interface LimitProblem {
  readonly timeSeries: string;
  readonly code: string;
  readonly text: string;
}

/** Reads a capacity limit; every problem is reported with its time series. */
export function unavailabilityToLimit(doc: UnavailabilityDocument): { limit?: CapacityLimit; problems: LimitProblem[] } {
  const problems: LimitProblem[] = [];
  const add = (timeSeries: string, code: string, text: string) => problems.push({ timeSeries, code, text });
  const direction: Direction | undefined = doc.type === 'A76' ? 'consumption' : doc.type === 'A77' ? 'production' : undefined;
  if (!direction) add('1', 'A59', `document type ${doc.type}: a capacity limit is A76 (consumption) or A77 (production)`);
  if (doc.processType !== LIMIT_CODES.processType) add('1', 'A79', `process type ${doc.processType}: a capacity limit is A26`);
  const series = doc.timeSeries ?? [];
  if (series.length === 0) add('1', 'A69', 'a capacity limit lists its affected assets in one or more time series');
  const kinds = new Set(series.map((ts) => ts.businessType));
  const kind: LimitKind | undefined =
    kinds.size === 1 ? (kinds.has('A53') ? 'foreseen' : kinds.has('A54') ? 'unforeseen' : undefined) : undefined;
  if (series.length && !kind) add(series[0]?.mRID ?? '1', 'A59', 'the time series are all A53 (foreseen) or all A54 (unforeseen)');
  const cancelled = doc.docStatus === LIMIT_CODES.status.cancelled;
  const action: Action | undefined =
    kind !== 'unforeseen'
      ? undefined
      : doc.docStatus === LIMIT_CODES.status.stop
        ? 'stop'
        : doc.docStatus === LIMIT_CODES.status.start
          ? 'start'
          : 'hold';
  if (doc.docStatus && !cancelled && kind === 'foreseen')
    add('1', 'A59', `docStatus ${doc.docStatus}: a foreseen limit has none (A09 to cancel)`);
  if (doc.docStatus && ![LIMIT_CODES.status.cancelled, LIMIT_CODES.status.stop, LIMIT_CODES.status.start].includes(doc.docStatus as never))
    add('1', 'A59', `docStatus ${doc.docStatus}: A23 stop, A24 start or A09 cancelled`);
  let n = 0;
  try {
    n = limitPositions(doc.timeInterval.start, doc.timeInterval.end);
  } catch (e) {
    add('1', 'A04', `the period ${doc.timeInterval.start}/${doc.timeInterval.end}: ${(e as Error).message}`);
  }
  const causes = series.flatMap((ts) => (ts.reason ?? []).map((r) => r.code));
  const cause: Cause = causes.includes('B46') ? 'congestion' : causes.includes('B18') ? 'failure' : 'maintenance';
  const groups = series.map((ts) => {
    const assets = (ts.assetRegisteredResource ?? []).map((a) => ({
      assetId: a.mRID,
      codingScheme: a.codingScheme,
      ...(a.locationName ? { connectionPoint: a.locationName } : {}),
    }));
    if (assets.length === 0) add(ts.mRID, 'A69', 'no affected asset (Asset_RegisteredResource)');
    if (fromDateTime(ts.start) !== doc.timeInterval.start || fromDateTime(ts.end) !== doc.timeInterval.end)
      add(ts.mRID, 'A04', "the series' start and end are the document's period");
    const period = ts.availablePeriod?.[0];
    let availableKw: string[] | undefined;
    if (period && n > 0) {
      if (
        period.resolution !== LIMIT_CODES.resolution ||
        period.timeInterval.start !== doc.timeInterval.start ||
        period.timeInterval.end !== doc.timeInterval.end
      )
        add(ts.mRID, 'A41', `Available_Period is ${LIMIT_CODES.resolution} over the document's period`);
      else {
        availableKw = fillForward(period.point, ts.curveType, n);
        if (availableKw.some((v) => v === '' || v.startsWith('-')))
          add(ts.mRID, 'A42', 'Available_Period gives a capacity ≥ 0 for every position');
      }
    }
    if (kind === 'foreseen' && !cancelled && !availableKw)
      add(ts.mRID, 'A69', 'a foreseen limit gives the available capacity (Available_Period)');
    return { assets, ...(availableKw ? { availableKw } : {}) };
  });
  const texts = (doc.reason ?? []).filter((r) => r.code === 'A95' && r.text).map((r) => r.text as string);
  const policyText = texts.find((t) => t.startsWith(POLICY_PREFIX))?.slice(POLICY_PREFIX.length);
  if (policyText !== undefined && !isFairnessPolicy(policyText)) add('1', 'A59', `unknown fairness policy ${policyText}`);
  const text = texts.find((t) => !t.startsWith(POLICY_PREFIX));
  if (problems.length || !direction || !kind) return { problems };
  return {
    limit: {
      mRID: doc.mRID,
      revision: doc.revisionNumber,
      kind,
      direction,
      start: doc.timeInterval.start,
      end: doc.timeInterval.end,
      ...(action ? { action } : {}),
      cause,
      cancelled,
      ...(policyText && isFairnessPolicy(policyText) ? { policy: policyText } : {}),
      ...(text ? { text } : {}),
      groups,
    },
    problems,
  };
}

function fillForward(points: readonly { position: number; quantity: string }[], curveType: string, n: number): string[] {
  const out = new Array<string>(n).fill('');
  points.forEach((p, i) => {
    const next = curveType === 'A03' ? (points[i + 1]?.position ?? n + 1) : p.position + 1;
    for (let k = p.position; k < next && k <= n; k++) out[k - 1] = p.quantity;
  });
  return out;
}

/** The instant a position starts (PT15M). */
export const positionStart = (start: string, position: number): Date =>
  new Date(parseYmdhm(start).getTime() + (position - 1) * 15 * 60_000);
export { formatYmdhm };
