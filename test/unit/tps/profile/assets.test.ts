/**
 * Assets ↔ Configuration_MarketDocument 3:3 (docs/iec62325-profile.md §3–§4): one time series per asset
 * and direction, valid against the hub's schemas, read back to the same records; the DSO's view without
 * the operator; problems per time series; the technology table.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readDocument } from '../../../../src/backends/documents.js';
import { isEic } from '../../../../src/directory/eic.js';
import { isStandardCode } from '../../../../src/iec62325/codelists/index.js';
import {
  buildConfiguration,
  type ConfigurationDocument,
  type ConfigurationTimeSeries,
  type Participant,
} from '../../../../src/iec62325/index.js';
import { withGs1CheckDigit } from '../../../../src/shared/gs1.js';
import {
  assetCodingScheme,
  assetsToConfiguration,
  configurationToAssets,
  NATIONAL_ASSET_SCHEME,
  seriesOfAsset,
  type AssetRecord,
} from '../../../../src/tps/profile/assets.js';
import { isTechnology, TECHNOLOGIES, technologyOf, type Technology } from '../../../../src/tps/profile/technologies.js';

const AGR = '10X1001A1001A450';
const TPS = '10XTPS-PLATFORMJ';
const DSO = '10XDK-DSO-TEST-3';
const AREA_1 = '10YDK-1--------W';
const AREA_2 = '10YDK-2--------M';
const W_CODE = '10W1001A1001A45E';

const aggregator: Participant = { mRID: AGR, codingScheme: 'A01', role: 'A52' };
const tps: Participant = { mRID: TPS, codingScheme: 'A01', role: 'A32' };
const dso: Participant = { mRID: DSO, codingScheme: 'A01', role: 'A50' };

const gsrn = (n: number): string => withGs1CheckDigit(`57131310000${String(n).padStart(6, '0')}`);

const solar: AssetRecord = {
  assetId: W_CODE,
  codingScheme: assetCodingScheme(W_CODE),
  connectionPoint: gsrn(1),
  gridArea: AREA_1,
  technology: 'solar',
  name: 'Rooftop PV Hansen',
  maxProductionKw: '11.5',
  validFrom: '2025-03-01',
  operator: AGR,
};
const heatPump: AssetRecord = {
  assetId: 'DK-HP-000042',
  codingScheme: assetCodingScheme('DK-HP-000042'),
  connectionPoint: gsrn(2),
  gridArea: AREA_2,
  technology: 'heat-pump',
  maxConsumptionKw: '3.2',
  validFrom: '2025-03-01',
  operator: AGR,
};
const battery: AssetRecord = {
  assetId: 'DK-BAT-000007',
  codingScheme: assetCodingScheme('DK-BAT-000007'),
  connectionPoint: gsrn(3),
  gridArea: AREA_1,
  technology: 'energy-storage',
  name: 'Garage battery, Nørregade 7',
  maxProductionKw: '5',
  maxConsumptionKw: '5.25',
  validFrom: '2025-03-02',
  operator: AGR,
};
const BATCH: readonly AssetRecord[] = [solar, heatPump, battery];

function toTps(assets: readonly AssetRecord[], mRID = 'asset-batch-1'): ConfigurationDocument {
  return assetsToConfiguration({
    mRID,
    processType: 'A36',
    sender: aggregator,
    receiver: tps,
    createdDateTime: '2025-02-20T10:15:00Z',
    assets,
  });
}

/** Builds the XML, validates it against the hub's XSDs and parses it back. */
function throughXml(doc: ConfigurationDocument): { xml: string; parsed: ConfigurationDocument } {
  const xml = buildConfiguration(doc);
  const read = readDocument(Buffer.from(xml));
  if (!read.ok) assert.fail(`not valid: ${read.reasons.map((r) => r.text).join('; ')}\n${xml}`);
  assert.equal(read.doc.kind, 'configuration');
  assert.equal(read.doc.version, '3:3');
  if (read.doc.kind !== 'configuration') assert.fail('not a configuration document');
  return { xml, parsed: read.doc.document };
}

