/**
 * ResourceMapping_MarketDocument 1:1, ENTSO-E WG EDI IEC 62325-451-n (built on IEC 62325-351): maps a
 * market_RegisteredResource to the RegisteredResources under it over a validity period. The hub's
 * connection-point registration by a DSO (F4): the grid area and its connection points (EAN-18);
 * docs/iec62325-profile.md §4. Element order: mRID, revisionNumber, type, sender, receiver, createdDateTime,
 * TimeSeries (1..n: mRID, description?, cancelledTS?, start_DateAndOrTime.date, .time?,
 * end_DateAndOrTime.date?, .time?, market_RegisteredResource.mRID, .name?, .description?,
 * RegisteredResource (1..n: mRID, name?, description?)).
 */
import type { Result } from '../shared/result.js';
import type { XmlElement } from '../xml/index.js';
import { RESOURCE_MAPPING, versionOf, type ResourceMappingVersion } from './documents.js';
import { Checker, join, throwIfProblems, type CheckMode, type Problem } from './internal/check.js';
import { compact, documentRoot, Reader, type IecInput, type IecIssue, type ParseOptions } from './internal/read.js';
import * as write from './internal/write.js';
import type { BuildOptions, CodedId, Participant } from './model.js';

/** A resource with an optional name and description (market_RegisteredResource, RegisteredResource). */
export interface MappedResource extends CodedId {
  readonly name?: string;
  readonly description?: string;
}

export interface ResourceMappingTimeSeries {
  readonly mRID: string;
  readonly description?: string;
  /** IndicatorTypeList: A01 withdraws a time series sent earlier. */
  readonly cancelledTS?: string;
  /** start_DateAndOrTime.date (YYYY-MM-DD) */
  readonly startDate: string;
  /** start_DateAndOrTime.time (hh:mm:ssZ) */
  readonly startTime?: string;
  /** end_DateAndOrTime.date; absent: open-ended */
  readonly endDate?: string;
  readonly endTime?: string;
  /** market_RegisteredResource.mRID / .name / .description: the DSO's grid area. */
  readonly marketRegisteredResource: MappedResource;
  /** 1..n: the connection points. */
  readonly registeredResource: readonly MappedResource[];
}

export interface ResourceMappingDocument {
  readonly mRID: string;
  readonly revisionNumber: number;
  readonly type: string;
  readonly sender: Participant;
  readonly receiver: Participant;
  readonly createdDateTime: string;
  /** 1..n */
  readonly timeSeries: readonly ResourceMappingTimeSeries[];
}

const ROOT = RESOURCE_MAPPING.root;

export function checkResourceMapping(doc: ResourceMappingDocument, v: ResourceMappingVersion, mode: CheckMode = 'emit'): Problem[] {
  const c = new Checker(mode);
  c.id('mRID', doc.mRID, v.idMaxLength);
  c.revision('revisionNumber', doc.revisionNumber);
  c.code('type', 'MessageTypeList', doc.type);
  c.participant('sender', doc.sender);
  c.participant('receiver', doc.receiver);
  c.esmpDateTime('createdDateTime', doc.createdDateTime);
  const resource = (path: string, r: MappedResource | undefined): void => {
    if (!c.present(path, r) || r === undefined) return;
    c.codedId(path, r, v.resourceIdMaxLength, 'ResourceID_String');
    c.text(join(path, 'name'), r.name, false);
    c.text(join(path, 'description'), r.description, false);
  };
  c.list('timeSeries', doc.timeSeries, 1, 'TimeSeries').forEach((ts, i) => {
    const p = `timeSeries[${i}]`;
    if (!c.present(p, ts)) return;
    c.id(join(p, 'mRID'), ts.mRID, v.idMaxLength);
    c.text(join(p, 'description'), ts.description, false);
    c.code(join(p, 'cancelledTS'), 'IndicatorTypeList', ts.cancelledTS, false);
    c.date(join(p, 'startDate'), ts.startDate);
    c.time(join(p, 'startTime'), ts.startTime, false);
    c.date(join(p, 'endDate'), ts.endDate, false);
    c.time(join(p, 'endTime'), ts.endTime, false);
    resource(join(p, 'marketRegisteredResource'), ts.marketRegisteredResource);
    c.list(join(p, 'registeredResource'), ts.registeredResource, 1, 'RegisteredResource').forEach((r, j) =>
      resource(join(p, `registeredResource[${j}]`), r),
    );
  });
  return c.problems;
}

/** Writes the document. Throws IEC_DOCUMENT_INVALID listing every problem of the model. */
export function buildResourceMapping(doc: ResourceMappingDocument, options: BuildOptions = {}): string {
  const v = versionOf(RESOURCE_MAPPING, options.version);
  throwIfProblems(`${ROOT} ${v.version}`, checkResourceMapping(doc, v));
  const w = write.newWriter(options.indent);
  w.root(ROOT, v.namespace).element('mRID', doc.mRID).element('revisionNumber', doc.revisionNumber).element('type', doc.type);
  write.participant(w, 'sender', doc.sender);
  write.participant(w, 'receiver', doc.receiver);
  w.element('createdDateTime', doc.createdDateTime);
  for (const ts of doc.timeSeries) {
    w.start('TimeSeries')
      .element('mRID', ts.mRID)
      .optional('description', ts.description)
      .optional('cancelledTS', ts.cancelledTS)
      .element('start_DateAndOrTime.date', ts.startDate)
      .optional('start_DateAndOrTime.time', ts.startTime)
      .optional('end_DateAndOrTime.date', ts.endDate)
      .optional('end_DateAndOrTime.time', ts.endTime);
    const m = ts.marketRegisteredResource;
    write.codedId(w, 'market_RegisteredResource.mRID', m);
    w.optional('market_RegisteredResource.name', m.name).optional('market_RegisteredResource.description', m.description);
    for (const r of ts.registeredResource) {
      w.start('RegisteredResource');
      write.codedId(w, 'mRID', r);
      w.optional('name', r.name).optional('description', r.description).end();
    }
    w.end();
  }
  return w.end().toString();
}

