/**
 * Unavailability_MarketDocument, IEC 62325-451-6 (publication of information: outages): the hub's capacity
 * limits (F6, F7; docs/iec62325-profile.md §6). Emitted as 4:1; 3:0 (the ENTSO-E Transparency Platform's) is
 * accepted too. Element order: mRID, revisionNumber, type, process.processType, createdDateTime, sender,
 * receiver, unavailability_Time_Period.timeInterval, docStatus?, TimeSeries*, Reason (3:0: 1..n; 4:1: 0..n).
 * TimeSeries: mRID, businessType, biddingZone_Domain.mRID?, in_Domain.mRID?, out_Domain.mRID?,
 * start_DateAndOrTime.date/.time, end_DateAndOrTime.date/.time, quantity_Measure_Unit.name [3:0] |
 * quantity_Measurement_Unit.name [4:1], curveType, production_RegisteredResource.* (all 0..1),
 * Asset_RegisteredResource*, Available_Period*, WindPowerFeedin_Period*, Reason*.
 */
import type { Result } from '../shared/result.js';
import type { XmlElement } from '../xml/index.js';
import { UNAVAILABILITY, versionOf, type UnavailabilityVersion } from './documents.js';
import { Checker, join, throwIfProblems, type CheckMode, type Problem } from './internal/check.js';
import { compact, documentRoot, Reader, type IecInput, type IecIssue, type ParseOptions } from './internal/read.js';
import * as write from './internal/write.js';
import type { BuildOptions, CodedId, DateAndTime, Participant, Period, Reason } from './model.js';
import type { TimeInterval } from './time.js';

const AREA_ID_MAX = 18;

/** production_RegisteredResource.*: every field optional (flattened in the schema). */
export interface ProductionRegisteredResource {
  readonly mRID?: CodedId;
  readonly name?: string;
  readonly locationName?: string;
  /** pSRType.psrType: AssetTypeList. */
  readonly psrType?: string;
  /** pSRType.powerSystemResources.*: the generating unit. */
  readonly powerSystemResources?: {
    readonly mRID?: CodedId;
    readonly name?: string;
    /** ESMP_ActivePower in MW (unit="MAW" fixed), lexical. */
    readonly nominalP?: string;
  };
}

/** Asset_RegisteredResource: an affected asset. */
export interface AssetRegisteredResource extends CodedId {
  readonly name?: string;
  /** asset_PSRType.psrType: AssetTypeList. */
  readonly psrType?: string;
  /** location.name: the hub puts the connection point (EAN-18) here. */
  readonly locationName?: string;
}

export interface UnavailabilityTimeSeries {
  readonly mRID: string;
  /** A53 planned maintenance (foreseen), A54 unplanned outage (unforeseen), … */
  readonly businessType: string;
  readonly biddingZoneDomain?: CodedId;
  readonly inDomain?: CodedId;
  readonly outDomain?: CodedId;
  /** start_DateAndOrTime.date + .time */
  readonly start: DateAndTime;
  /** end_DateAndOrTime.date + .time */
  readonly end: DateAndTime;
  /** quantity_Measure_Unit.name (3:0) / quantity_Measurement_Unit.name (4:1). */
  readonly measurementUnit: string;
  readonly curveType: string;
  readonly productionRegisteredResource?: ProductionRegisteredResource;
  readonly assetRegisteredResource?: readonly AssetRegisteredResource[];
  /** Available_Period: the capacity that remains available, per position. */
  readonly availablePeriod?: readonly Period[];
  readonly windPowerFeedinPeriod?: readonly Period[];
  readonly reason?: readonly Reason[];
}

export interface UnavailabilityDocument {
  readonly mRID: string;
  readonly revisionNumber: number;
  /** A76 load unavailability, A77 production unavailability, … */
  readonly type: string;
  readonly processType: string;
  readonly createdDateTime: string;
  readonly sender: Participant;
  readonly receiver: Participant;
  /** unavailability_Time_Period.timeInterval */
  readonly timeInterval: TimeInterval;
  /** docStatus/value: StatusTypeList (A09 cancelled, A23 stop, A24 start, …). */
  readonly docStatus?: string;
  readonly timeSeries?: readonly UnavailabilityTimeSeries[];
  /** 3:0: 1..n; 4:1: 0..n. */
  readonly reason?: readonly Reason[];
}

