/**
 * GL_MarketDocument, IEC 62325-451-6 (publication of information: generation and load): the hub's operational
 * schedules (F8, F9; docs/iec62325-profile.md §7). Emitted as 3:2; 3:0 (the ENTSO-E Transparency Platform's)
 * is accepted too. Element order: mRID, revisionNumber, type, process.processType, sender, receiver,
 * createdDateTime, time_Period.timeInterval, TimeSeries (1..n: mRID, businessType, objectAggregation,
 * inBiddingZone_Domain.mRID?, outBiddingZone_Domain.mRID?, registeredResource.mRID?, registeredResource.name?,
 * quantity_Measure_Unit.name [3:0] | quantity_Measurement_Unit.name [3:2], curveType, cancelledTS?,
 * MktPSRType?, Period*). Point.quantity is xs:decimal, so signed: + production, − consumption (A07).
 */
import type { Result } from '../shared/result.js';
import type { XmlElement } from '../xml/index.js';
import { GENERATION_LOAD, versionOf, type GenerationLoadVersion } from './documents.js';
import { Checker, join, throwIfProblems, type CheckMode, type Problem } from './internal/check.js';
import { compact, documentRoot, Reader, type IecInput, type IecIssue, type ParseOptions } from './internal/read.js';
import * as write from './internal/write.js';
import type { BuildOptions, CodedId, Participant, Period } from './model.js';
import type { TimeInterval } from './time.js';

/** AreaID_String max 18 (bidding zones, grid areas). */
const AREA_ID_MAX = 18;

/** MktGeneratingUnit inside MktPSRType.PowerSystemResources: every field optional. */
export interface GlPowerSystemResource {
  readonly mRID?: CodedId;
  readonly name?: string;
  /** ESMP_ActivePower in MW (unit="MAW" is fixed), lexical. */
  readonly nominalP?: string;
}

export interface GlMktPSRType {
  /** AssetTypeList: B16 solar, B25 energy storage, … */
  readonly psrType: string;
  /** voltage_PowerSystemResources.highVoltageLimit: ESMP_Voltage in kV (unit="KVT" is fixed), lexical. */
  readonly highVoltageLimit?: string;
  readonly powerSystemResources?: readonly GlPowerSystemResource[];
}

export interface GlTimeSeries {
  readonly mRID: string;
  readonly businessType: string;
  readonly objectAggregation: string;
  readonly inBiddingZoneDomain?: CodedId;
  readonly outBiddingZoneDomain?: CodedId;
  /** registeredResource.mRID: the asset (ResourceID_String, 18 in 3:0, 60 in 3:2). */
  readonly registeredResource?: CodedId;
  readonly registeredResourceName?: string;
  /** quantity_Measure_Unit.name (3:0) / quantity_Measurement_Unit.name (3:2): UnitOfMeasureTypeList. */
  readonly measurementUnit: string;
  readonly curveType: string;
  /** IndicatorTypeList: A01 yes (cancelled), A02 no. */
  readonly cancelledTS?: string;
  readonly mktPSRType?: GlMktPSRType;
  readonly period?: readonly Period[];
}

export interface GlDocument {
  readonly mRID: string;
  readonly revisionNumber: number;
  readonly type: string;
  readonly processType: string;
  readonly sender: Participant;
  readonly receiver: Participant;
  readonly createdDateTime: string;
  /** time_Period.timeInterval */
  readonly timeInterval: TimeInterval;
  /** 1..n */
  readonly timeSeries: readonly GlTimeSeries[];
}

const ROOT = GENERATION_LOAD.root;

