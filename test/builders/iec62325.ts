/**
 * Deterministic test data for the IEC 62325-451 documents, with realistic DREM content (docs/iec62325-profile.md):
 * EIC X codes for parties (check characters valid), an EIC Y code for the DSO grid area, GS1 GSRN (EAN-18)
 * connection points (check digits valid), asset IDs in the Danish national scheme (NDK), one Danish winter day
 * (2026-03-01T23:00Z–2026-03-02T23:00Z) of 96 PT15M positions, positive production and negative consumption.
 *
 * Every `aXxx(overrides)` returns a complete model; overrides replace top-level fields. `IEC_FIXTURE_CASES`
 * lists one or more documents per document type and version (emitted and accepted); the round-trip tests and
 * tools/conformance/emit-builder-documents.mjs both walk it.
 */
import type {
  AcknowledgementDocument,
  ConfigurationDocument,
  ConfigurationTimeSeries,
  GlDocument,
  GlTimeSeries,
  IecDocument,
  Participant,
  Period,
  ResourceMappingDocument,
  StatusRequestDocument,
  UnavailabilityDocument,
  UnavailabilityTimeSeries,
} from '../../src/iec62325/index.js';
import { DOCUMENTS } from '../../src/iec62325/index.js';

/** A copy without the given (optional) fields: absent, not undefined, as the parsers return models. */
export function omit<T extends object, K extends keyof T>(o: T, ...keys: K[]): Omit<T, K> {
  const out: Partial<T> = { ...o };
  for (const k of keys) delete out[k];
  return out as Omit<T, K>;
}

// --- parties, areas, connection points, assets -----------------------------------------------------------

/** The hub (TPS), market information aggregator A32. */
export const TPS: Participant = { mRID: '10XDK-TPS-HUB--P', codingScheme: 'A01', role: 'A32' };
/** A DSO, A50. */
export const DSO: Participant = { mRID: '10XDK-DSO-NORD-4', codingScheme: 'A01', role: 'A50' };
/** An aggregator, resource aggregator A52. */
export const AGR: Participant = { mRID: '10XDK-AGR-FLEX-P', codingScheme: 'A01', role: 'A52' };
/** A balance responsible party, A08. */
export const BRP: Participant = { mRID: '10XDK-BRP-VIND-N', codingScheme: 'A01', role: 'A08' };

/** The DSO's grid area (EIC Y code). */
export const GRID_AREA = { mRID: '45Y-DSO-NORD-01D', codingScheme: 'A01' } as const;
/** Connection points on that grid (GSRN / EAN-18, GS1: A10). */
export const CONNECTION_POINTS = ['571313100000000010', '571313100000000027', '571313100000000034', '571313100000000041'] as const;

/** The aggregator's assets (hub-allocated IDs, NDK; ≤ 18 characters, so they fit ResourceID_String of 3:0 too). */
export const ASSETS = {
  battery: { mRID: 'DK-ASSET-BAT-0001', codingScheme: 'NDK', connectionPoint: '571313100000000010', psrType: 'B25' },
  heatPump: { mRID: 'DK-ASSET-HP-0007', codingScheme: 'NDK', connectionPoint: '571313100000000027', psrType: 'B57' },
  solar: { mRID: 'DK-ASSET-PV-0002', codingScheme: 'NDK', connectionPoint: '571313100000000034', psrType: 'B16' },
} as const;

/** The schedule day: one Danish winter day in UTC (CET = UTC+1), 96 positions of PT15M. */
export const DAY = { start: '2026-03-01T23:00Z', end: '2026-03-02T23:00Z' } as const;
export const CREATED = '2026-03-01T10:15:00Z';

// --- operational schedules: GL_MarketDocument (F8) ---------------------------------------------------------

/**
 * 96 quarter-hour values in kW, as lexical decimals with two fraction digits (so that `7.50` tests that the
 * spelling survives). Battery: charges at night (negative), discharges in the evening peak (positive).
 * Heat pump: always consumes, more in the morning and evening. Solar: produces around noon.
 */
