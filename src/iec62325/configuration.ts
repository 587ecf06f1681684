/**
 * Configuration_MarketDocument, IEC 62325-451-6 (publication of information: configuration of production and
 * consumption units): the hub's asset registration (F4) and asset list (F5); docs/iec62325-profile.md §4, §5.
 * Emitted as 3:3; 3:0 (the ENTSO-E Transparency Platform's) is accepted too.
 * Element order: mRID, type, process.processType, sender, receiver, createdDateTime, TimeSeries (0..n: mRID,
 * businessType, implementation_DateAndOrTime.date, biddingZone_Domain.mRID?, the resource [3:0 flat
 * registeredResource.mRID/.name/.location.name | 3:3 RegisteredResource (mRID, name, location.name,
 * Measurements*)], ControlArea_Domain (1..n), Provider_MarketParticipant (1..n), MktPSRType (psrType,
 * production_PowerSystemResources.highVoltageLimit?, nominalIP_PowerSystemResources.nominalP?,
 * GeneratingUnit_PowerSystemResources* in the version's order)).
 */
import type { Result } from '../shared/result.js';
import type { XmlElement, XmlWriter } from '../xml/index.js';
import { CONFIGURATION, versionOf, type ConfigurationVersion, type GeneratingUnitElement } from './documents.js';
import { Checker, join, throwIfProblems, type CheckMode, type Problem } from './internal/check.js';
import { compact, documentRoot, Reader, type IecInput, type IecIssue, type ParseOptions } from './internal/read.js';
import * as write from './internal/write.js';
import type { BuildOptions, CodedId, Participant } from './model.js';

const AREA_ID_MAX = 18;
const PARTY_ID_MAX = 16;

/** Measurements (CIM Analog), 3:3 only: e.g. A01 flow in MAW = the maximum power of the asset. */
export interface Measurement {
  /** AnalogTypeList */
  readonly measurementType: string;
  /** UnitSymbol (CIM): MAW, KVT, … (V94 has no kW here) */
  readonly unitSymbol: string;
  /** analogValues.value: ESMP_Float, lexical. */
  readonly value?: string;
}

/** The registered resource (asset). 3:0 writes it flat (registeredResource.*), 3:3 as RegisteredResource. */
export interface ConfigurationRegisteredResource extends CodedId {
  readonly name: string;
  /** location.name: the hub puts the connection point (EAN-18) here. */
  readonly locationName: string;
  /** 3:3 only. */
  readonly measurements?: readonly Measurement[];
}

/** GeneratingUnit_PowerSystemResources (MktGeneratingUnit): every field required. */
export interface GeneratingUnit extends CodedId {
  readonly name: string;
  /** ESMP_ActivePower in MW (unit="MAW" fixed), lexical. */
  readonly nominalP: string;
  readonly locationName: string;
  readonly psrType: string;
}

export interface ConfigurationMktPSRType {
  readonly psrType: string;
  /** production_PowerSystemResources.highVoltageLimit: ESMP_Voltage in kV (unit="KVT" fixed). */
  readonly highVoltageLimit?: string;
  /** nominalIP_PowerSystemResources.nominalP: ESMP_ActivePower in MW (unit="MAW" fixed). */
  readonly nominalP?: string;
  readonly generatingUnit?: readonly GeneratingUnit[];
}

export interface ConfigurationTimeSeries {
  readonly mRID: string;
  /** A01 production, A04 consumption, B11 production unit, … */
  readonly businessType: string;
  /** implementation_DateAndOrTime.date: from when the registration applies (YYYY-MM-DD). */
  readonly implementationDate: string;
  readonly biddingZoneDomain?: CodedId;
  readonly registeredResource: ConfigurationRegisteredResource;
  /** 1..n */
  readonly controlAreaDomain: readonly CodedId[];
  /** 1..n (PartyID_String) */
  readonly providerMarketParticipant: readonly CodedId[];
  readonly mktPSRType: ConfigurationMktPSRType;
}

export interface ConfigurationDocument {
  readonly mRID: string;
  /** A95 configuration document */
  readonly type: string;
  /** A36 creation, A37 modification, A38 deactivation, A39 synchronisation */
  readonly processType: string;
  readonly sender: Participant;
  readonly receiver: Participant;
  readonly createdDateTime: string;
  readonly timeSeries?: readonly ConfigurationTimeSeries[];
}

