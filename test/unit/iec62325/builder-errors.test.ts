/** Builders check the model first and throw IEC_DOCUMENT_INVALID listing every problem with its field path. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  buildAcknowledgement,
  buildConfiguration,
  buildGl,
  buildResourceMapping,
  buildStatusRequest,
  buildUnavailability,
  type GlDocument,
  type Problem,
} from '../../../src/iec62325/index.js';
import { HubError, isHubError } from '../../../src/shared/errors.js';
import {
  aCapacityLimit,
  aCapacityLimitTimeSeries,
  aConnectionPointRegistration,
  aGlDocument,
  aGlTimeSeries,
  anAcknowledgement,
  anAssetRegistration,
  anAssetTimeSeries,
  aPeriod,
  aStatusRequest,
  scheduleValues,
} from '../../builders/iec62325.js';

/** The problems of the IEC_DOCUMENT_INVALID error `build` throws, as [path, message]. */
function problems(build: () => string): [string, string][] {
  try {
    build();
  } catch (e) {
    assert.ok(isHubError(e, 'IEC_DOCUMENT_INVALID'), `expected IEC_DOCUMENT_INVALID, got ${String(e)}`);
    const list = e.details?.problems as Problem[] | undefined;
    assert.ok(Array.isArray(list) && list.length > 0);
    for (const p of list) assert.ok(e.message.includes(`- ${p.path}: ${p.message}`), `message lists ${p.path}`);
    return list.map((p) => [p.path, p.message]);
  }
  assert.fail('the builder did not throw');
}

const paths = (build: () => string): string[] => problems(build).map(([p]) => p);

describe('identifier lengths per version', () => {
  const id36 = 'a'.repeat(36);

  it('a 36-character mRID is refused by a 35-character version (GL 3:0) and accepted by 3:2', () => {
    const doc = aGlDocument({ mRID: id36 });
    assert.deepEqual(
      problems(() => buildGl(doc, { version: '3:0' })),
      [['mRID', 'is 36 characters long; at most 35 are allowed (ID_String, max 35)']],
    );
    assert.match(buildGl(doc, { version: '3:2' }), new RegExp(`<mRID>${id36}</mRID>`));
  });

  it('the same for every document with a 35-character version', () => {
    assert.deepEqual(
      paths(() => buildAcknowledgement(anAcknowledgement({ mRID: id36, received: { mRID: id36 } }), { version: '7:0' })),
      ['mRID', 'received.mRID'],
    );
    assert.deepEqual(
      paths(() => buildStatusRequest(aStatusRequest({ mRID: id36 }), { version: '4:0' })),
      ['mRID'],
    );
    assert.deepEqual(
      paths(() => buildUnavailability(aCapacityLimit({ mRID: id36 }), { version: '3:0' })),
      ['mRID'],
    );
    assert.deepEqual(
      paths(() => buildConfiguration(anAssetRegistration({ mRID: id36, timeSeries: [] }), { version: '3:0' })),
      ['mRID'],
    );
  });

  it('60 characters is the limit of the newer versions, 16 of a party, 18 of an area or an old resource', () => {
    assert.deepEqual(
      problems(() => buildGl(aGlDocument({ mRID: 'x'.repeat(61) }))),
      [['mRID', 'is 61 characters long; at most 60 are allowed (ID_String, max 60)']],
    );
    assert.deepEqual(
      paths(() => buildGl(aGlDocument({ sender: { mRID: '10XDK-AGR-FLEX-PX', codingScheme: 'A01', role: 'A52' } }))),
      ['sender.mRID'],
    );
    const resource19 = aGlDocument({
      timeSeries: [aGlTimeSeries({ registeredResource: { mRID: 'DK-ASSET-BAT-000001', codingScheme: 'NDK' } })],
    });
    assert.deepEqual(
      problems(() => buildGl(resource19, { version: '3:0' })),
      [['timeSeries[0].registeredResource.mRID', 'is 19 characters long; at most 18 are allowed (ResourceID_String, max 18)']],
    );
    assert.ok(buildGl(resource19, { version: '3:2' }));
    assert.deepEqual(
      paths(() =>
        buildGl(
          aGlDocument({ timeSeries: [aGlTimeSeries({ inBiddingZoneDomain: { mRID: '10YDK-1--------W-X-', codingScheme: 'A01' } })] }),
        ),
      ),
      ['timeSeries[0].inBiddingZoneDomain.mRID'],
    );
  });

  it('counts characters, not UTF-16 units (XSD length facets)', () => {
    const name = '😀'.repeat(150);
    assert.ok(buildAcknowledgement(anAcknowledgement({ received: { title: name } })));
    assert.deepEqual(
      paths(() => buildAcknowledgement(anAcknowledgement({ received: { title: `${name}x` } }))),
      ['received.title'],
    );
  });
});