export function scheduleValues(asset: keyof typeof ASSETS): string[] {
  return Array.from({ length: 96 }, (_, i) => {
    const hour = i / 4; // local (CET) hour: position 1 starts at 00:00 CET = 23:00Z
    let kw: number;
    if (asset === 'battery') kw = hour < 6 ? -11 : hour >= 17 && hour < 21 ? 7.5 : 0;
    else if (asset === 'heatPump') kw = (hour >= 6 && hour < 9) || (hour >= 17 && hour < 22) ? -3.2 : -1.8;
    else kw = hour >= 8 && hour < 16 ? Math.round(Math.sin(((hour - 8) / 8) * Math.PI) * 600) / 100 : 0;
    return kw.toFixed(2);
  });
}

export function aPeriod(values: readonly string[], overrides: Partial<Period> = {}): Period {
  return {
    timeInterval: { ...DAY },
    resolution: 'PT15M',
    point: values.map((quantity, i) => ({ position: i + 1, quantity })),
    ...overrides,
  };
}

/** One asset's schedule: A07 net production/consumption, resource object A06, kW, A01 with 96 points. */
export function aGlTimeSeries(overrides: Partial<GlTimeSeries> = {}): GlTimeSeries {
  return {
    mRID: '1',
    businessType: 'A07',
    objectAggregation: 'A06',
    registeredResource: { mRID: ASSETS.battery.mRID, codingScheme: ASSETS.battery.codingScheme },
    measurementUnit: 'KWT',
    curveType: 'A01',
    period: [aPeriod(scheduleValues('battery'))],
    ...overrides,
  };
}

/** An aggregator's day-ahead schedule (type A67, process A01) for three assets. */
export function aGlDocument(overrides: Partial<GlDocument> = {}): GlDocument {
  return {
    mRID: '5f0c3a6e9d1b4c2a8e7f6d5c4b3a2910',
    revisionNumber: 1,
    type: 'A67',
    processType: 'A01',
    sender: AGR,
    receiver: TPS,
    createdDateTime: CREATED,
    timeInterval: { ...DAY },
    timeSeries: [
      aGlTimeSeries(),
      aGlTimeSeries({
        mRID: '2',
        registeredResource: { mRID: ASSETS.heatPump.mRID, codingScheme: ASSETS.heatPump.codingScheme },
        period: [aPeriod(scheduleValues('heatPump'))],
      }),
      aGlTimeSeries({
        mRID: '3',
        registeredResource: { mRID: ASSETS.solar.mRID, codingScheme: ASSETS.solar.codingScheme },
        period: [aPeriod(scheduleValues('solar'))],
      }),
    ],
    ...overrides,
  };
}

// --- acknowledgements ---------------------------------------------------------------------------------

/** The hub accepts a schedule (A01). */
export function anAcknowledgement(overrides: Partial<AcknowledgementDocument> = {}): AcknowledgementDocument {
  return {
    mRID: '0b7e9a1c2d3f4e5a6b7c8d9e0f1a2b3c',
    createdDateTime: '2026-03-01T10:15:02Z',
    sender: TPS,
    receiver: AGR,
    received: {
      mRID: '5f0c3a6e9d1b4c2a8e7f6d5c4b3a2910',
      revisionNumber: 1,
      type: 'A67',
      processType: 'A01',
      title: 'schedule-2026-03-02-agr.xml',
      createdDateTime: CREATED,
    },
    reason: [{ code: 'A01' }],
    ...overrides,
  };
}

/** The hub partly rejects a schedule (A03): time series 2 has a resolution error in its first hour. */
export function aPartialRejection(overrides: Partial<AcknowledgementDocument> = {}): AcknowledgementDocument {
  const firstHour = { start: '2026-03-01T23:00Z', end: '2026-03-02T00:00Z' };
  return anAcknowledgement({
    mRID: '1c8f2e4d6a0b4d3c9e8f7a6b5c4d3e2f',
    rejectedTimeSeries: [
      {
        mRID: '2',
        version: 1,
        inErrorPeriod: [
          { timeInterval: firstHour, reason: [{ code: 'A41', text: 'resolution PT5M does not match the registered PT15M' }] },
        ],
        reason: [{ code: 'A20' }],
      },
    ],
    reason: [
      { code: 'A03', text: '1 of 3 time series rejected' },
      { code: 'A95', text: '' },
    ],
    inErrorPeriod: [{ timeInterval: firstHour, reason: [{ code: 'A04' }] }],
    ...overrides,
  });
}

// --- capacity limits: Unavailability_MarketDocument (F6, F7) ------------------------------------------------