export function checkGl(doc: GlDocument, v: GenerationLoadVersion, mode: CheckMode = 'emit'): Problem[] {
  const c = new Checker(mode);
  c.id('mRID', doc.mRID, v.idMaxLength);
  c.revision('revisionNumber', doc.revisionNumber);
  c.code('type', 'MessageTypeList', doc.type);
  c.code('processType', 'ProcessTypeList', doc.processType);
  c.participant('sender', doc.sender);
  c.participant('receiver', doc.receiver);
  c.esmpDateTime('createdDateTime', doc.createdDateTime);
  c.interval('timeInterval', doc.timeInterval);
  c.list('timeSeries', doc.timeSeries, 1, 'TimeSeries').forEach((ts, i) => {
    const p = `timeSeries[${i}]`;
    if (!c.present(p, ts)) return;
    c.id(join(p, 'mRID'), ts.mRID, v.idMaxLength);
    c.code(join(p, 'businessType'), 'BusinessTypeList', ts.businessType);
    c.code(join(p, 'objectAggregation'), 'ObjectAggregationTypeList', ts.objectAggregation);
    c.codedId(join(p, 'inBiddingZoneDomain'), ts.inBiddingZoneDomain, AREA_ID_MAX, 'AreaID_String', false);
    c.codedId(join(p, 'outBiddingZoneDomain'), ts.outBiddingZoneDomain, AREA_ID_MAX, 'AreaID_String', false);
    c.codedId(join(p, 'registeredResource'), ts.registeredResource, v.resourceIdMaxLength, 'ResourceID_String', false);
    c.text(join(p, 'registeredResourceName'), ts.registeredResourceName, false);
    c.code(join(p, 'measurementUnit'), 'UnitOfMeasureTypeList', ts.measurementUnit);
    c.code(join(p, 'curveType'), 'CurveTypeList', ts.curveType);
    c.code(join(p, 'cancelledTS'), 'IndicatorTypeList', ts.cancelledTS, false);
    const psr = ts.mktPSRType;
    if (psr !== undefined) {
      const pp = join(p, 'mktPSRType');
      c.code(join(pp, 'psrType'), 'AssetTypeList', psr.psrType);
      c.float(join(pp, 'highVoltageLimit'), psr.highVoltageLimit, v.floatLexical, false);
      c.list(join(pp, 'powerSystemResources'), psr.powerSystemResources, 0, 'PowerSystemResources').forEach((r, j) => {
        const rp = join(pp, `powerSystemResources[${j}]`);
        if (!c.present(rp, r)) return;
        c.codedId(join(rp, 'mRID'), r.mRID, v.resourceIdMaxLength, 'ResourceID_String', false);
        c.text(join(rp, 'name'), r.name, false);
        c.float(join(rp, 'nominalP'), r.nominalP, v.floatLexical, false);
      });
    }
    c.list(join(p, 'period'), ts.period, 0, 'Period').forEach((pe, j) => c.period(join(p, `period[${j}]`), pe, true));
  });
  return c.problems;
}

/** Writes the document. Throws IEC_DOCUMENT_INVALID listing every problem of the model. */
export function buildGl(doc: GlDocument, options: BuildOptions = {}): string {
  const v = versionOf(GENERATION_LOAD, options.version);
  throwIfProblems(`${ROOT} ${v.version}`, checkGl(doc, v));
  const w = write.newWriter(options.indent);
  w.root(ROOT, v.namespace)
    .element('mRID', doc.mRID)
    .element('revisionNumber', doc.revisionNumber)
    .element('type', doc.type)
    .element('process.processType', doc.processType);
  write.participant(w, 'sender', doc.sender);
  write.participant(w, 'receiver', doc.receiver);
  w.element('createdDateTime', doc.createdDateTime);
  write.interval(w, 'time_Period.timeInterval', doc.timeInterval);
  for (const ts of doc.timeSeries) {
    w.start('TimeSeries')
      .element('mRID', ts.mRID)
      .element('businessType', ts.businessType)
      .element('objectAggregation', ts.objectAggregation);
    write.optionalCodedId(w, 'inBiddingZone_Domain.mRID', ts.inBiddingZoneDomain);
    write.optionalCodedId(w, 'outBiddingZone_Domain.mRID', ts.outBiddingZoneDomain);
    write.optionalCodedId(w, 'registeredResource.mRID', ts.registeredResource);
    w.optional('registeredResource.name', ts.registeredResourceName)
      .element(v.quantityUnitElement, ts.measurementUnit)
      .element('curveType', ts.curveType)
      .optional('cancelledTS', ts.cancelledTS);
    const psr = ts.mktPSRType;
    if (psr !== undefined) {
      w.start('MktPSRType')
        .element('psrType', psr.psrType)
        .optional('voltage_PowerSystemResources.highVoltageLimit', psr.highVoltageLimit, { unit: 'KVT' });
      for (const r of psr.powerSystemResources ?? []) {
        w.start('PowerSystemResources');
        write.optionalCodedId(w, 'mRID', r.mRID);
        w.optional('name', r.name).optional('nominalP', r.nominalP, { unit: 'MAW' }).end();
      }
      w.end();
    }
    for (const pe of ts.period ?? []) write.period(w, 'Period', pe, true);
    w.end();
  }
  return w.end().toString();
}

