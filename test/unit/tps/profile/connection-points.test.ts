/**
 * Connection-point lists ↔ ResourceMapping_MarketDocument 1:1 (docs/iec62325-profile.md §4): one time
 * series per grid area with its complete list; an emptied area travels as a cancelled time series.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readDocument } from '../../../../src/backends/documents.js';
import { buildResourceMapping, type Participant, type ResourceMappingDocument } from '../../../../src/iec62325/index.js';
import { gs1Problem, withGs1CheckDigit } from '../../../../src/shared/gs1.js';
import {
  listsToResourceMapping,
  resourceMappingToLists,
  type GridAreaList,
  type ResourceMappingInput,
} from '../../../../src/tps/profile/connection-points.js';

const TPS = '10XTPS-PLATFORMJ';
const DSO = '10XDK-DSO-TEST-3';
const AREA_1 = '10YDK-1--------W';
const AREA_2 = '10YDK-2--------M';

const dso: Participant = { mRID: DSO, codingScheme: 'A01', role: 'A50' };
const tps: Participant = { mRID: TPS, codingScheme: 'A01', role: 'A32' };

const gsrn = (n: number): string => withGs1CheckDigit(`57131310000${String(n).padStart(6, '0')}`);

function input(lists: readonly GridAreaList[], mRID = 'cp-list-1'): ResourceMappingInput {
  return { mRID, sender: dso, receiver: tps, createdDateTime: '2025-02-20T10:15:00Z', startDate: '2025-03-01', lists };
}

/** Builds the XML, validates it against the hub's XSDs and parses it back. */
function throughXml(doc: ResourceMappingDocument): { xml: string; parsed: ResourceMappingDocument } {
  const xml = buildResourceMapping(doc);
  const read = readDocument(Buffer.from(xml));
  if (!read.ok) assert.fail(`not valid: ${read.reasons.map((r) => r.text).join('; ')}\n${xml}`);
  assert.equal(read.doc.kind, 'resourceMapping');
  assert.equal(read.doc.version, '1:1');
  if (read.doc.kind !== 'resourceMapping') assert.fail('not a resource mapping document');
  return { xml, parsed: read.doc.document };
}