/** A foreseen limit's share for one asset: planned maintenance A53, available capacity per quarter hour (A03). */
export function aCapacityLimitTimeSeries(overrides: Partial<UnavailabilityTimeSeries> = {}): UnavailabilityTimeSeries {
  return {
    mRID: '1',
    businessType: 'A53',
    start: { date: '2026-03-05', time: '07:00:00Z' },
    end: { date: '2026-03-05', time: '15:00:00Z' },
    measurementUnit: 'KWT',
    curveType: 'A03',
    assetRegisteredResource: [
      {
        mRID: ASSETS.battery.mRID,
        codingScheme: ASSETS.battery.codingScheme,
        psrType: ASSETS.battery.psrType,
        locationName: ASSETS.battery.connectionPoint,
      },
    ],
    availablePeriod: [
      {
        timeInterval: { start: '2026-03-05T07:00Z', end: '2026-03-05T15:00Z' },
        resolution: 'PT15M',
        point: [
          { position: 1, quantity: '4.60' },
          { position: 17, quantity: '2.3' },
          { position: 29, quantity: '0' },
        ],
      },
    ],
    reason: [{ code: 'B19', text: 'replacement of transformer T2' }],
    ...overrides,
  };
}

/** F6/F7 foreseen capacity limit forwarded by the hub to the aggregator (A76: limits consumption). */
export function aCapacityLimit(overrides: Partial<UnavailabilityDocument> = {}): UnavailabilityDocument {
  return {
    mRID: '7d3b9f1e5a2c4e6f8a0b1c2d3e4f5a6b',
    revisionNumber: 1,
    type: 'A76',
    processType: 'A26',
    createdDateTime: '2026-03-01T10:20:00Z',
    sender: TPS,
    receiver: AGR,
    timeInterval: { start: '2026-03-05T07:00Z', end: '2026-03-05T15:00Z' },
    timeSeries: [
      aCapacityLimitTimeSeries(),
      aCapacityLimitTimeSeries({
        mRID: '2',
        assetRegisteredResource: [
          {
            mRID: ASSETS.heatPump.mRID,
            codingScheme: ASSETS.heatPump.codingScheme,
            psrType: ASSETS.heatPump.psrType,
            locationName: ASSETS.heatPump.connectionPoint,
          },
        ],
        availablePeriod: [
          {
            timeInterval: { start: '2026-03-05T07:00Z', end: '2026-03-05T15:00Z' },
            resolution: 'PT15M',
            point: [{ position: 1, quantity: '1.50' }],
          },
        ],
      }),
    ],
    reason: [{ code: 'A95', text: 'planned maintenance of feeder 12, substation Nord' }],
    ...overrides,
  };
}

/** F6 unforeseen capacity issue from a DSO: unplanned outage A54 on feed-in (A77), action stop (docStatus A23). */
export function anUnforeseenCapacityLimit(overrides: Partial<UnavailabilityDocument> = {}): UnavailabilityDocument {
  return aCapacityLimit({
    mRID: '9a8b7c6d5e4f40312a1b2c3d4e5f6a7b',
    type: 'A77',
    createdDateTime: '2026-03-01T13:02:11Z',
    sender: DSO,
    receiver: TPS,
    timeInterval: { start: '2026-03-01T13:00Z', end: '2026-03-01T18:00Z' },
    docStatus: 'A23',
    timeSeries: [
      {
        mRID: '1',
        businessType: 'A54',
        start: { date: '2026-03-01', time: '13:00:00Z' },
        end: { date: '2026-03-01', time: '18:00:00Z' },
        measurementUnit: 'KWT',
        curveType: 'A03',
        assetRegisteredResource: [
          {
            mRID: ASSETS.solar.mRID,
            codingScheme: ASSETS.solar.codingScheme,
            psrType: ASSETS.solar.psrType,
            locationName: ASSETS.solar.connectionPoint,
          },
          { mRID: ASSETS.battery.mRID, codingScheme: ASSETS.battery.codingScheme, locationName: ASSETS.battery.connectionPoint },
        ],
        reason: [{ code: 'B18' }, { code: 'A95', text: 'stop' }],
      },
    ],
    reason: [{ code: 'A95', text: 'cable fault on feeder 12; stop feed-in until repaired' }],
    ...overrides,
  });
}

// --- asset registration: Configuration_MarketDocument (F4, F5) ------------------------------------------------