/** Reads GL_MarketDocument 3:2 or 3:0. */
export function parseGl(input: IecInput, options?: ParseOptions): Result<GlDocument, IecIssue[]> {
  const found = documentRoot(input, GENERATION_LOAD, options);
  if (!found.ok) return found;
  const { root, version: v } = found.value;
  const rd = new Reader(root.ns, `${ROOT} ${v.version}`);
  const c = rd.complex(root, '', [
    'mRID',
    'revisionNumber',
    'type',
    'process.processType',
    'sender_MarketParticipant.mRID',
    'sender_MarketParticipant.marketRole.type',
    'receiver_MarketParticipant.mRID',
    'receiver_MarketParticipant.marketRole.type',
    'createdDateTime',
    'time_Period.timeInterval',
    'TimeSeries',
  ]);
  const mRID = c.one('mRID', 'mRID');
  const revision = c.one('revisionNumber', 'revisionNumber');
  const type = c.one('type', 'type');
  const process = c.one('process.processType', 'processType');
  const sender = rd.participant(c, 'sender', 'sender');
  const receiver = rd.participant(c, 'receiver', 'receiver');
  const created = c.one('createdDateTime', 'createdDateTime');
  const interval = c.one('time_Period.timeInterval', 'timeInterval');
  const series = c.many('TimeSeries', 'timeSeries', 1);
  c.end();
  const doc: GlDocument = {
    mRID: mRID === undefined ? '' : rd.string(mRID, 'mRID'),
    revisionNumber: revision === undefined ? Number.NaN : rd.revision(revision, 'revisionNumber'),
    type: type === undefined ? '' : rd.token(type, 'type'),
    processType: process === undefined ? '' : rd.token(process, 'processType'),
    sender,
    receiver,
    createdDateTime: created === undefined ? '' : rd.token(created, 'createdDateTime'),
    timeInterval: interval === undefined ? { start: '', end: '' } : rd.interval(interval, 'timeInterval'),
    timeSeries: series.map((el, i) => readTimeSeries(rd, el, `timeSeries[${i}]`, v)),
  };
  return rd.finish(doc, checkGl(doc, v, 'accept'));
}