describe('assetsToConfiguration and configurationToAssets', () => {
  it('uses party, area and asset codes that are valid', () => {
    for (const party of [AGR, TPS, DSO]) assert.ok(isEic(party, 'X'), party);
    for (const area of [AREA_1, AREA_2]) assert.ok(isEic(area, 'Y'), area);
    assert.ok(isEic(W_CODE, 'W'));
  });

  it('builds one time series per asset and direction: A01 production, A04 consumption, power in MW', () => {
    const doc = toTps(BATCH);
    assert.equal(doc.type, 'A95');
    assert.equal(doc.processType, 'A36');
    const series = doc.timeSeries ?? [];
    assert.deepEqual(
      series.map((ts) => [ts.mRID, ts.registeredResource.mRID, ts.businessType, ts.registeredResource.measurements?.[0]?.value]),
      [
        ['1', W_CODE, 'A01', '0.0115'],
        ['2', 'DK-HP-000042', 'A04', '0.0032'],
        ['3', 'DK-BAT-000007', 'A01', '0.005'],
        ['4', 'DK-BAT-000007', 'A04', '0.00525'],
      ],
    );
    for (const ts of series) {
      assert.deepEqual(
        ts.registeredResource.measurements?.map((m) => [m.measurementType, m.unitSymbol]),
        [['A01', 'MAW']],
      );
      assert.deepEqual(ts.providerMarketParticipant, [{ mRID: AGR, codingScheme: 'A01' }]);
    }
    const [first] = series;
    assert.equal(first?.registeredResource.codingScheme, 'A01');
    assert.equal(first?.registeredResource.name, 'Rooftop PV Hansen');
    assert.equal(first?.registeredResource.locationName, gsrn(1));
    assert.deepEqual(first?.controlAreaDomain, [{ mRID: AREA_1, codingScheme: 'A01' }]);
    assert.equal(first?.mktPSRType.psrType, 'B16');
    assert.equal(first?.implementationDate, '2025-03-01');
    // an asset without a name is sent with its ID as the name (the element is required)
    assert.equal(series[1]?.registeredResource.name, 'DK-HP-000042');
    assert.equal(series[1]?.registeredResource.codingScheme, NATIONAL_ASSET_SCHEME);
  });

  it('writes a batch with a producing, a consuming and a both-ways asset as XML valid against the XSDs, read back to the same records', () => {
    const { xml, parsed } = throughXml(toTps(BATCH));
    assert.match(xml, /<analogValues\.value>0\.0115<\/analogValues\.value>/);
    assert.match(xml, /<unitSymbol>MAW<\/unitSymbol>/);
    const back = configurationToAssets(parsed);
    assert.deepEqual(back.problems, []);
    assert.deepEqual(back.assets, BATCH);
  });

  it('reads the model directly (without XML) to the same records', () => {
    assert.deepEqual(configurationToAssets(toTps(BATCH)), { assets: BATCH, problems: [] });
  });

  it('writes a document without assets without TimeSeries, still valid', () => {
    const doc = toTps([]);
    assert.equal(doc.timeSeries, undefined);
    const { parsed } = throughXml(doc);
    assert.deepEqual(configurationToAssets(parsed), { assets: [], problems: [] });
  });

  it('keeps kW values exact through MW (values that floats would round)', () => {
    const odd: AssetRecord[] = ['4.1', '0.001', '1234.567', '100000', '0'].map((kw, i) => ({
      ...heatPump,
      assetId: `DK-HP-1${i}`,
      codingScheme: NATIONAL_ASSET_SCHEME,
      maxConsumptionKw: kw,
    }));
    const { parsed } = throughXml(toTps(odd));
    assert.deepEqual(
      parsed.timeSeries?.map((ts) => ts.registeredResource.measurements?.[0]?.value),
      ['0.0041', '0.000001', '1.234567', '100', '0'],
    );
    assert.deepEqual(configurationToAssets(parsed).assets, odd);
  });

  it('reads the other lexical forms of a MW value that the schema allows', () => {
    const [template] = toTps([heatPump]).timeSeries ?? [];
    if (!template) assert.fail('no time series');
    const lexical = ['.0115', '0.011500', '5.', '00', '0000.5', '12'];
    const doc: ConfigurationDocument = {
      ...toTps([]),
      timeSeries: lexical.map((value, i) => ({
        ...template,
        mRID: String(i + 1),
        registeredResource: {
          ...template.registeredResource,
          mRID: `DK-HP-2${i}`,
          measurements: [{ measurementType: 'A01', unitSymbol: 'MAW', value }],
        },
      })),
    };
    const { parsed } = throughXml(doc);
    const { assets, problems } = configurationToAssets(parsed);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      assets.map((a) => a.maxConsumptionKw),
      ['11.5', '11.5', '5000', '0', '500', '12000'],
    );
  });

  it('seriesOfAsset names the time series that carry an asset', () => {
    const doc = toTps(BATCH);
    assert.deepEqual(seriesOfAsset(doc, 'DK-BAT-000007'), ['3', '4']);
    assert.deepEqual(seriesOfAsset(doc, W_CODE), ['1']);
    assert.deepEqual(seriesOfAsset(doc, 'DK-UNKNOWN'), []);
    assert.deepEqual(seriesOfAsset(toTps([]), W_CODE), []);
  });
});

