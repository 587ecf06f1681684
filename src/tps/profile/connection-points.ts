/**
 * Connection points in ResourceMapping_MarketDocument 1:1, `type` A95 (docs/iec62325-profile.md
 * §4): one time series per grid area (`market_RegisteredResource`, EIC Y), listing **all** its
 * connection points (GSRN/EAN-18, coding scheme A10) from the start date. A new list replaces
 * the previous one, so removing a connection point is sending the list without it.
 */
import type { Participant, ResourceMappingDocument } from '../../iec62325/index.js';

export interface GridAreaList {
  readonly gridArea: string;
  /** The complete list; empty: the DSO has no connection points left in the area. */
  readonly connectionPoints: readonly string[];
}

export interface ResourceMappingInput {
  readonly mRID: string;
  readonly sender: Participant;
  readonly receiver: Participant;
  readonly createdDateTime: string;
  /** YYYY-MM-DD */
  readonly startDate: string;
  readonly lists: readonly GridAreaList[];
}

export function listsToResourceMapping(i: ResourceMappingInput): ResourceMappingDocument {
  return {
    mRID: i.mRID,
    revisionNumber: 1,
    type: 'A95',
    sender: i.sender,
    receiver: i.receiver,
    createdDateTime: i.createdDateTime,
    timeSeries: i.lists.map((l, n) =>
      l.connectionPoints.length === 0
        ? // an emptied area: the schema needs 1..n resources, so the series is withdrawn instead (cancelledTS A01)
          {
            mRID: String(n + 1),
            cancelledTS: 'A01',
            startDate: i.startDate,
            marketRegisteredResource: { mRID: l.gridArea, codingScheme: 'A01' },
            registeredResource: [{ mRID: l.gridArea, codingScheme: 'A01' }],
          }
        : {
            mRID: String(n + 1),
            startDate: i.startDate,
            marketRegisteredResource: { mRID: l.gridArea, codingScheme: 'A01' },
            registeredResource: l.connectionPoints.map((cp) => ({ mRID: cp, codingScheme: 'A10' })),
          },
    ),
  };
}

export function resourceMappingToLists(doc: ResourceMappingDocument): {
  lists: GridAreaList[];
  problems: { timeSeries: string; code: string; text: string }[];
} {
  const lists: GridAreaList[] = [];
  const problems: { timeSeries: string; code: string; text: string }[] = [];
  const areas = new Set<string>();
  for (const ts of doc.timeSeries) {
    const area = ts.marketRegisteredResource.mRID;
    if (areas.has(area)) {
      problems.push({ timeSeries: ts.mRID, code: 'A59', text: `grid area ${area} is listed twice in one document` });
      continue;
    }
    areas.add(area);
    if (ts.cancelledTS === 'A01') {
      lists.push({ gridArea: area, connectionPoints: [] });
      continue;
    }
    const wrong = ts.registeredResource.filter((r) => r.codingScheme !== 'A10');
    if (wrong.length) {
      problems.push({
        timeSeries: ts.mRID,
        code: 'A59',
        text: `connection points are GS1 GSRN/EAN-18 (coding scheme A10): ${wrong
          .map((r) => r.mRID)
          .slice(0, 5)
          .join(', ')}`,
      });
      continue;
    }
    lists.push({ gridArea: area, connectionPoints: ts.registeredResource.map((r) => r.mRID) });
  }
  return { lists, problems };
}