function readTimeSeries(rd: Reader, el: XmlElement, p: string, v: GenerationLoadVersion): GlTimeSeries {
  const c = rd.complex(el, p, [
    'mRID',
    'businessType',
    'objectAggregation',
    'inBiddingZone_Domain.mRID',
    'outBiddingZone_Domain.mRID',
    'registeredResource.mRID',
    'registeredResource.name',
    v.quantityUnitElement,
    'curveType',
    'cancelledTS',
    'MktPSRType',
    'Period',
  ]);
  const mRID = c.one('mRID', join(p, 'mRID'));
  const business = c.one('businessType', join(p, 'businessType'));
  const aggregation = c.one('objectAggregation', join(p, 'objectAggregation'));
  const inZone = c.opt('inBiddingZone_Domain.mRID', join(p, 'inBiddingZoneDomain'));
  const outZone = c.opt('outBiddingZone_Domain.mRID', join(p, 'outBiddingZoneDomain'));
  const resource = c.opt('registeredResource.mRID', join(p, 'registeredResource'));
  const resourceName = c.opt('registeredResource.name', join(p, 'registeredResourceName'));
  const unit = c.one(v.quantityUnitElement, join(p, 'measurementUnit'));
  const curve = c.one('curveType', join(p, 'curveType'));
  const cancelled = c.opt('cancelledTS', join(p, 'cancelledTS'));
  const psr = c.opt('MktPSRType', join(p, 'mktPSRType'));
  const periods = c.many('Period', join(p, 'period'), 0);
  c.end();
  const coded = (e: typeof inZone, path: string): CodedId | undefined => {
    return e === undefined ? undefined : rd.codedId(e, path);
  };
  return compact<GlTimeSeries>({
    mRID: mRID === undefined ? '' : rd.string(mRID, join(p, 'mRID')),
    businessType: business === undefined ? '' : rd.token(business, join(p, 'businessType')),
    objectAggregation: aggregation === undefined ? '' : rd.token(aggregation, join(p, 'objectAggregation')),
    inBiddingZoneDomain: coded(inZone, join(p, 'inBiddingZoneDomain')),
    outBiddingZoneDomain: coded(outZone, join(p, 'outBiddingZoneDomain')),
    registeredResource: coded(resource, join(p, 'registeredResource')),
    registeredResourceName: resourceName === undefined ? undefined : rd.string(resourceName, join(p, 'registeredResourceName')),
    measurementUnit: unit === undefined ? '' : rd.token(unit, join(p, 'measurementUnit')),
    curveType: curve === undefined ? '' : rd.token(curve, join(p, 'curveType')),
    cancelledTS: cancelled === undefined ? undefined : rd.token(cancelled, join(p, 'cancelledTS')),
    mktPSRType: psr === undefined ? undefined : readMktPSRType(rd, psr, join(p, 'mktPSRType'), coded),
    period: periods.length === 0 ? undefined : periods.map((pe, j) => rd.period(pe, join(p, `period[${j}]`), true)),
  });
}

function readMktPSRType(
  rd: Reader,
  el: XmlElement,
  p: string,
  coded: (e: XmlElement | undefined, path: string) => CodedId | undefined,
): GlMktPSRType {
  const c = rd.complex(el, p, ['psrType', 'voltage_PowerSystemResources.highVoltageLimit', 'PowerSystemResources']);
  const psrType = c.one('psrType', join(p, 'psrType'));
  const voltage = c.opt('voltage_PowerSystemResources.highVoltageLimit', join(p, 'highVoltageLimit'));
  const resources = c.many('PowerSystemResources', join(p, 'powerSystemResources'), 0);
  c.end();
  return compact<GlMktPSRType>({
    psrType: psrType === undefined ? '' : rd.token(psrType, join(p, 'psrType')),
    highVoltageLimit: voltage === undefined ? undefined : rd.withFixedUnit(voltage, join(p, 'highVoltageLimit'), 'KVT'),
    powerSystemResources:
      resources.length === 0
        ? undefined
        : resources.map((r, j) => {
            const rp = join(p, `powerSystemResources[${j}]`);
            const rc = rd.complex(r, rp, ['mRID', 'name', 'nominalP']);
            const id = rc.opt('mRID', join(rp, 'mRID'));
            const name = rc.opt('name', join(rp, 'name'));
            const nominal = rc.opt('nominalP', join(rp, 'nominalP'));
            rc.end();
            return compact<GlPowerSystemResource>({
              mRID: coded(id, join(rp, 'mRID')),
              name: name === undefined ? undefined : rd.string(name, join(rp, 'name')),
              nominalP: nominal === undefined ? undefined : rd.withFixedUnit(nominal, join(rp, 'nominalP'), 'MAW'),
            });
          }),
  });
}
