/**
 * Assets in Configuration_MarketDocument 3:3, `type` A95 (docs/iec62325-profile.md §4): one
 * time series per (asset, direction) — businessType A01 production, A04 consumption — with the
 * connection point in `location.name`, the grid area in `ControlArea_Domain`, the operator in
 * `Provider_MarketParticipant` and the maximum power in `Measurements` (A01 flow, MW). Both the
 * AGR/BRP backend (writing) and the TPS (reading; writing the DSO's view) use this mapping.
 */
import type { ConfigurationDocument, ConfigurationTimeSeries, Participant } from '../../iec62325/index.js';
import { isEic } from '../../directory/eic.js';
import { technologyOf, TECHNOLOGIES, type Technology } from './technologies.js';
import { kwToMw, mwToKw } from './units.js';

export const ASSET_PROCESS = { create: 'A36', modify: 'A37', deactivate: 'A38', synchronise: 'A39' } as const;
export type AssetProcess = (typeof ASSET_PROCESS)[keyof typeof ASSET_PROCESS];

const BUSINESS_TYPE = { production: 'A01', consumption: 'A04' } as const;
/** National coding scheme for asset IDs that are not EIC W codes (profile §3; Denmark). */
export const NATIONAL_ASSET_SCHEME = 'NDK';

export interface AssetRecord {
  readonly assetId: string;
  readonly codingScheme: string;
  readonly connectionPoint: string;
  readonly gridArea: string;
  readonly technology: Technology;
  /** The operator's own name for the asset; never sent to a DSO. */
  readonly name?: string;
  /** kW, decimal; absent: the asset does not produce. */
  readonly maxProductionKw?: string;
  /** kW, decimal; absent: the asset does not consume. */
  readonly maxConsumptionKw?: string;
  /** YYYY-MM-DD from when the registration (or change, or removal) applies. */
  readonly validFrom: string;
  /** The operating party (Provider_MarketParticipant); in documents to a DSO, the TPS. */
  readonly operator: string;
}

export const assetCodingScheme = (assetId: string): string => (isEic(assetId, 'W') ? 'A01' : NATIONAL_ASSET_SCHEME);

export interface ConfigurationInput {
  readonly mRID: string;
  readonly processType: AssetProcess;
  readonly sender: Participant;
  readonly receiver: Participant;
  readonly createdDateTime: string;
  readonly assets: readonly AssetRecord[];
  /** Documents to a DSO: the provider is the TPS and the name is the asset ID (privacy, profile §3). */
  readonly hideOperatorAs?: string;
}

export function assetsToConfiguration(i: ConfigurationInput): ConfigurationDocument {
  const timeSeries: ConfigurationTimeSeries[] = [];
  for (const a of i.assets) {
    const directions = [
      ['production', a.maxProductionKw],
      ['consumption', a.maxConsumptionKw],
    ] as const;
    for (const [direction, kw] of directions) {
      if (kw === undefined) continue;
      timeSeries.push({
        mRID: String(timeSeries.length + 1),
        businessType: BUSINESS_TYPE[direction],
        implementationDate: a.validFrom,
        registeredResource: {
          mRID: a.assetId,
          codingScheme: a.codingScheme,
          name: i.hideOperatorAs !== undefined ? a.assetId : (a.name ?? a.assetId),
          locationName: a.connectionPoint,
          measurements: [{ measurementType: 'A01', unitSymbol: 'MAW', value: kwToMw(kw) }],
        },
        controlAreaDomain: [{ mRID: a.gridArea, codingScheme: 'A01' }],
        providerMarketParticipant: [{ mRID: i.hideOperatorAs ?? a.operator, codingScheme: 'A01' }],
        mktPSRType: { psrType: TECHNOLOGIES[a.technology] },
      });
    }
  }
  return {
    mRID: i.mRID,
    type: 'A95',
    processType: i.processType,
    sender: i.sender,
    receiver: i.receiver,
    createdDateTime: i.createdDateTime,
    ...(timeSeries.length ? { timeSeries } : {}),
  };
}

/** A problem with one time series of a received document (becomes a Rejected_TimeSeries reason). */
export interface SeriesProblem {
  readonly timeSeries: string;
  readonly code: string;
  readonly text: string;
}

/** Reads the assets of a Configuration document: the two directions of one asset merge into one record. */
export function configurationToAssets(doc: ConfigurationDocument): { assets: AssetRecord[]; problems: SeriesProblem[] } {
  const byId = new Map<string, { record: AssetRecord; series: string }>();
  const problems: SeriesProblem[] = [];
  for (const ts of doc.timeSeries ?? []) {
    const direction =
      ts.businessType === BUSINESS_TYPE.production
        ? 'production'
        : ts.businessType === BUSINESS_TYPE.consumption
          ? 'consumption'
          : undefined;
    if (!direction) {
      problems.push({
        timeSeries: ts.mRID,
        code: 'A59',
        text: `businessType ${ts.businessType}: an asset is registered with A01 production or A04 consumption`,
      });
      continue;
    }
    const flow = ts.registeredResource.measurements?.find((m) => m.measurementType === 'A01');
    if (!flow?.value || flow.unitSymbol !== 'MAW') {
      problems.push({
        timeSeries: ts.mRID,
        code: 'A69',
        text: `asset ${ts.registeredResource.mRID}: the maximum power (Measurements A01 in MAW) is missing`,
      });
      continue;
    }
    const kw = mwToKw(flow.value);
    const gridArea = ts.controlAreaDomain[0]?.mRID ?? '';
    const operator = ts.providerMarketParticipant[0]?.mRID ?? '';
    const id = ts.registeredResource.mRID;
    const seen = byId.get(id);
    if (seen) {
      const r = seen.record;
      const same =
        r.connectionPoint === ts.registeredResource.locationName &&
        r.gridArea === gridArea &&
        r.operator === operator &&
        r.validFrom === ts.implementationDate;
      const twice = direction === 'production' ? r.maxProductionKw !== undefined : r.maxConsumptionKw !== undefined;
      if (!same || twice) {
        problems.push({
          timeSeries: ts.mRID,
          code: 'A59',
          text: twice
            ? `asset ${id}: the ${direction} direction is given twice (time series ${seen.series} and ${ts.mRID})`
            : `asset ${id}: its two directions disagree on connection point, grid area, provider, date, coding scheme or technology (time series ${seen.series} and ${ts.mRID})`,
        });
        continue;
      }
      seen.record = { ...r, ...(direction === 'production' ? { maxProductionKw: kw } : { maxConsumptionKw: kw }) };
      continue;
    }
    byId.set(id, {
      series: ts.mRID,
      record: {
        assetId: id,
        codingScheme: ts.registeredResource.codingScheme,
        connectionPoint: ts.registeredResource.locationName,
        gridArea,
        technology: technologyOf(ts.mktPSRType.psrType),
        ...(ts.registeredResource.name !== id ? { name: ts.registeredResource.name } : {}),
        ...(direction === 'production' ? { maxProductionKw: kw } : { maxConsumptionKw: kw }),
        validFrom: ts.implementationDate,
        operator,
      },
    });
  }
  return { assets: [...byId.values()].map((v) => v.record), problems };
}

/** The time-series mRIDs that carry an asset (for Rejected_TimeSeries). */
export function seriesOfAsset(doc: ConfigurationDocument, assetId: string): string[] {
  return (doc.timeSeries ?? []).filter((ts) => ts.registeredResource.mRID === assetId).map((ts) => ts.mRID);
}