/** Reads ResourceMapping_MarketDocument 1:1. */
export function parseResourceMapping(input: IecInput, options?: ParseOptions): Result<ResourceMappingDocument, IecIssue[]> {
  const found = documentRoot(input, RESOURCE_MAPPING, options);
  if (!found.ok) return found;
  const { root, version: v } = found.value;
  const rd = new Reader(root.ns, `${ROOT} ${v.version}`);
  const c = rd.complex(root, '', [
    'mRID',
    'revisionNumber',
    'type',
    'sender_MarketParticipant.mRID',
    'sender_MarketParticipant.marketRole.type',
    'receiver_MarketParticipant.mRID',
    'receiver_MarketParticipant.marketRole.type',
    'createdDateTime',
    'TimeSeries',
  ]);
  const mRID = c.one('mRID', 'mRID');
  const revision = c.one('revisionNumber', 'revisionNumber');
  const type = c.one('type', 'type');
  const sender = rd.participant(c, 'sender', 'sender');
  const receiver = rd.participant(c, 'receiver', 'receiver');
  const created = c.one('createdDateTime', 'createdDateTime');
  const series = c.many('TimeSeries', 'timeSeries', 1);
  c.end();
  const doc: ResourceMappingDocument = {
    mRID: mRID === undefined ? '' : rd.string(mRID, 'mRID'),
    revisionNumber: revision === undefined ? Number.NaN : rd.revision(revision, 'revisionNumber'),
    type: type === undefined ? '' : rd.token(type, 'type'),
    sender,
    receiver,
    createdDateTime: created === undefined ? '' : rd.token(created, 'createdDateTime'),
    timeSeries: series.map((el, i) => readTimeSeries(rd, el, `timeSeries[${i}]`)),
  };
  return rd.finish(doc, checkResourceMapping(doc, v, 'accept'));
}

function readTimeSeries(rd: Reader, el: XmlElement, p: string): ResourceMappingTimeSeries {
  const c = rd.complex(el, p, [
    'mRID',
    'description',
    'cancelledTS',
    'start_DateAndOrTime.date',
    'start_DateAndOrTime.time',
    'end_DateAndOrTime.date',
    'end_DateAndOrTime.time',
    'market_RegisteredResource.mRID',
    'market_RegisteredResource.name',
    'market_RegisteredResource.description',
    'RegisteredResource',
  ]);
  const str = (e: XmlElement | undefined, path: string): string | undefined => (e === undefined ? undefined : rd.string(e, path));
  const tok = (e: XmlElement | undefined, path: string): string | undefined => (e === undefined ? undefined : rd.token(e, path));
  const mp = join(p, 'marketRegisteredResource');
  const mRID = c.one('mRID', join(p, 'mRID'));
  const description = c.opt('description', join(p, 'description'));
  const cancelled = c.opt('cancelledTS', join(p, 'cancelledTS'));
  const startDate = c.one('start_DateAndOrTime.date', join(p, 'startDate'));
  const startTime = c.opt('start_DateAndOrTime.time', join(p, 'startTime'));
  const endDate = c.opt('end_DateAndOrTime.date', join(p, 'endDate'));
  const endTime = c.opt('end_DateAndOrTime.time', join(p, 'endTime'));
  const marketId = c.one('market_RegisteredResource.mRID', mp);
  const marketName = c.opt('market_RegisteredResource.name', join(mp, 'name'));
  const marketDescription = c.opt('market_RegisteredResource.description', join(mp, 'description'));
  const resources = c.many('RegisteredResource', join(p, 'registeredResource'), 1);
  c.end();
  return compact<ResourceMappingTimeSeries>({
    mRID: str(mRID, join(p, 'mRID')) ?? '',
    description: str(description, join(p, 'description')),
    cancelledTS: tok(cancelled, join(p, 'cancelledTS')),
    startDate: tok(startDate, join(p, 'startDate')) ?? '',
    startTime: tok(startTime, join(p, 'startTime')),
    endDate: tok(endDate, join(p, 'endDate')),
    endTime: tok(endTime, join(p, 'endTime')),
    marketRegisteredResource: compact<MappedResource>({
      ...(marketId === undefined ? { mRID: '', codingScheme: '' } : rd.codedId(marketId, mp)),
      name: str(marketName, join(mp, 'name')),
      description: str(marketDescription, join(mp, 'description')),
    }),
    registeredResource: resources.map((r, j) => {
      const rp = join(p, `registeredResource[${j}]`);
      const rc = rd.complex(r, rp, ['mRID', 'name', 'description']);
      const id = rc.one('mRID', join(rp, 'mRID'));
      const name = rc.opt('name', join(rp, 'name'));
      const desc = rc.opt('description', join(rp, 'description'));
      rc.end();
      return compact<MappedResource>({
        ...(id === undefined ? { mRID: '', codingScheme: '' } : rd.codedId(id, rp)),
        name: str(name, join(rp, 'name')),
        description: str(desc, join(rp, 'description')),
      });
    }),
  });
}