describe('hideOperatorAs (documents to a DSO)', () => {
  const toDso = (): ConfigurationDocument =>
    assetsToConfiguration({
      mRID: 'asset-list-dso-1',
      processType: 'A39',
      sender: tps,
      receiver: dso,
      createdDateTime: '2025-02-20T10:15:00Z',
      assets: BATCH,
      hideOperatorAs: TPS,
    });

  it('leaves the operator code and the operator’s asset names out of the XML', () => {
    const { xml } = throughXml(toDso());
    assert.ok(!xml.includes(AGR), 'the operator code is in the document');
    assert.ok(!xml.includes('Rooftop PV Hansen'), 'an asset name is in the document');
    assert.ok(!xml.includes('Garage battery'), 'an asset name is in the document');
    assert.ok(!xml.includes('Nørregade'), 'an asset name is in the document');
  });

  it('names the TPS as provider and the asset ID as name in every time series', () => {
    const doc = toDso();
    assert.equal(doc.timeSeries?.length, 4);
    for (const ts of doc.timeSeries ?? []) {
      assert.deepEqual(ts.providerMarketParticipant, [{ mRID: TPS, codingScheme: 'A01' }]);
      assert.equal(ts.registeredResource.name, ts.registeredResource.mRID);
    }
  });

  it('reads back as the same assets with the TPS as operator and no names', () => {
    const { parsed } = throughXml(toDso());
    const back = configurationToAssets(parsed);
    assert.deepEqual(back.problems, []);
    assert.deepEqual(
      back.assets,
      BATCH.map(({ name: _name, ...a }) => ({ ...a, operator: TPS })),
    );
  });
});