const ROOT = UNAVAILABILITY.root;

export function checkUnavailability(doc: UnavailabilityDocument, v: UnavailabilityVersion, mode: CheckMode = 'emit'): Problem[] {
  const c = new Checker(mode);
  c.id('mRID', doc.mRID, v.idMaxLength);
  c.revision('revisionNumber', doc.revisionNumber);
  c.code('type', 'MessageTypeList', doc.type);
  c.code('processType', 'ProcessTypeList', doc.processType);
  c.esmpDateTime('createdDateTime', doc.createdDateTime);
  c.participant('sender', doc.sender);
  c.participant('receiver', doc.receiver);
  c.interval('timeInterval', doc.timeInterval);
  c.code('docStatus', 'StatusTypeList', doc.docStatus, false);
  c.list('timeSeries', doc.timeSeries, 0, 'TimeSeries').forEach((ts, i) => {
    const p = `timeSeries[${i}]`;
    if (!c.present(p, ts)) return;
    c.id(join(p, 'mRID'), ts.mRID, v.idMaxLength);
    c.code(join(p, 'businessType'), 'BusinessTypeList', ts.businessType);
    c.codedId(join(p, 'biddingZoneDomain'), ts.biddingZoneDomain, AREA_ID_MAX, 'AreaID_String', false);
    c.codedId(join(p, 'inDomain'), ts.inDomain, AREA_ID_MAX, 'AreaID_String', false);
    c.codedId(join(p, 'outDomain'), ts.outDomain, AREA_ID_MAX, 'AreaID_String', false);
    for (const side of ['start', 'end'] as const) {
      const dt = ts[side];
      if (!c.present(join(p, side), dt)) continue;
      c.date(join(p, `${side}.date`), dt.date);
      c.time(join(p, `${side}.time`), dt.time);
    }
    c.code(join(p, 'measurementUnit'), 'UnitOfMeasureTypeList', ts.measurementUnit);
    c.code(join(p, 'curveType'), 'CurveTypeList', ts.curveType);
    const pr = ts.productionRegisteredResource;
    if (pr !== undefined) {
      const pp = join(p, 'productionRegisteredResource');
      c.codedId(join(pp, 'mRID'), pr.mRID, v.resourceIdMaxLength, 'ResourceID_String', false);
      c.text(join(pp, 'name'), pr.name, false);
      c.text(join(pp, 'locationName'), pr.locationName, false);
      c.code(join(pp, 'psrType'), 'AssetTypeList', pr.psrType, false);
      const psr = pr.powerSystemResources;
      if (psr !== undefined) {
        const sp = join(pp, 'powerSystemResources');
        c.codedId(join(sp, 'mRID'), psr.mRID, v.resourceIdMaxLength, 'ResourceID_String', false);
        c.text(join(sp, 'name'), psr.name, false);
        c.float(join(sp, 'nominalP'), psr.nominalP, v.floatLexical, false);
      }
    }
    c.list(join(p, 'assetRegisteredResource'), ts.assetRegisteredResource, 0, 'Asset_RegisteredResource').forEach((a, j) => {
      const ap = join(p, `assetRegisteredResource[${j}]`);
      if (!c.present(ap, a)) return;
      c.codedId(ap, a, v.resourceIdMaxLength, 'ResourceID_String');
      c.text(join(ap, 'name'), a.name, false);
      c.code(join(ap, 'psrType'), 'AssetTypeList', a.psrType, false);
      c.text(join(ap, 'locationName'), a.locationName, false);
    });
    c.list(join(p, 'availablePeriod'), ts.availablePeriod, 0, 'Available_Period').forEach((pe, j) =>
      c.period(join(p, `availablePeriod[${j}]`), pe, false),
    );
    c.list(join(p, 'windPowerFeedinPeriod'), ts.windPowerFeedinPeriod, 0, 'WindPowerFeedin_Period').forEach((pe, j) =>
      c.period(join(p, `windPowerFeedinPeriod[${j}]`), pe, false),
    );
    c.reasons(join(p, 'reason'), ts.reason, 0);
  });
  c.reasons('reason', doc.reason, v.documentReasonMinOccurs);
  return c.problems;
}