const ROOT = CONFIGURATION.root;

export function checkConfiguration(doc: ConfigurationDocument, v: ConfigurationVersion, mode: CheckMode = 'emit'): Problem[] {
  const c = new Checker(mode);
  c.id('mRID', doc.mRID, v.idMaxLength);
  c.code('type', 'MessageTypeList', doc.type);
  c.code('processType', 'ProcessTypeList', doc.processType);
  c.participant('sender', doc.sender);
  c.participant('receiver', doc.receiver);
  c.esmpDateTime('createdDateTime', doc.createdDateTime);
  c.list('timeSeries', doc.timeSeries, 0, 'TimeSeries').forEach((ts, i) => {
    const p = `timeSeries[${i}]`;
    if (!c.present(p, ts)) return;
    c.id(join(p, 'mRID'), ts.mRID, v.idMaxLength);
    c.code(join(p, 'businessType'), 'BusinessTypeList', ts.businessType);
    c.date(join(p, 'implementationDate'), ts.implementationDate);
    c.codedId(join(p, 'biddingZoneDomain'), ts.biddingZoneDomain, AREA_ID_MAX, 'AreaID_String', false);
    const rr = ts.registeredResource;
    const rp = join(p, 'registeredResource');
    if (c.present(rp, rr)) {
      c.codedId(rp, rr, v.resourceIdMaxLength, 'ResourceID_String');
      c.text(join(rp, 'name'), rr.name, true);
      c.text(join(rp, 'locationName'), rr.locationName, true);
      if (v.registeredResource === 'class') {
        c.list(join(rp, 'measurements'), rr.measurements, 0, 'Measurements').forEach((m, j) => {
          const mp = join(rp, `measurements[${j}]`);
          if (!c.present(mp, m)) return;
          c.code(join(mp, 'measurementType'), 'AnalogTypeList', m.measurementType);
          c.code(join(mp, 'unitSymbol'), 'UnitSymbol', m.unitSymbol);
          c.float(join(mp, 'value'), m.value, v.floatLexical, false);
        });
      } else {
        c.notInVersion(
          join(rp, 'measurements'),
          rr.measurements,
          `${ROOT} ${v.version} has no Measurements (added in 3:3 with the RegisteredResource class)`,
        );
      }
    }
    c.list(join(p, 'controlAreaDomain'), ts.controlAreaDomain, 1, 'ControlArea_Domain').forEach((a, j) =>
      c.codedId(join(p, `controlAreaDomain[${j}]`), a, AREA_ID_MAX, 'AreaID_String'),
    );
    c.list(join(p, 'providerMarketParticipant'), ts.providerMarketParticipant, 1, 'Provider_MarketParticipant').forEach((m, j) =>
      c.codedId(join(p, `providerMarketParticipant[${j}]`), m, PARTY_ID_MAX, 'PartyID_String'),
    );
    const psr = ts.mktPSRType;
    const pp = join(p, 'mktPSRType');
    if (c.present(pp, psr)) {
      c.code(join(pp, 'psrType'), 'AssetTypeList', psr.psrType);
      c.float(join(pp, 'highVoltageLimit'), psr.highVoltageLimit, v.floatLexical, false);
      c.float(join(pp, 'nominalP'), psr.nominalP, v.floatLexical, false);
      c.list(join(pp, 'generatingUnit'), psr.generatingUnit, 0, 'GeneratingUnit_PowerSystemResources').forEach((g, j) => {
        const gp = join(pp, `generatingUnit[${j}]`);
        if (!c.present(gp, g)) return;
        c.codedId(gp, g, v.resourceIdMaxLength, 'ResourceID_String');
        c.text(join(gp, 'name'), g.name, true);
        c.float(join(gp, 'nominalP'), g.nominalP, v.floatLexical);
        c.text(join(gp, 'locationName'), g.locationName, true);
        c.code(join(gp, 'psrType'), 'AssetTypeList', g.psrType);
      });
    }
  });
  return c.problems;
}