describe('configurationToAssets: problems per time series', () => {
  /** A time series of the batch, re-numbered and changed. */
  function series(
    from: ConfigurationTimeSeries | undefined,
    mRID: string,
    change: Partial<ConfigurationTimeSeries> = {},
  ): ConfigurationTimeSeries {
    if (!from) assert.fail('no such time series');
    return { ...from, mRID, ...change };
  }

  function faultyDocument(): ConfigurationDocument {
    const good = toTps(BATCH).timeSeries ?? [];
    const [solarTs, heatPumpTs, batteryProduction, batteryConsumption] = good;
    const withResource = (ts: ConfigurationTimeSeries | undefined, change: Partial<ConfigurationTimeSeries['registeredResource']>) => {
      if (!ts) assert.fail('no such time series');
      return { ...ts.registeredResource, ...change };
    };
    const timeSeries: ConfigurationTimeSeries[] = [
      series(solarTs, 'ok-solar'),
      // A07 is a standard BusinessTypeList code, so the document is schema-valid; not a direction of an asset
      series(heatPumpTs, 'unknown-business-type', {
        businessType: 'A07',
        registeredResource: withResource(heatPumpTs, { mRID: 'DK-HP-000099' }),
      }),
      // Measurements A01 without analogValues.value
      series(heatPumpTs, 'missing-value', {
        registeredResource: withResource(heatPumpTs, {
          mRID: 'DK-HP-000100',
          measurements: [{ measurementType: 'A01', unitSymbol: 'MAW' }],
        }),
      }),
      // no Measurements at all
      series(heatPumpTs, 'no-measurements', {
        registeredResource: withResource(heatPumpTs, { mRID: 'DK-HP-000101', measurements: [] }),
      }),
      // the battery's production twice
      series(batteryProduction, 'battery-production'),
      series(batteryProduction, 'battery-production-again'),
      // a both-ways asset whose consumption is on another connection point
      series(batteryProduction, 'split-production', { registeredResource: withResource(batteryProduction, { mRID: 'DK-BAT-000008' }) }),
      series(batteryConsumption, 'split-consumption', {
        registeredResource: withResource(batteryConsumption, { mRID: 'DK-BAT-000008', locationName: gsrn(9) }),
      }),
      series(heatPumpTs, 'ok-heat-pump'),
    ];
    return { ...toTps([], 'asset-batch-faulty'), timeSeries };
  }

  it('reports each faulty time series against its mRID with A59 or A69, and still reads the other assets', () => {
    const { parsed } = throughXml(faultyDocument());
    const { assets, problems } = configurationToAssets(parsed);
    assert.deepEqual(
      problems.map((p) => [p.timeSeries, p.code]),
      [
        ['unknown-business-type', 'A59'],
        ['missing-value', 'A69'],
        ['no-measurements', 'A69'],
        ['battery-production-again', 'A59'],
        ['split-consumption', 'A59'],
      ],
    );
    assert.deepEqual(
      assets.map((a) => a.assetId),
      [W_CODE, 'DK-BAT-000007', 'DK-BAT-000008', 'DK-HP-000042'],
    );
    assert.deepEqual(assets[0], solar);
    assert.deepEqual(assets[3], heatPump);
    // the rejected direction is not merged into the asset
    assert.deepEqual(assets[1], withoutConsumption(battery));
    assert.equal(assets[2]?.maxConsumptionKw, undefined);
    assert.equal(assets[2]?.connectionPoint, battery.connectionPoint);
  });

  it('says what is wrong in each problem text', () => {
    const { problems } = configurationToAssets(faultyDocument());
    const text = (ts: string): string => problems.find((p) => p.timeSeries === ts)?.text ?? assert.fail(`no problem for ${ts}`);
    assert.match(text('unknown-business-type'), /businessType A07/);
    assert.match(text('missing-value'), /DK-HP-000100.*maximum power/);
    assert.match(text('no-measurements'), /DK-HP-000101.*maximum power/);
    assert.match(
      text('battery-production-again'),
      /DK-BAT-000007: the production direction is given twice \(time series battery-production and battery-production-again\)/,
    );
    assert.match(
      text('split-consumption'),
      /DK-BAT-000008: its two directions disagree .*\(time series split-production and split-consumption\)/,
    );
  });

  it('reports a maximum power in another unit than MW as missing (A69)', () => {
    const [ts] = toTps([heatPump]).timeSeries ?? [];
    if (!ts) assert.fail('no time series');
    const doc: ConfigurationDocument = {
      ...toTps([]),
      timeSeries: [
        {
          ...ts,
          registeredResource: { ...ts.registeredResource, measurements: [{ measurementType: 'A01', unitSymbol: 'KVT', value: '3' }] },
        },
      ],
    };
    const { assets, problems } = configurationToAssets(doc);
    assert.deepEqual(assets, []);
    assert.deepEqual(
      problems.map((p) => [p.timeSeries, p.code]),
      [['1', 'A69']],
    );
  });

  it('reports two directions that disagree on the grid area, the provider or the date', () => {
    const [production, consumption] = (toTps([battery]).timeSeries ?? []) as [ConfigurationTimeSeries, ConfigurationTimeSeries];
    for (const change of [
      { controlAreaDomain: [{ mRID: AREA_2, codingScheme: 'A01' }] },
      { providerMarketParticipant: [{ mRID: TPS, codingScheme: 'A01' }] },
      { implementationDate: '2025-04-01' },
    ] satisfies Partial<ConfigurationTimeSeries>[]) {
      const doc: ConfigurationDocument = { ...toTps([]), timeSeries: [production, { ...consumption, ...change }] };
      const { assets, problems } = configurationToAssets(doc);
      assert.deepEqual(
        problems.map((p) => [p.timeSeries, p.code]),
        [['2', 'A59']],
        JSON.stringify(change),
      );
      assert.deepEqual(assets, [withoutConsumption(battery)]);
    }
  });
});