/** Writes the document. Throws IEC_DOCUMENT_INVALID listing every problem of the model. */
export function buildUnavailability(doc: UnavailabilityDocument, options: BuildOptions = {}): string {
  const v = versionOf(UNAVAILABILITY, options.version);
  throwIfProblems(`${ROOT} ${v.version}`, checkUnavailability(doc, v));
  const w = write.newWriter(options.indent);
  w.root(ROOT, v.namespace)
    .element('mRID', doc.mRID)
    .element('revisionNumber', doc.revisionNumber)
    .element('type', doc.type)
    .element('process.processType', doc.processType)
    .element('createdDateTime', doc.createdDateTime);
  write.participant(w, 'sender', doc.sender);
  write.participant(w, 'receiver', doc.receiver);
  write.interval(w, 'unavailability_Time_Period.timeInterval', doc.timeInterval);
  if (doc.docStatus !== undefined) w.start('docStatus').element('value', doc.docStatus).end();
  for (const ts of doc.timeSeries ?? []) {
    w.start('TimeSeries').element('mRID', ts.mRID).element('businessType', ts.businessType);
    write.optionalCodedId(w, 'biddingZone_Domain.mRID', ts.biddingZoneDomain);
    write.optionalCodedId(w, 'in_Domain.mRID', ts.inDomain);
    write.optionalCodedId(w, 'out_Domain.mRID', ts.outDomain);
    w.element('start_DateAndOrTime.date', ts.start.date)
      .element('start_DateAndOrTime.time', ts.start.time)
      .element('end_DateAndOrTime.date', ts.end.date)
      .element('end_DateAndOrTime.time', ts.end.time)
      .element(v.quantityUnitElement, ts.measurementUnit)
      .element('curveType', ts.curveType);
    const pr = ts.productionRegisteredResource;
    if (pr !== undefined) {
      write.optionalCodedId(w, 'production_RegisteredResource.mRID', pr.mRID);
      w.optional('production_RegisteredResource.name', pr.name)
        .optional('production_RegisteredResource.location.name', pr.locationName)
        .optional('production_RegisteredResource.pSRType.psrType', pr.psrType);
      const psr = pr.powerSystemResources;
      if (psr !== undefined) {
        write.optionalCodedId(w, 'production_RegisteredResource.pSRType.powerSystemResources.mRID', psr.mRID);
        w.optional('production_RegisteredResource.pSRType.powerSystemResources.name', psr.name).optional(
          'production_RegisteredResource.pSRType.powerSystemResources.nominalP',
          psr.nominalP,
          { unit: 'MAW' },
        );
      }
    }
    for (const a of ts.assetRegisteredResource ?? []) {
      w.start('Asset_RegisteredResource');
      write.codedId(w, 'mRID', a);
      w.optional('name', a.name).optional('asset_PSRType.psrType', a.psrType).optional('location.name', a.locationName).end();
    }
    for (const pe of ts.availablePeriod ?? []) write.period(w, 'Available_Period', pe, false);
    for (const pe of ts.windPowerFeedinPeriod ?? []) write.period(w, 'WindPowerFeedin_Period', pe, false);
    write.reasons(w, 'Reason', ts.reason);
    w.end();
  }
  write.reasons(w, 'Reason', doc.reason);
  return w.end().toString();
}

const PRODUCTION = [
  'production_RegisteredResource.mRID',
  'production_RegisteredResource.name',
  'production_RegisteredResource.location.name',
  'production_RegisteredResource.pSRType.psrType',
  'production_RegisteredResource.pSRType.powerSystemResources.mRID',
  'production_RegisteredResource.pSRType.powerSystemResources.name',
  'production_RegisteredResource.pSRType.powerSystemResources.nominalP',
] as const;