/** One direction of one asset: A01 production or A04 consumption, with its maximum power in MW (3:3). */
export function anAssetTimeSeries(overrides: Partial<ConfigurationTimeSeries> = {}): ConfigurationTimeSeries {
  return {
    mRID: '1',
    businessType: 'A01',
    implementationDate: '2026-03-02',
    registeredResource: {
      mRID: ASSETS.battery.mRID,
      codingScheme: ASSETS.battery.codingScheme,
      name: 'Home battery, Vestergade 1',
      locationName: ASSETS.battery.connectionPoint,
      measurements: [{ measurementType: 'A01', unitSymbol: 'MAW', value: '0.011' }],
    },
    controlAreaDomain: [{ ...GRID_AREA }],
    providerMarketParticipant: [{ mRID: AGR.mRID, codingScheme: AGR.codingScheme }],
    mktPSRType: { psrType: ASSETS.battery.psrType },
    ...overrides,
  };
}

/** F4: the aggregator registers a home battery that produces (11 kW) and consumes (11 kW): creation A36. */
export function anAssetRegistration(overrides: Partial<ConfigurationDocument> = {}): ConfigurationDocument {
  return {
    mRID: '3e2d1c0b9a8f47e6d5c4b3a291807f6e',
    type: 'A95',
    processType: 'A36',
    sender: AGR,
    receiver: TPS,
    createdDateTime: '2026-03-01T09:30:00Z',
    timeSeries: [
      anAssetTimeSeries(),
      anAssetTimeSeries({
        mRID: '2',
        businessType: 'A04',
        registeredResource: {
          mRID: ASSETS.battery.mRID,
          codingScheme: ASSETS.battery.codingScheme,
          name: 'Home battery, Vestergade 1',
          locationName: ASSETS.battery.connectionPoint,
          measurements: [{ measurementType: 'A01', unitSymbol: 'MAW', value: '0.011' }],
        },
      }),
    ],
    ...overrides,
  };
}

// --- connection-point registration: ResourceMapping_MarketDocument (F4) -------------------------------------

/** F4: the DSO registers the connection points of its grid area from 2026-03-02 (open-ended). */
export function aConnectionPointRegistration(overrides: Partial<ResourceMappingDocument> = {}): ResourceMappingDocument {
  return {
    mRID: '6c5b4a3928174e6d5c4b3a2918070f6e',
    revisionNumber: 1,
    type: 'A95',
    sender: DSO,
    receiver: TPS,
    createdDateTime: '2026-03-01T08:00:00Z',
    timeSeries: [
      {
        mRID: '1',
        startDate: '2026-03-02',
        startTime: '00:00:00Z',
        marketRegisteredResource: { ...GRID_AREA, name: 'Nord 01' },
        registeredResource: CONNECTION_POINTS.map((cp) => ({ mRID: cp, codingScheme: 'A10' })),
      },
    ],
    ...overrides,
  };
}

// --- status requests (F5, F7, F9) ---------------------------------------------------------------------------

/** F5: the DSO asks for the assets on its grid that changed since its last call. */
export function aStatusRequest(overrides: Partial<StatusRequestDocument> = {}): StatusRequestDocument {
  return {
    mRID: '2a1b0c9d8e7f46a5b4c3d2e1f0a9b8c7',
    type: 'A59',
    sender: DSO,
    receiver: TPS,
    createdDateTime: '2026-03-01T10:00:00Z',
    attributeInstanceComponent: [
      { attribute: 'DocumentType', attributeValue: 'A95' },
      { attribute: 'ControlArea_Domain', attributeValue: GRID_AREA.mRID, codingScheme: GRID_AREA.codingScheme },
      { attribute: 'UpdatedSince', attributeValue: '2026-03-01T09:55:00Z' },
    ],
    ...overrides,
  };
}

// --- every document type × version ----------------------------------------------------------------------

export interface IecFixtureCase {
  /** Short name, unique per root and version: the `<case>` of `<root>_<version>.<case>.xml`. */
  readonly name: string;
  readonly root: string;
  /** 'major:minor' */
  readonly version: string;
  readonly doc: IecDocument;
}

/** The first schedule time series with the A03 (variable-sized block) form of the same values. */
function a03Schedule(): GlDocument {
  return aGlDocument({
    mRID: '8e7d6c5b4a394f2e1d0c9b8a7f6e5d4c',
    timeSeries: [
      aGlTimeSeries({
        curveType: 'A03',
        period: [
          aPeriod([], {
            point: [
              { position: 1, quantity: '-11.00' },
              { position: 25, quantity: '0' },
              { position: 69, quantity: '7.50' },
              { position: 85, quantity: '0' },
            ],
          }),
        ],
      }),
    ],
  });
}