/** Writes the document. Throws IEC_DOCUMENT_INVALID listing every problem of the model. */
export function buildConfiguration(doc: ConfigurationDocument, options: BuildOptions = {}): string {
  const v = versionOf(CONFIGURATION, options.version);
  throwIfProblems(`${ROOT} ${v.version}`, checkConfiguration(doc, v));
  const w = write.newWriter(options.indent);
  w.root(ROOT, v.namespace).element('mRID', doc.mRID).element('type', doc.type).element('process.processType', doc.processType);
  write.participant(w, 'sender', doc.sender);
  write.participant(w, 'receiver', doc.receiver);
  w.element('createdDateTime', doc.createdDateTime);
  for (const ts of doc.timeSeries ?? []) {
    w.start('TimeSeries')
      .element('mRID', ts.mRID)
      .element('businessType', ts.businessType)
      .element('implementation_DateAndOrTime.date', ts.implementationDate);
    write.optionalCodedId(w, 'biddingZone_Domain.mRID', ts.biddingZoneDomain);
    const rr = ts.registeredResource;
    if (v.registeredResource === 'flat') {
      write.codedId(w, 'registeredResource.mRID', rr);
      w.element('registeredResource.name', rr.name).element('registeredResource.location.name', rr.locationName);
    } else {
      w.start('RegisteredResource');
      write.codedId(w, 'mRID', rr);
      w.element('name', rr.name).element('location.name', rr.locationName);
      for (const m of rr.measurements ?? []) {
        w.start('Measurements')
          .element('measurementType', m.measurementType)
          .element('unitSymbol', m.unitSymbol)
          .optional('analogValues.value', m.value)
          .end();
      }
      w.end();
    }
    for (const a of ts.controlAreaDomain) {
      w.start('ControlArea_Domain');
      write.codedId(w, 'mRID', a);
      w.end();
    }
    for (const m of ts.providerMarketParticipant) {
      w.start('Provider_MarketParticipant');
      write.codedId(w, 'mRID', m);
      w.end();
    }
    const psr = ts.mktPSRType;
    w.start('MktPSRType')
      .element('psrType', psr.psrType)
      .optional('production_PowerSystemResources.highVoltageLimit', psr.highVoltageLimit, { unit: 'KVT' })
      .optional('nominalIP_PowerSystemResources.nominalP', psr.nominalP, { unit: 'MAW' });
    for (const g of psr.generatingUnit ?? []) {
      w.start('GeneratingUnit_PowerSystemResources');
      for (const name of v.generatingUnitOrder) writeGeneratingUnitElement(w, name, g);
      w.end();
    }
    w.end().end();
  }
  return w.end().toString();
}

function writeGeneratingUnitElement(w: XmlWriter, name: GeneratingUnitElement, g: GeneratingUnit): void {
  switch (name) {
    case 'mRID':
      write.codedId(w, 'mRID', g);
      return;
    case 'name':
      w.element('name', g.name);
      return;
    case 'nominalP':
      w.element('nominalP', g.nominalP, { unit: 'MAW' });
      return;
    case 'generatingUnit_Location.name':
      w.element(name, g.locationName);
      return;
    case 'generatingUnit_PSRType.psrType':
      w.element(name, g.psrType);
      return;
  }
}

/** Reads Configuration_MarketDocument 3:3 or 3:0. */
export function parseConfiguration(input: IecInput, options?: ParseOptions): Result<ConfigurationDocument, IecIssue[]> {
  const found = documentRoot(input, CONFIGURATION, options);
  if (!found.ok) return found;
  const { root, version: v } = found.value;
  const rd = new Reader(root.ns, `${ROOT} ${v.version}`);
  const c = rd.complex(root, '', [
    'mRID',
    'type',
    'process.processType',
    'sender_MarketParticipant.mRID',
    'sender_MarketParticipant.marketRole.type',
    'receiver_MarketParticipant.mRID',
    'receiver_MarketParticipant.marketRole.type',
    'createdDateTime',
    'TimeSeries',
  ]);
  const mRID = c.one('mRID', 'mRID');
  const type = c.one('type', 'type');
  const process = c.one('process.processType', 'processType');
  const sender = rd.participant(c, 'sender', 'sender');
  const receiver = rd.participant(c, 'receiver', 'receiver');
  const created = c.one('createdDateTime', 'createdDateTime');
  const series = c.many('TimeSeries', 'timeSeries', 0);
  c.end();
  const doc = compact<ConfigurationDocument>({
    mRID: mRID === undefined ? '' : rd.string(mRID, 'mRID'),
    type: type === undefined ? '' : rd.token(type, 'type'),
    processType: process === undefined ? '' : rd.token(process, 'processType'),
    sender,
    receiver,
    createdDateTime: created === undefined ? '' : rd.token(created, 'createdDateTime'),
    timeSeries: series.length === 0 ? undefined : series.map((el, i) => readTimeSeries(rd, el, `timeSeries[${i}]`, v)),
  });
  return rd.finish(doc, checkConfiguration(doc, v, 'accept'));
}