describe('code values come from the ENTSO-E code lists', () => {
  it('names the list a bad code is not in', () => {
    assert.deepEqual(
      problems(() => buildGl(aGlDocument({ type: 'Z99' }))),
      [['type', "'Z99' is not a code of MessageTypeList (ENTSO-E code list)"]],
    );
    assert.deepEqual(
      problems(() => buildStatusRequest(aStatusRequest({ sender: { mRID: '10XDK-DSO-NORD-4', codingScheme: 'GS1', role: 'A99' } }))),
      [
        ['sender.codingScheme', "'GS1' is not a code of CodingSchemeTypeList (ENTSO-E code list)"],
        ['sender.role', "'A99' is not a code of RoleTypeList (ENTSO-E code list)"],
      ],
    );
    assert.deepEqual(
      paths(() => buildUnavailability(aCapacityLimit({ docStatus: 'Z01' }))),
      ['docStatus'],
    );
    assert.deepEqual(
      paths(() => buildAcknowledgement(anAcknowledgement({ reason: [{ code: 'A00' }] }))),
      ['reason[0].code'],
    );
  });

  it('checks the code of every nested element', () => {
    const doc = anAssetRegistration({
      timeSeries: [
        anAssetTimeSeries({
          businessType: 'X01',
          registeredResource: {
            mRID: 'DK-ASSET-BAT-0001',
            codingScheme: 'NDK',
            name: 'n',
            locationName: 'l',
            measurements: [{ measurementType: 'A01', unitSymbol: 'KWT', value: '11' }],
          },
          mktPSRType: { psrType: 'B99' },
        }),
      ],
    });
    assert.deepEqual(
      paths(() => buildConfiguration(doc)),
      ['timeSeries[0].businessType', 'timeSeries[0].registeredResource.measurements[0].unitSymbol', 'timeSeries[0].mktPSRType.psrType'],
    );
  });
});

describe('time values are UTC (IEC 62325-351)', () => {
  it('refuses a non-UTC createdDateTime, with the UTC value in the message', () => {
    assert.deepEqual(
      problems(() => buildGl(aGlDocument({ createdDateTime: '2026-03-01T11:15:00+01:00' }))),
      [
        [
          'createdDateTime',
          "'2026-03-01T11:15:00+01:00' is not in UTC: ESMP_DateTime ends in Z, not the offset +01:00 (IEC 62325-351); in UTC that is 2026-03-01T10:15:00Z",
        ],
      ],
    );
  });

  it('refuses fractions of a second and seconds in interval boundaries', () => {
    assert.deepEqual(
      paths(() => buildAcknowledgement(anAcknowledgement({ createdDateTime: '2026-03-01T10:15:02.120Z' }))),
      ['createdDateTime'],
    );
    assert.deepEqual(
      paths(() => buildGl(aGlDocument({ timeInterval: { start: '2026-03-01T23:00:00Z', end: '2026-03-02T23:00Z' } }))),
      ['timeInterval.start'],
    );
    assert.deepEqual(
      paths(() =>
        buildUnavailability(
          aCapacityLimit({ timeSeries: [aCapacityLimitTimeSeries({ start: { date: '2026-03-05', time: '08:00:00+01:00' } })] }),
        ),
      ),
      ['timeSeries[0].start.time'],
    );
    assert.deepEqual(
      paths(() => buildResourceMapping(aConnectionPointRegistration({ createdDateTime: '2026-03-01T08:00:00' }))),
      ['createdDateTime'],
    );
  });

  it('refuses an interval whose start is not before its end', () => {
    assert.deepEqual(
      problems(() => buildGl(aGlDocument({ timeInterval: { start: '2026-03-02T23:00Z', end: '2026-03-01T23:00Z' } }))),
      [['timeInterval', 'start 2026-03-02T23:00Z is not before end 2026-03-01T23:00Z (ESMP_DateTimeInterval)']],
    );
  });
});