/** A generation schedule with every optional element of GL_MarketDocument (fits 3:0 and 3:2). */
function aFullGl(): GlDocument {
  return aGlDocument({
    mRID: '4d3c2b1a09f84e7d6c5b4a3928170f6e',
    revisionNumber: 2,
    type: 'A71',
    timeSeries: [
      aGlTimeSeries({
        businessType: 'A01',
        inBiddingZoneDomain: { mRID: '10YDK-1--------W', codingScheme: 'A01' },
        outBiddingZoneDomain: { mRID: '10YDK-1--------W', codingScheme: 'A01' },
        registeredResource: { mRID: ASSETS.solar.mRID, codingScheme: ASSETS.solar.codingScheme },
        registeredResourceName: 'Rooftop PV, Vestergade 3',
        measurementUnit: 'MAW',
        cancelledTS: 'A02',
        mktPSRType: {
          psrType: 'B16',
          highVoltageLimit: '0.4',
          powerSystemResources: [
            { mRID: { mRID: 'DK-ASSET-PV-0002-1', codingScheme: 'NDK' }, name: 'Inverter 1', nominalP: '0.5' },
            { name: 'Inverter 2' },
          ],
        },
        period: [
          {
            timeInterval: { start: '2026-03-02T07:00Z', end: '2026-03-02T09:00Z' },
            resolution: 'PT60M',
            point: [
              { position: 1, quantity: '0.00125', secondaryQuantity: '0.0' },
              { position: 2, quantity: '0.0041' },
            ],
          },
          {
            timeInterval: { start: '2026-03-02T09:00Z', end: '2026-03-03T09:00Z' },
            resolution: 'P1D',
            point: [{ position: 1, quantity: '0.02' }],
          },
        ],
      }),
      omit(aGlTimeSeries({ mRID: '2', businessType: 'A04' }), 'registeredResource', 'period'),
    ],
  });
}

/** Unavailability with every optional element (fits 3:0 and 4:1). */
function aFullUnavailability(): UnavailabilityDocument {
  return aCapacityLimit({
    mRID: 'c4b3a29180f74e6d5c4b3a2918070f6e',
    revisionNumber: 999,
    type: 'A80',
    docStatus: 'A05',
    timeSeries: [
      aCapacityLimitTimeSeries({
        biddingZoneDomain: { mRID: '10YDK-1--------W', codingScheme: 'A01' },
        inDomain: { mRID: '10YDK-1--------W', codingScheme: 'A01' },
        outDomain: { mRID: '10YDK-2--------M', codingScheme: 'A01' },
        measurementUnit: 'MAW',
        curveType: 'A01',
        productionRegisteredResource: {
          mRID: { mRID: '45W-BAT-0001---H', codingScheme: 'A01' },
          name: 'Battery park Nord',
          locationName: 'Substation Nord',
          psrType: 'B25',
          powerSystemResources: { mRID: { mRID: 'DK-ASSET-BAT-0001', codingScheme: 'NDK' }, name: 'String A', nominalP: '40.5' },
        },
        assetRegisteredResource: [
          { mRID: '45W-BAT-0001---H', codingScheme: 'A01', name: 'Battery park Nord', psrType: 'B25', locationName: 'Substation Nord' },
          { mRID: ASSETS.battery.mRID, codingScheme: 'NDK' },
        ],
        availablePeriod: [
          {
            timeInterval: { start: '2026-03-05T07:00Z', end: '2026-03-05T09:00Z' },
            resolution: 'PT60M',
            point: [
              { position: 1, quantity: '20' },
              { position: 2, quantity: '-0.5' },
            ],
          },
        ],
        windPowerFeedinPeriod: [
          {
            timeInterval: { start: '2026-03-05T07:00Z', end: '2026-03-05T08:00Z' },
            resolution: 'PT15M',
            point: [{ position: 4, quantity: '12.5' }],
          },
        ],
        reason: [{ code: 'B19', text: 'annual maintenance' }],
      }),
    ],
  });
}