function readTimeSeries(rd: Reader, el: XmlElement, p: string, v: ConfigurationVersion): ConfigurationTimeSeries {
  const resourceElements =
    v.registeredResource === 'flat'
      ? ['registeredResource.mRID', 'registeredResource.name', 'registeredResource.location.name']
      : ['RegisteredResource'];
  const c = rd.complex(el, p, [
    'mRID',
    'businessType',
    'implementation_DateAndOrTime.date',
    'biddingZone_Domain.mRID',
    ...resourceElements,
    'ControlArea_Domain',
    'Provider_MarketParticipant',
    'MktPSRType',
  ]);
  const tok = (e: XmlElement | undefined, path: string): string => (e === undefined ? '' : rd.token(e, path));
  const str = (e: XmlElement | undefined, path: string): string => (e === undefined ? '' : rd.string(e, path));
  const mRID = c.one('mRID', join(p, 'mRID'));
  const business = c.one('businessType', join(p, 'businessType'));
  const date = c.one('implementation_DateAndOrTime.date', join(p, 'implementationDate'));
  const zone = c.opt('biddingZone_Domain.mRID', join(p, 'biddingZoneDomain'));
  const rp = join(p, 'registeredResource');
  let registeredResource: ConfigurationRegisteredResource;
  if (v.registeredResource === 'flat') {
    const id = c.one('registeredResource.mRID', rp);
    const name = c.one('registeredResource.name', join(rp, 'name'));
    const location = c.one('registeredResource.location.name', join(rp, 'locationName'));
    registeredResource = {
      ...(id === undefined ? { mRID: '', codingScheme: '' } : rd.codedId(id, rp)),
      name: str(name, join(rp, 'name')),
      locationName: str(location, join(rp, 'locationName')),
    };
  } else {
    const rr = c.one('RegisteredResource', rp);
    registeredResource = rr === undefined ? { mRID: '', codingScheme: '', name: '', locationName: '' } : readRegisteredResource(rd, rr, rp);
  }
  const areas = c.many('ControlArea_Domain', join(p, 'controlAreaDomain'), 1);
  const providers = c.many('Provider_MarketParticipant', join(p, 'providerMarketParticipant'), 1);
  const psr = c.one('MktPSRType', join(p, 'mktPSRType'));
  c.end();
  const wrapped = (e: XmlElement, path: string): CodedId => {
    const wc = rd.complex(e, path, ['mRID']);
    const id = wc.one('mRID', join(path, 'mRID'));
    wc.end();
    return id === undefined ? { mRID: '', codingScheme: '' } : rd.codedId(id, path);
  };
  return compact<ConfigurationTimeSeries>({
    mRID: str(mRID, join(p, 'mRID')),
    businessType: tok(business, join(p, 'businessType')),
    implementationDate: tok(date, join(p, 'implementationDate')),
    biddingZoneDomain: zone === undefined ? undefined : rd.codedId(zone, join(p, 'biddingZoneDomain')),
    registeredResource,
    controlAreaDomain: areas.map((a, j) => wrapped(a, join(p, `controlAreaDomain[${j}]`))),
    providerMarketParticipant: providers.map((m, j) => wrapped(m, join(p, `providerMarketParticipant[${j}]`))),
    mktPSRType: psr === undefined ? { psrType: '' } : readMktPSRType(rd, psr, join(p, 'mktPSRType'), v),
  });
}