describe('required elements and cardinalities', () => {
  it('an empty time-series list where 1..n are required', () => {
    assert.deepEqual(
      problems(() => buildGl(aGlDocument({ timeSeries: [] }))),
      [['timeSeries', 'is empty; at least one TimeSeries is required (1..n)']],
    );
    assert.deepEqual(
      paths(() => buildResourceMapping(aConnectionPointRegistration({ timeSeries: [] }))),
      ['timeSeries'],
    );
    assert.deepEqual(
      paths(() => buildStatusRequest(aStatusRequest({ attributeInstanceComponent: [] }))),
      ['attributeInstanceComponent'],
    );
    assert.deepEqual(
      paths(() => buildAcknowledgement(anAcknowledgement({ reason: [] }))),
      ['reason'],
    );
    assert.deepEqual(
      paths(() => buildGl(aGlDocument({ timeSeries: [aGlTimeSeries({ period: [aPeriod([])] })] }))),
      ['timeSeries[0].period[0].point'],
    );
    assert.deepEqual(
      paths(() =>
        buildConfiguration(
          anAssetRegistration({ timeSeries: [anAssetTimeSeries({ controlAreaDomain: [], providerMarketParticipant: [] })] }),
        ),
      ),
      ['timeSeries[0].controlAreaDomain', 'timeSeries[0].providerMarketParticipant'],
    );
  });

  it('the document-level Reason of an outage is required in 3:0 (1..n) and optional in 4:1 (0..n)', () => {
    const noReason = aCapacityLimit({ reason: [] });
    assert.deepEqual(
      problems(() => buildUnavailability(noReason, { version: '3:0' })),
      [['reason', 'is empty; at least one Reason is required (1..n)']],
    );
    assert.ok(buildUnavailability(noReason, { version: '4:1' }));
  });

  it('a missing required field (from an untyped caller) is reported, not written as an empty element', () => {
    const incomplete = { ...aGlDocument(), processType: undefined } as unknown as GlDocument;
    assert.deepEqual(
      problems(() => buildGl(incomplete)),
      [['processType', 'is required']],
    );
    assert.deepEqual(
      paths(() => buildGl(aGlDocument({ mRID: '  ' }))),
      ['mRID'],
    );
  });
});

describe('periods and points', () => {
  it('refuses an unknown resolution', () => {
    const doc = aGlDocument({ timeSeries: [aGlTimeSeries({ period: [aPeriod(['1'], { resolution: 'P1W' })] })] });
    assert.deepEqual(
      problems(() => buildGl(doc)),
      [
        [
          'timeSeries[0].period[0].resolution',
          "resolution 'P1W' is not supported: weeks (PnW) are not an xs:duration (XSD 1.0); write P7D; supported: PTnM or PTnH dividing a day (PT15M, PT30M, PT60M, PT1H), PnD (P1D, P7D), PnM (P1M) or PnY (P1Y)",
        ],
      ],
    );
    assert.deepEqual(
      paths(() => buildGl(aGlDocument({ timeSeries: [aGlTimeSeries({ period: [aPeriod(['1'], { resolution: 'PT7M' })] })] }))),
      ['timeSeries[0].period[0].resolution'],
    );
  });

  it('emits only periods that are a whole number of resolutions, with positions inside and increasing', () => {
    const period = aPeriod(['1', '2'], { timeInterval: { start: '2026-03-01T23:00Z', end: '2026-03-01T23:20Z' } });
    assert.deepEqual(
      problems(() => buildGl(aGlDocument({ timeSeries: [aGlTimeSeries({ period: [period] })] }))),
      [
        [
          'timeSeries[0].period[0].resolution',
          'the interval 2026-03-01T23:00Z/2026-03-01T23:20Z is not a whole number of PT15M (20 minutes)',
        ],
      ],
    );
    const points = aPeriod([], {
      point: [
        { position: 2, quantity: '1' },
        { position: 2, quantity: '1' },
        { position: 97, quantity: '1' },
        { position: 0, quantity: '1' },
      ],
    });
    assert.deepEqual(
      paths(() => buildGl(aGlDocument({ timeSeries: [aGlTimeSeries({ period: [points] })] }))),
      [
        'timeSeries[0].period[0].point[1].position',
        'timeSeries[0].period[0].point[2].position',
        'timeSeries[0].period[0].point[3].position',
      ],
    );
  });

  it('lists every problem, with paths like timeSeries[2].period[0].point[5].quantity', () => {
    const values = scheduleValues('solar');
    values[5] = '7,5';
    values[6] = '1e3';
    const doc = aGlDocument({
      mRID: 'z'.repeat(61),
      createdDateTime: '2026-03-01T10:15Z',
      timeSeries: [
        aGlTimeSeries(),
        aGlTimeSeries({ mRID: '2', curveType: 'A09' }),
        aGlTimeSeries({ mRID: '3', period: [aPeriod(values)] }),
      ],
    });
    assert.deepEqual(
      problems(() => buildGl(doc)),
      [
        ['mRID', 'is 61 characters long; at most 60 are allowed (ID_String, max 60)'],
        ['createdDateTime', "'2026-03-01T10:15Z' has no seconds: ESMP_DateTime is YYYY-MM-DDThh:mm:ssZ, e.g. 2026-03-01T10:15:00Z"],
        ['timeSeries[1].curveType', "'A09' is not a code of CurveTypeList (ENTSO-E code list)"],
        [
          'timeSeries[2].period[0].point[5].quantity',
          "'7,5' is not a decimal number: the decimal separator is '.', and there is no grouping",
        ],
        ['timeSeries[2].period[0].point[6].quantity', "'1e3' has an exponent; xs:decimal is written without one (e.g. 1500, not 1.5E3)"],
      ],
    );
  });

  it('an outage Point has no secondaryQuantity; a GL Point may', () => {
    const ts = aCapacityLimitTimeSeries({
      availablePeriod: [
        {
          timeInterval: { start: '2026-03-05T07:00Z', end: '2026-03-05T15:00Z' },
          resolution: 'PT15M',
          point: [{ position: 1, quantity: '1', secondaryQuantity: '2' }],
        },
      ],
    });
    assert.deepEqual(
      paths(() => buildUnavailability(aCapacityLimit({ timeSeries: [ts] }))),
      ['timeSeries[0].availablePeriod[0].point[0].secondaryQuantity'],
    );
  });
});