/** Asset registration with every optional element of 3:3 (generating units, voltage, nominal power). */
function aFullAssetRegistration(): ConfigurationDocument {
  return anAssetRegistration({
    mRID: 'e6d5c4b3a29180f74e6d5c4b3a291807',
    processType: 'A37',
    timeSeries: [
      anAssetTimeSeries({
        biddingZoneDomain: { mRID: '10YDK-1--------W', codingScheme: 'A01' },
        registeredResource: {
          mRID: ASSETS.solar.mRID,
          codingScheme: ASSETS.solar.codingScheme,
          name: 'Rooftop PV, Vestergade 3',
          locationName: ASSETS.solar.connectionPoint,
          measurements: [
            { measurementType: 'A01', unitSymbol: 'MAW', value: '.0099' },
            { measurementType: 'A11', unitSymbol: 'KVT' },
          ],
        },
        controlAreaDomain: [{ ...GRID_AREA }, { mRID: '10YDK-1--------W', codingScheme: 'A01' }],
        providerMarketParticipant: [
          { mRID: AGR.mRID, codingScheme: 'A01' },
          { mRID: BRP.mRID, codingScheme: 'A01' },
        ],
        mktPSRType: {
          psrType: 'B16',
          highVoltageLimit: '0.4',
          nominalP: '0.0099',
          generatingUnit: [
            {
              mRID: 'DK-ASSET-PV-0002-1',
              codingScheme: 'NDK',
              name: 'Inverter 1',
              nominalP: '0.005',
              locationName: 'roof north',
              psrType: 'B16',
            },
            {
              mRID: 'DK-ASSET-PV-0002-2',
              codingScheme: 'NDK',
              name: 'Inverter 2',
              nominalP: '0.0049',
              locationName: 'roof south',
              psrType: 'B16',
            },
          ],
        },
      }),
    ],
  });
}

/** The same registration as 3:0 can carry it: no Measurements, floats with at most one fraction digit. */
function forConfiguration30(doc: ConfigurationDocument): ConfigurationDocument {
  return {
    ...doc,
    timeSeries: (doc.timeSeries ?? []).map((ts) => {
      const psr = ts.mktPSRType;
      return {
        ...ts,
        registeredResource: omit(ts.registeredResource, 'measurements'),
        mktPSRType: {
          ...psr,
          ...(psr.nominalP !== undefined && { nominalP: '0.1' }),
          ...(psr.generatingUnit !== undefined && { generatingUnit: psr.generatingUnit.map((g) => ({ ...g, nominalP: '0.1' })) }),
        },
      };
    }),
  };
}