/** Reads Unavailability_MarketDocument 4:1 or 3:0. */
export function parseUnavailability(input: IecInput, options?: ParseOptions): Result<UnavailabilityDocument, IecIssue[]> {
  const found = documentRoot(input, UNAVAILABILITY, options);
  if (!found.ok) return found;
  const { root, version: v } = found.value;
  const rd = new Reader(root.ns, `${ROOT} ${v.version}`);
  const c = rd.complex(root, '', [
    'mRID',
    'revisionNumber',
    'type',
    'process.processType',
    'createdDateTime',
    'sender_MarketParticipant.mRID',
    'sender_MarketParticipant.marketRole.type',
    'receiver_MarketParticipant.mRID',
    'receiver_MarketParticipant.marketRole.type',
    'unavailability_Time_Period.timeInterval',
    'docStatus',
    'TimeSeries',
    'Reason',
  ]);
  const mRID = c.one('mRID', 'mRID');
  const revision = c.one('revisionNumber', 'revisionNumber');
  const type = c.one('type', 'type');
  const process = c.one('process.processType', 'processType');
  const created = c.one('createdDateTime', 'createdDateTime');
  const sender = rd.participant(c, 'sender', 'sender');
  const receiver = rd.participant(c, 'receiver', 'receiver');
  const interval = c.one('unavailability_Time_Period.timeInterval', 'timeInterval');
  const status = c.opt('docStatus', 'docStatus');
  const series = c.many('TimeSeries', 'timeSeries', 0);
  const reason = rd.reasons(c, 'Reason', 'reason', v.documentReasonMinOccurs);
  c.end();
  let docStatus: string | undefined;
  if (status !== undefined) {
    const sc = rd.complex(status, 'docStatus', ['value']);
    const value = sc.one('value', 'docStatus');
    sc.end();
    docStatus = value === undefined ? '' : rd.token(value, 'docStatus');
  }
  const doc = compact<UnavailabilityDocument>({
    mRID: mRID === undefined ? '' : rd.string(mRID, 'mRID'),
    revisionNumber: revision === undefined ? Number.NaN : rd.revision(revision, 'revisionNumber'),
    type: type === undefined ? '' : rd.token(type, 'type'),
    processType: process === undefined ? '' : rd.token(process, 'processType'),
    createdDateTime: created === undefined ? '' : rd.token(created, 'createdDateTime'),
    sender,
    receiver,
    timeInterval: interval === undefined ? { start: '', end: '' } : rd.interval(interval, 'timeInterval'),
    docStatus,
    timeSeries: series.length === 0 ? undefined : series.map((el, i) => readTimeSeries(rd, el, `timeSeries[${i}]`, v)),
    reason: reason.length === 0 ? undefined : reason,
  });
  return rd.finish(doc, checkUnavailability(doc, v, 'accept'));
}