describe('listsToResourceMapping and resourceMappingToLists', () => {
  const LISTS: readonly GridAreaList[] = [
    { gridArea: AREA_1, connectionPoints: [gsrn(1), gsrn(2), gsrn(3)] },
    { gridArea: AREA_2, connectionPoints: [gsrn(4)] },
  ];

  it('uses valid GSRNs as connection points', () => {
    for (const cp of LISTS.flatMap((l) => l.connectionPoints)) assert.equal(gs1Problem(cp, 18), undefined, cp);
  });

  it('builds one time series per grid area: the area as market_RegisteredResource, each connection point with A10', () => {
    const doc = listsToResourceMapping(input(LISTS));
    assert.equal(doc.type, 'A95');
    assert.equal(doc.revisionNumber, 1);
    assert.deepEqual(doc.sender, dso);
    assert.deepEqual(doc.receiver, tps);
    assert.deepEqual(
      doc.timeSeries.map((ts) => [ts.mRID, ts.startDate, ts.marketRegisteredResource, ts.cancelledTS]),
      [
        ['1', '2025-03-01', { mRID: AREA_1, codingScheme: 'A01' }, undefined],
        ['2', '2025-03-01', { mRID: AREA_2, codingScheme: 'A01' }, undefined],
      ],
    );
    assert.deepEqual(doc.timeSeries[0]?.registeredResource, [
      { mRID: gsrn(1), codingScheme: 'A10' },
      { mRID: gsrn(2), codingScheme: 'A10' },
      { mRID: gsrn(3), codingScheme: 'A10' },
    ]);
  });

  it('writes XML valid against the XSDs that reads back to the same lists, in order', () => {
    const { xml, parsed } = throughXml(listsToResourceMapping(input(LISTS)));
    assert.match(xml, new RegExp(`<mRID codingScheme="A10">${gsrn(4)}</mRID>`));
    assert.deepEqual(resourceMappingToLists(parsed), { lists: LISTS, problems: [] });
  });

  it('sends an emptied grid area as a cancelled time series (cancelledTS A01), read back as an empty list', () => {
    const lists: GridAreaList[] = [
      { gridArea: AREA_1, connectionPoints: [] },
      { gridArea: AREA_2, connectionPoints: [gsrn(4), gsrn(5)] },
    ];
    const doc = listsToResourceMapping(input(lists));
    assert.equal(doc.timeSeries[0]?.cancelledTS, 'A01');
    assert.equal(doc.timeSeries[1]?.cancelledTS, undefined);
    const { xml, parsed } = throughXml(doc);
    assert.match(xml, /<cancelledTS>A01<\/cancelledTS>/);
    assert.equal(parsed.timeSeries[0]?.cancelledTS, 'A01');
    assert.deepEqual(resourceMappingToLists(parsed), { lists, problems: [] });
  });

  it('round-trips a document whose only area was emptied', () => {
    const lists: GridAreaList[] = [{ gridArea: AREA_2, connectionPoints: [] }];
    const { parsed } = throughXml(listsToResourceMapping(input(lists)));
    assert.deepEqual(resourceMappingToLists(parsed), { lists, problems: [] });
  });

  it('round-trips a long list', () => {
    const lists: GridAreaList[] = [{ gridArea: AREA_1, connectionPoints: Array.from({ length: 500 }, (_, i) => gsrn(100000 + i)) }];
    const { parsed } = throughXml(listsToResourceMapping(input(lists)));
    assert.deepEqual(resourceMappingToLists(parsed), { lists, problems: [] });
  });

  it('reports a grid area listed twice in one document against the second time series (A59), keeping the first', () => {
    const doc = listsToResourceMapping(
      input([
        { gridArea: AREA_1, connectionPoints: [gsrn(1)] },
        { gridArea: AREA_2, connectionPoints: [gsrn(4)] },
        { gridArea: AREA_1, connectionPoints: [gsrn(2)] },
      ]),
    );
    const { parsed } = throughXml(doc);
    const { lists, problems } = resourceMappingToLists(parsed);
    assert.deepEqual(lists, [
      { gridArea: AREA_1, connectionPoints: [gsrn(1)] },
      { gridArea: AREA_2, connectionPoints: [gsrn(4)] },
    ]);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.timeSeries, '3');
    assert.equal(problems[0]?.code, 'A59');
    assert.match(problems[0]?.text ?? '', new RegExp(`grid area ${AREA_1} is listed twice`));
  });

  it('counts an emptied area and a list of the same area as a duplicate too', () => {
    const doc = listsToResourceMapping(
      input([
        { gridArea: AREA_1, connectionPoints: [] },
        { gridArea: AREA_1, connectionPoints: [gsrn(1)] },
      ]),
    );
    const { lists, problems } = resourceMappingToLists(throughXml(doc).parsed);
    assert.deepEqual(lists, [{ gridArea: AREA_1, connectionPoints: [] }]);
    assert.deepEqual(
      problems.map((p) => [p.timeSeries, p.code]),
      [['2', 'A59']],
    );
  });

  it('reports connection points that are not GS1 (coding scheme other than A10) and still reads the other areas', () => {
    const good = listsToResourceMapping(
      input([
        { gridArea: AREA_1, connectionPoints: [gsrn(1), gsrn(2)] },
        { gridArea: AREA_2, connectionPoints: [gsrn(4)] },
      ]),
    );
    const [first, second] = good.timeSeries;
    if (!first || !second) assert.fail('two time series expected');
    const doc: ResourceMappingDocument = {
      ...good,
      timeSeries: [
        {
          ...first,
          registeredResource: [
            { mRID: gsrn(1), codingScheme: 'A10' },
            { mRID: '10W1001A1001A45E', codingScheme: 'A01' },
            { mRID: 'DK-CP-7', codingScheme: 'NDK' },
          ],
        },
        second,
      ],
    };
    const { parsed } = throughXml(doc);
    const { lists, problems } = resourceMappingToLists(parsed);
    assert.deepEqual(lists, [{ gridArea: AREA_2, connectionPoints: [gsrn(4)] }]);
    assert.deepEqual(
      problems.map((p) => [p.timeSeries, p.code]),
      [['1', 'A59']],
    );
    assert.match(problems[0]?.text ?? '', /coding scheme A10\): 10W1001A1001A45E, DK-CP-7$/);
  });

  it('names at most five of the wrong connection points', () => {
    const [ts] = listsToResourceMapping(input([{ gridArea: AREA_1, connectionPoints: [gsrn(1)] }])).timeSeries;
    if (!ts) assert.fail('no time series');
    const wrong = Array.from({ length: 8 }, (_, i) => ({ mRID: `DK-CP-${i}`, codingScheme: 'NDK' }));
    const doc: ResourceMappingDocument = { ...listsToResourceMapping(input([])), timeSeries: [{ ...ts, registeredResource: wrong }] };
    const { lists, problems } = resourceMappingToLists(doc);
    assert.deepEqual(lists, []);
    assert.match(problems[0]?.text ?? '', /: DK-CP-0, DK-CP-1, DK-CP-2, DK-CP-3, DK-CP-4$/);
  });
});