const caseList: readonly (Omit<IecFixtureCase, 'root'> & { readonly kind: IecDocument['kind'] })[] = [
  { kind: 'acknowledgement', version: '8:1', name: 'accepted', doc: { kind: 'acknowledgement', document: anAcknowledgement() } },
  { kind: 'acknowledgement', version: '8:1', name: 'partial', doc: { kind: 'acknowledgement', document: aPartialRejection() } },
  {
    kind: 'acknowledgement',
    version: '8:1',
    name: 'minimal',
    doc: {
      kind: 'acknowledgement',
      document: {
        mRID: 'ack-0001',
        createdDateTime: '2028-02-29T23:59:59Z',
        sender: TPS,
        receiver: { mRID: AGR.mRID, codingScheme: 'A01' },
        reason: [{ code: 'A01' }],
      },
    },
  },
  {
    kind: 'acknowledgement',
    version: '7:0',
    name: 'no-data',
    doc: {
      kind: 'acknowledgement',
      document: anAcknowledgement({
        received: { createdDateTime: '2026-03-01T10:00:00Z' },
        reason: [{ code: '999', text: 'No matching data found' }],
      }),
    },
  },
  {
    kind: 'acknowledgement',
    version: '7:0',
    name: 'partial',
    doc: {
      kind: 'acknowledgement',
      document: aPartialRejection({ received: { mRID: '5f0c3a6e9d1b4c2a8e7f6d5c4b3a2910', revisionNumber: 1, type: 'A67' } }),
    },
  },
  ...(['4:1', '4:0'] as const).flatMap((version) => [
    { kind: 'statusRequest' as const, version, name: 'assets', doc: { kind: 'statusRequest' as const, document: aStatusRequest() } },
    {
      kind: 'statusRequest' as const,
      version,
      name: 'schedules',
      doc: {
        kind: 'statusRequest' as const,
        document: aStatusRequest({
          mRID: 'b7a6c5d4e3f24a1b0c9d8e7f6a5b4c3d',
          attributeInstanceComponent: [
            { attribute: 'DocumentType', attributeValue: 'A67' },
            { attribute: 'RegisteredResource', attributeValue: ASSETS.battery.mRID, codingScheme: 'NDK' },
            { attribute: 'TimeInterval', attributeValue: `${DAY.start}/${DAY.end}` },
          ],
        }),
      },
    },
  ]),
  ...(['3:2', '3:0'] as const).flatMap((version) => [
    { kind: 'generationLoad' as const, version, name: 'schedule-a01', doc: { kind: 'generationLoad' as const, document: aGlDocument() } },
    { kind: 'generationLoad' as const, version, name: 'schedule-a03', doc: { kind: 'generationLoad' as const, document: a03Schedule() } },
    { kind: 'generationLoad' as const, version, name: 'full', doc: { kind: 'generationLoad' as const, document: aFullGl() } },
  ]),
  ...(['4:1', '3:0'] as const).flatMap((version) => [
    { kind: 'unavailability' as const, version, name: 'foreseen', doc: { kind: 'unavailability' as const, document: aCapacityLimit() } },
    {
      kind: 'unavailability' as const,
      version,
      name: 'unforeseen',
      doc: { kind: 'unavailability' as const, document: anUnforeseenCapacityLimit() },
    },
    { kind: 'unavailability' as const, version, name: 'full', doc: { kind: 'unavailability' as const, document: aFullUnavailability() } },
  ]),
  {
    kind: 'unavailability',
    version: '4:1',
    name: 'cancelled',
    doc: { kind: 'unavailability', document: omit(aCapacityLimit({ revisionNumber: 2, docStatus: 'A09' }), 'timeSeries', 'reason') },
  },
  { kind: 'configuration', version: '3:3', name: 'registration', doc: { kind: 'configuration', document: anAssetRegistration() } },
  { kind: 'configuration', version: '3:3', name: 'full', doc: { kind: 'configuration', document: aFullAssetRegistration() } },
  {
    kind: 'configuration',
    version: '3:3',
    name: 'asset-list-empty',
    doc: { kind: 'configuration', document: omit(anAssetRegistration({ processType: 'A39', sender: TPS, receiver: DSO }), 'timeSeries') },
  },
  {
    kind: 'configuration',
    version: '3:0',
    name: 'registration',
    doc: { kind: 'configuration', document: forConfiguration30(anAssetRegistration()) },
  },
  {
    kind: 'configuration',
    version: '3:0',
    name: 'full',
    doc: { kind: 'configuration', document: forConfiguration30(aFullAssetRegistration()) },
  },
  {
    kind: 'resourceMapping',
    version: '1:1',
    name: 'registration',
    doc: { kind: 'resourceMapping', document: aConnectionPointRegistration() },
  },
  {
    kind: 'resourceMapping',
    version: '1:1',
    name: 'full',
    doc: {
      kind: 'resourceMapping',
      document: aConnectionPointRegistration({
        revisionNumber: 2,
        timeSeries: [
          {
            mRID: '1',
            description: 'connection points of grid area Nord 01',
            cancelledTS: 'A02',
            startDate: '2026-03-02',
            startTime: '00:00:00Z',
            endDate: '2027-01-01',
            endTime: '00:00:00Z',
            marketRegisteredResource: { ...GRID_AREA, name: 'Nord 01', description: '10/0.4 kV distribution grid' },
            registeredResource: [
              { mRID: CONNECTION_POINTS[0], codingScheme: 'A10', name: 'Vestergade 1', description: '3 x 25 A' },
              { mRID: CONNECTION_POINTS[1], codingScheme: 'A10' },
            ],
          },
          {
            mRID: '2',
            cancelledTS: 'A01',
            startDate: '2026-03-02',
            marketRegisteredResource: { mRID: '45Y-DSO-NORD-02B', codingScheme: 'A01' },
            registeredResource: [{ mRID: CONNECTION_POINTS[3], codingScheme: 'A10' }],
          },
        ],
      }),
    },
  },
];

/** Every fixture: each document type in each version the hub emits or accepts. */
export const IEC_FIXTURE_CASES: readonly IecFixtureCase[] = caseList.map(({ kind, ...c }) => {
  const root = DOCUMENTS.find((d) => d.kind === kind)?.root;
  if (root === undefined) throw new Error(`no document of kind ${kind}`);
  return { ...c, root };
});