describe('what a version cannot carry', () => {
  it('Acknowledgement 7:0 has no received_MarketDocument.process.processType', () => {
    assert.deepEqual(
      problems(() => buildAcknowledgement(anAcknowledgement(), { version: '7:0' })),
      [['received.processType', 'Acknowledgement_MarketDocument 7:0 has no received_MarketDocument.process.processType (added in 8:0)']],
    );
  });

  it('Configuration 3:0 has no Measurements and allows one fraction digit in floats', () => {
    assert.deepEqual(
      paths(() => buildConfiguration(anAssetRegistration(), { version: '3:0' })),
      ['timeSeries[0].registeredResource.measurements', 'timeSeries[1].registeredResource.measurements'],
    );
    const psr = anAssetRegistration({
      timeSeries: [
        anAssetTimeSeries({
          registeredResource: { mRID: 'DK-ASSET-BAT-0001', codingScheme: 'NDK', name: 'n', locationName: 'l' },
          mktPSRType: { psrType: 'B25', nominalP: '0.25' },
        }),
      ],
    });
    assert.deepEqual(
      problems(() => buildConfiguration(psr, { version: '3:0' })),
      [
        [
          'timeSeries[0].mktPSRType.nominalP',
          "'0.25' is not allowed here: unsigned digits with at most one fraction digit (e.g. 110.5), XSD pattern ([0-9]+((\\.[0-9])*))",
        ],
      ],
    );
    assert.ok(buildConfiguration(psr, { version: '3:3' }));
  });

  it('ESMP float types are unsigned (nominal power, voltage), unlike xs:decimal quantities', () => {
    const doc = aGlDocument({ timeSeries: [aGlTimeSeries({ mktPSRType: { psrType: 'B16', highVoltageLimit: '-0.4' } })] });
    assert.deepEqual(
      paths(() => buildGl(doc)),
      ['timeSeries[0].mktPSRType.highVoltageLimit'],
    );
  });
});

describe('other refusals', () => {
  it('an unsupported version is XML_UNSUPPORTED_VERSION', () => {
    assert.throws(
      () => buildGl(aGlDocument(), { version: '3:1' }),
      (e: unknown) =>
        e instanceof HubError &&
        e.code === 'XML_UNSUPPORTED_VERSION' &&
        /GL_MarketDocument version 3:1 is not supported; supported versions: 3:2, 3:0/.test(e.message),
    );
  });

  it('a character XML 1.0 cannot carry is a problem of its field, not a writer crash', () => {
    assert.deepEqual(
      problems(() => buildAcknowledgement(anAcknowledgement({ reason: [{ code: 'A02', text: 'bad \u0001 byte' }] }))),
      [['reason[0].text', 'contains U+0001 at index 4, which XML 1.0 cannot carry']],
    );
  });

  it('a StatusRequest attributeValue is at most 150 characters', () => {
    assert.deepEqual(
      paths(() =>
        buildStatusRequest(
          aStatusRequest({ attributeInstanceComponent: [{ attribute: 'DocumentType', attributeValue: 'x'.repeat(151) }] }),
        ),
      ),
      ['attributeInstanceComponent[0].attributeValue'],
    );
  });
});