function readRegisteredResource(rd: Reader, el: XmlElement, rp: string): ConfigurationRegisteredResource {
  const c = rd.complex(el, rp, ['mRID', 'name', 'location.name', 'Measurements']);
  const id = c.one('mRID', join(rp, 'mRID'));
  const name = c.one('name', join(rp, 'name'));
  const location = c.one('location.name', join(rp, 'locationName'));
  const measurements = c.many('Measurements', join(rp, 'measurements'), 0);
  c.end();
  return compact<ConfigurationRegisteredResource>({
    ...(id === undefined ? { mRID: '', codingScheme: '' } : rd.codedId(id, rp)),
    name: name === undefined ? '' : rd.string(name, join(rp, 'name')),
    locationName: location === undefined ? '' : rd.string(location, join(rp, 'locationName')),
    measurements:
      measurements.length === 0
        ? undefined
        : measurements.map((m, j) => {
            const mp = join(rp, `measurements[${j}]`);
            const mc = rd.complex(m, mp, ['measurementType', 'unitSymbol', 'analogValues.value']);
            const type = mc.one('measurementType', join(mp, 'measurementType'));
            const unit = mc.one('unitSymbol', join(mp, 'unitSymbol'));
            const value = mc.opt('analogValues.value', join(mp, 'value'));
            mc.end();
            return compact<Measurement>({
              measurementType: type === undefined ? '' : rd.token(type, join(mp, 'measurementType')),
              unitSymbol: unit === undefined ? '' : rd.token(unit, join(mp, 'unitSymbol')),
              value: value === undefined ? undefined : rd.token(value, join(mp, 'value')),
            });
          }),
  });
}

function readMktPSRType(rd: Reader, el: XmlElement, pp: string, v: ConfigurationVersion): ConfigurationMktPSRType {
  const c = rd.complex(el, pp, [
    'psrType',
    'production_PowerSystemResources.highVoltageLimit',
    'nominalIP_PowerSystemResources.nominalP',
    'GeneratingUnit_PowerSystemResources',
  ]);
  const psrType = c.one('psrType', join(pp, 'psrType'));
  const voltage = c.opt('production_PowerSystemResources.highVoltageLimit', join(pp, 'highVoltageLimit'));
  const nominal = c.opt('nominalIP_PowerSystemResources.nominalP', join(pp, 'nominalP'));
  const units = c.many('GeneratingUnit_PowerSystemResources', join(pp, 'generatingUnit'), 0);
  c.end();
  return compact<ConfigurationMktPSRType>({
    psrType: psrType === undefined ? '' : rd.token(psrType, join(pp, 'psrType')),
    highVoltageLimit: voltage === undefined ? undefined : rd.withFixedUnit(voltage, join(pp, 'highVoltageLimit'), 'KVT'),
    nominalP: nominal === undefined ? undefined : rd.withFixedUnit(nominal, join(pp, 'nominalP'), 'MAW'),
    generatingUnit: units.length === 0 ? undefined : units.map((u, j) => readGeneratingUnit(rd, u, join(pp, `generatingUnit[${j}]`), v)),
  });
}

function readGeneratingUnit(rd: Reader, el: XmlElement, gp: string, v: ConfigurationVersion): GeneratingUnit {
  const c = rd.complex(el, gp, v.generatingUnitOrder);
  const got = new Map<GeneratingUnitElement, XmlElement | undefined>();
  for (const name of v.generatingUnitOrder) got.set(name, c.one(name, join(gp, GENERATING_UNIT_FIELD[name])));
  c.end();
  const id = got.get('mRID');
  const str = (name: GeneratingUnitElement): string => {
    const e = got.get(name);
    return e === undefined ? '' : rd.string(e, join(gp, GENERATING_UNIT_FIELD[name]));
  };
  const nominal = got.get('nominalP');
  const psrType = got.get('generatingUnit_PSRType.psrType');
  return {
    ...(id === undefined ? { mRID: '', codingScheme: '' } : rd.codedId(id, gp)),
    name: str('name'),
    nominalP: nominal === undefined ? '' : rd.withFixedUnit(nominal, join(gp, 'nominalP'), 'MAW'),
    locationName: str('generatingUnit_Location.name'),
    psrType: psrType === undefined ? '' : rd.token(psrType, join(gp, 'psrType')),
  };
}

/** Model field of each MktGeneratingUnit element. */
const GENERATING_UNIT_FIELD: Readonly<Record<GeneratingUnitElement, string>> = {
  mRID: 'mRID',
  name: 'name',
  nominalP: 'nominalP',
  'generatingUnit_Location.name': 'locationName',
  'generatingUnit_PSRType.psrType': 'psrType',
};