function readTimeSeries(rd: Reader, el: XmlElement, p: string, v: UnavailabilityVersion): UnavailabilityTimeSeries {
  const c = rd.complex(el, p, [
    'mRID',
    'businessType',
    'biddingZone_Domain.mRID',
    'in_Domain.mRID',
    'out_Domain.mRID',
    'start_DateAndOrTime.date',
    'start_DateAndOrTime.time',
    'end_DateAndOrTime.date',
    'end_DateAndOrTime.time',
    v.quantityUnitElement,
    'curveType',
    ...PRODUCTION,
    'Asset_RegisteredResource',
    'Available_Period',
    'WindPowerFeedin_Period',
    'Reason',
  ]);
  const tok = (e: XmlElement | undefined, path: string): string => (e === undefined ? '' : rd.token(e, path));
  const str = (e: XmlElement | undefined, path: string): string | undefined => (e === undefined ? undefined : rd.string(e, path));
  const coded = (e: XmlElement | undefined, path: string): CodedId | undefined => (e === undefined ? undefined : rd.codedId(e, path));

  const mRID = c.one('mRID', join(p, 'mRID'));
  const business = c.one('businessType', join(p, 'businessType'));
  const zone = c.opt('biddingZone_Domain.mRID', join(p, 'biddingZoneDomain'));
  const inDomain = c.opt('in_Domain.mRID', join(p, 'inDomain'));
  const outDomain = c.opt('out_Domain.mRID', join(p, 'outDomain'));
  const startDate = c.one('start_DateAndOrTime.date', join(p, 'start.date'));
  const startTime = c.one('start_DateAndOrTime.time', join(p, 'start.time'));
  const endDate = c.one('end_DateAndOrTime.date', join(p, 'end.date'));
  const endTime = c.one('end_DateAndOrTime.time', join(p, 'end.time'));
  const unit = c.one(v.quantityUnitElement, join(p, 'measurementUnit'));
  const curve = c.one('curveType', join(p, 'curveType'));
  const pp = join(p, 'productionRegisteredResource');
  const sp = join(pp, 'powerSystemResources');
  const [prMRID, prName, prLocation, prPsrType, psrMRID, psrName, psrNominal] = PRODUCTION.map((n) => c.opt(n, pp));
  const assets = c.many('Asset_RegisteredResource', join(p, 'assetRegisteredResource'), 0);
  const available = c.many('Available_Period', join(p, 'availablePeriod'), 0);
  const wind = c.many('WindPowerFeedin_Period', join(p, 'windPowerFeedinPeriod'), 0);
  const reasons = rd.reasons(c, 'Reason', join(p, 'reason'), 0);
  c.end();

  const psr = compact({
    mRID: coded(psrMRID, join(sp, 'mRID')),
    name: str(psrName, join(sp, 'name')),
    nominalP: psrNominal === undefined ? undefined : rd.withFixedUnit(psrNominal, join(sp, 'nominalP'), 'MAW'),
  });
  const production = compact<ProductionRegisteredResource>({
    mRID: coded(prMRID, join(pp, 'mRID')),
    name: str(prName, join(pp, 'name')),
    locationName: str(prLocation, join(pp, 'locationName')),
    psrType: prPsrType === undefined ? undefined : rd.token(prPsrType, join(pp, 'psrType')),
    powerSystemResources: Object.keys(psr).length === 0 ? undefined : psr,
  });
  return compact<UnavailabilityTimeSeries>({
    mRID: mRID === undefined ? '' : rd.string(mRID, join(p, 'mRID')),
    businessType: tok(business, join(p, 'businessType')),
    biddingZoneDomain: coded(zone, join(p, 'biddingZoneDomain')),
    inDomain: coded(inDomain, join(p, 'inDomain')),
    outDomain: coded(outDomain, join(p, 'outDomain')),
    start: { date: tok(startDate, join(p, 'start.date')), time: tok(startTime, join(p, 'start.time')) },
    end: { date: tok(endDate, join(p, 'end.date')), time: tok(endTime, join(p, 'end.time')) },
    measurementUnit: tok(unit, join(p, 'measurementUnit')),
    curveType: tok(curve, join(p, 'curveType')),
    productionRegisteredResource: Object.keys(production).length === 0 ? undefined : production,
    assetRegisteredResource:
      assets.length === 0
        ? undefined
        : assets.map((a, j) => {
            const ap = join(p, `assetRegisteredResource[${j}]`);
            const ac = rd.complex(a, ap, ['mRID', 'name', 'asset_PSRType.psrType', 'location.name']);
            const id = ac.one('mRID', join(ap, 'mRID'));
            const name = ac.opt('name', join(ap, 'name'));
            const psrType = ac.opt('asset_PSRType.psrType', join(ap, 'psrType'));
            const location = ac.opt('location.name', join(ap, 'locationName'));
            ac.end();
            return compact<AssetRegisteredResource>({
              ...(id === undefined ? { mRID: '', codingScheme: '' } : rd.codedId(id, ap)),
              name: str(name, join(ap, 'name')),
              psrType: psrType === undefined ? undefined : rd.token(psrType, join(ap, 'psrType')),
              locationName: str(location, join(ap, 'locationName')),
            });
          }),
    availablePeriod: available.length === 0 ? undefined : available.map((pe, j) => rd.period(pe, join(p, `availablePeriod[${j}]`), false)),
    windPowerFeedinPeriod:
      wind.length === 0 ? undefined : wind.map((pe, j) => rd.period(pe, join(p, `windPowerFeedinPeriod[${j}]`), false)),
    reason: reasons.length === 0 ? undefined : reasons,
  });
}