function withoutConsumption({ maxConsumptionKw: _c, ...rest }: AssetRecord): AssetRecord {
  return rest;
}

describe('assetCodingScheme', () => {
  it('gives A01 (EIC) for a valid EIC W code', () => {
    assert.equal(assetCodingScheme(W_CODE), 'A01');
    assert.equal(assetCodingScheme('10W1001C--00001A'), 'A01');
  });

  it('gives the national scheme for anything else: other IDs, other EIC types, a wrong check character', () => {
    assert.equal(NATIONAL_ASSET_SCHEME, 'NDK');
    assert.ok(isStandardCode('CodingSchemeTypeList', NATIONAL_ASSET_SCHEME));
    for (const id of ['DK-HP-000042', AREA_1, AGR, '10W1001A1001A45F', '10w1001a1001a45e', '10W1001A1001A45', '']) {
      assert.equal(assetCodingScheme(id), NATIONAL_ASSET_SCHEME, id);
    }
  });
});

describe('technologies', () => {
  const entries = Object.entries(TECHNOLOGIES) as [Technology, string][];

  it('sends every technology as a standard AssetTypeList code', () => {
    for (const [name, code] of entries) assert.ok(isStandardCode('AssetTypeList', code), `${name}: ${code}`);
  });

  it('gives every technology its own code, so names round-trip', () => {
    assert.equal(new Set(entries.map(([, code]) => code)).size, entries.length);
    for (const [name, code] of entries) {
      assert.equal(technologyOf(code), name);
      assert.ok(isTechnology(name));
    }
  });

  it('reads a code outside the table as other', () => {
    for (const code of ['B99', 'B17', 'A03', '', 'b16', 'solar']) assert.equal(technologyOf(code), 'other', code);
  });

  it('knows only the names of the table', () => {
    for (const bad of ['Solar', 'battery', 'B16', '', 'toString', '__proto__', 1, undefined, null])
      assert.equal(isTechnology(bad), false, String(bad));
  });

  it('writes an asset of every technology in a schema-valid document and reads the technology back', () => {
    const assets: AssetRecord[] = entries.map(([technology], i) => ({
      ...solar,
      assetId: `DK-TECH-${i}`,
      codingScheme: NATIONAL_ASSET_SCHEME,
      technology,
    }));
    const { parsed } = throughXml(toTps(assets));
    assert.deepEqual(
      configurationToAssets(parsed).assets.map((a) => a.technology),
      entries.map(([name]) => name),
    );
  });
});
