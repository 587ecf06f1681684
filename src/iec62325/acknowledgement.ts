/**
 * Acknowledgement_MarketDocument, IEC 62325-451-1 (acknowledgement business process): the answer to every
 * document the hub receives. Emitted as 8:1; 7:0 (the ENTSO-E Transparency Platform's) is accepted too.
 * Element order (both versions): mRID, createdDateTime, sender (mRID, role), receiver (mRID, role 0..1),
 * received_MarketDocument.* (all 0..1: mRID, revisionNumber, type, process.processType [8:x only], title,
 * createdDateTime), Rejected_TimeSeries (0..n), Reason (1..n), InError_Period (0..n).
 */
import type { Result } from '../shared/result.js';
import type { XmlElement } from '../xml/index.js';
import { ACKNOWLEDGEMENT, versionOf, type AcknowledgementVersion } from './documents.js';
import { Checker, join, throwIfProblems, type CheckMode, type Problem } from './internal/check.js';
import { compact, documentRoot, Reader, type Cursor, type IecInput, type IecIssue, type ParseOptions } from './internal/read.js';
import * as write from './internal/write.js';
import type { BuildOptions, CodedId, Participant, Reason } from './model.js';
import type { TimeInterval } from './time.js';

/** The document being acknowledged (received_MarketDocument.*): every field is optional. */
export interface ReceivedDocument {
  readonly mRID?: string;
  readonly revisionNumber?: number;
  readonly type?: string;
  /** Only in 8:0 and later. */
  readonly processType?: string;
  /** The payload or file name, max 150. */
  readonly title?: string;
  readonly createdDateTime?: string;
}

/** Time_Period: an interval in error and why (Reason 1..n). */
export interface InErrorPeriod {
  readonly timeInterval: TimeInterval;
  readonly reason: readonly Reason[];
}

export interface RejectedTimeSeries {
  readonly mRID: string;
  readonly version?: number;
  readonly inErrorPeriod?: readonly InErrorPeriod[];
  readonly reason?: readonly Reason[];
}

export interface AcknowledgementDocument {
  readonly mRID: string;
  readonly createdDateTime: string;
  readonly sender: Participant;
  /** The receiver's role is optional in an acknowledgement. */
  readonly receiver: CodedId & { readonly role?: string };
  /** Left out when no received_MarketDocument.* element is present (an empty object writes nothing). */
  readonly received?: ReceivedDocument;
  readonly rejectedTimeSeries?: readonly RejectedTimeSeries[];
  /** 1..n: A01 fully accepted, A02 fully rejected, A03 errors at time-series level, … */
  readonly reason: readonly Reason[];
  readonly inErrorPeriod?: readonly InErrorPeriod[];
}

const ROOT = ACKNOWLEDGEMENT.root;

export function checkAcknowledgement(doc: AcknowledgementDocument, v: AcknowledgementVersion, mode: CheckMode = 'emit'): Problem[] {
  const c = new Checker(mode);
  c.id('mRID', doc.mRID, v.idMaxLength);
  c.esmpDateTime('createdDateTime', doc.createdDateTime);
  c.participant('sender', doc.sender);
  c.participant('receiver', doc.receiver, false);
  const r = doc.received;
  if (r !== undefined) {
    c.string('received.mRID', r.mRID, { required: false, nonEmpty: true, max: v.idMaxLength, type: `ID_String, max ${v.idMaxLength}` });
    c.revision('received.revisionNumber', r.revisionNumber, false);
    c.code('received.type', 'MessageTypeList', r.type, false);
    if (v.receivedProcessType) c.code('received.processType', 'ProcessTypeList', r.processType, false);
    else
      c.notInVersion(
        'received.processType',
        r.processType,
        `${ROOT} ${v.version} has no received_MarketDocument.process.processType (added in 8:0)`,
      );
    c.text('received.title', r.title, false, 150, 'PayloadId_String');
    c.esmpDateTime('received.createdDateTime', r.createdDateTime, false);
  }
  c.list('rejectedTimeSeries', doc.rejectedTimeSeries, 0, 'Rejected_TimeSeries').forEach((ts, i) => {
    const p = `rejectedTimeSeries[${i}]`;
    if (!c.present(p, ts)) return;
    c.id(join(p, 'mRID'), ts.mRID, v.idMaxLength);
    c.revision(join(p, 'version'), ts.version, false);
    inErrorPeriods(c, join(p, 'inErrorPeriod'), ts.inErrorPeriod);
    c.reasons(join(p, 'reason'), ts.reason, 0);
  });
  c.reasons('reason', doc.reason, 1);
  inErrorPeriods(c, 'inErrorPeriod', doc.inErrorPeriod);
  return c.problems;
}

function inErrorPeriods(c: Checker, path: string, periods: readonly InErrorPeriod[] | undefined): void {
  c.list(path, periods, 0, 'InError_Period').forEach((ip, i) => {
    const p = `${path}[${i}]`;
    if (!c.present(p, ip)) return;
    c.interval(join(p, 'timeInterval'), ip.timeInterval);
    c.reasons(join(p, 'reason'), ip.reason, 1);
  });
}

/** Writes the document. Throws IEC_DOCUMENT_INVALID listing every problem of the model. */
export function buildAcknowledgement(doc: AcknowledgementDocument, options: BuildOptions = {}): string {
  const v = versionOf(ACKNOWLEDGEMENT, options.version);
  throwIfProblems(`${ROOT} ${v.version}`, checkAcknowledgement(doc, v));

  const w = write.newWriter(options.indent);
  w.root(ROOT, v.namespace).element('mRID', doc.mRID).element('createdDateTime', doc.createdDateTime);
  write.participant(w, 'sender', doc.sender);
  write.participant(w, 'receiver', doc.receiver);
  const r = doc.received ?? {};
  w.optional('received_MarketDocument.mRID', r.mRID)
    .optional('received_MarketDocument.revisionNumber', r.revisionNumber)
    .optional('received_MarketDocument.type', r.type);
  if (v.receivedProcessType) w.optional('received_MarketDocument.process.processType', r.processType);
  w.optional('received_MarketDocument.title', r.title).optional('received_MarketDocument.createdDateTime', r.createdDateTime);
  for (const ts of doc.rejectedTimeSeries ?? []) {
    w.start('Rejected_TimeSeries').element('mRID', ts.mRID).optional('version', ts.version);
    for (const ip of ts.inErrorPeriod ?? []) writeInErrorPeriod(w, ip);
    write.reasons(w, 'Reason', ts.reason);
    w.end();
  }
  write.reasons(w, 'Reason', doc.reason);
  for (const ip of doc.inErrorPeriod ?? []) writeInErrorPeriod(w, ip);
  return w.end().toString();
}

function writeInErrorPeriod(w: ReturnType<typeof write.newWriter>, ip: InErrorPeriod): void {
  w.start('InError_Period');
  write.interval(w, 'timeInterval', ip.timeInterval);
  write.reasons(w, 'Reason', ip.reason);
  w.end();
}

const RECEIVED = ['mRID', 'revisionNumber', 'type', 'process.processType', 'title', 'createdDateTime'] as const;

/** Reads Acknowledgement_MarketDocument 8:1 or 7:0. */
export function parseAcknowledgement(input: IecInput, options?: ParseOptions): Result<AcknowledgementDocument, IecIssue[]> {
  const found = documentRoot(input, ACKNOWLEDGEMENT, options);
  if (!found.ok) return found;
  const { root, version: v } = found.value;
  const rd = new Reader(root.ns, `${ROOT} ${v.version}`);
  const receivedNames = RECEIVED.filter((n) => v.receivedProcessType || n !== 'process.processType').map(
    (n) => `received_MarketDocument.${n}`,
  );
  const c = rd.complex(root, '', [
    'mRID',
    'createdDateTime',
    'sender_MarketParticipant.mRID',
    'sender_MarketParticipant.marketRole.type',
    'receiver_MarketParticipant.mRID',
    'receiver_MarketParticipant.marketRole.type',
    ...receivedNames,
    'Rejected_TimeSeries',
    'Reason',
    'InError_Period',
  ]);
  const mRID = c.one('mRID', 'mRID');
  const created = c.one('createdDateTime', 'createdDateTime');
  const sender = rd.participant(c, 'sender', 'sender');
  const receiverId = c.one('receiver_MarketParticipant.mRID', 'receiver.mRID');
  const receiverRole = c.opt('receiver_MarketParticipant.marketRole.type', 'receiver.role');
  const recEl = (name: string, field: keyof ReceivedDocument): XmlElement | undefined =>
    c.opt(`received_MarketDocument.${name}`, `received.${field}`);
  const rMRID = recEl('mRID', 'mRID');
  const rRevision = recEl('revisionNumber', 'revisionNumber');
  const rType = recEl('type', 'type');
  const rProcess = v.receivedProcessType ? recEl('process.processType', 'processType') : undefined;
  const rTitle = recEl('title', 'title');
  const rCreated = recEl('createdDateTime', 'createdDateTime');
  const received = compact<ReceivedDocument>({
    mRID: rMRID && rd.string(rMRID, 'received.mRID'),
    revisionNumber: rRevision && rd.revision(rRevision, 'received.revisionNumber'),
    type: rType && rd.token(rType, 'received.type'),
    processType: rProcess && rd.token(rProcess, 'received.processType'),
    title: rTitle && rd.string(rTitle, 'received.title'),
    createdDateTime: rCreated && rd.token(rCreated, 'received.createdDateTime'),
  });
  const rejected = c.many('Rejected_TimeSeries', 'rejectedTimeSeries', 0).map((el, i) => {
    const p = `rejectedTimeSeries[${i}]`;
    const tc = rd.complex(el, p, ['mRID', 'version', 'InError_Period', 'Reason']);
    const id = tc.one('mRID', join(p, 'mRID'));
    const ver = tc.opt('version', join(p, 'version'));
    const periods = readInErrorPeriods(rd, tc, join(p, 'inErrorPeriod'));
    const reasons = rd.reasons(tc, 'Reason', join(p, 'reason'), 0);
    tc.end();
    return compact<RejectedTimeSeries>({
      mRID: id === undefined ? '' : rd.string(id, join(p, 'mRID')),
      version: ver === undefined ? undefined : rd.revision(ver, join(p, 'version')),
      inErrorPeriod: periods.length > 0 ? periods : undefined,
      reason: reasons.length > 0 ? reasons : undefined,
    });
  });
  const reason = rd.reasons(c, 'Reason', 'reason', 1);
  const inError = readInErrorPeriods(rd, c, 'inErrorPeriod');
  c.end();

  const receiverCoded = receiverId === undefined ? { mRID: '', codingScheme: '' } : rd.codedId(receiverId, 'receiver');
  const doc = compact<AcknowledgementDocument>({
    mRID: mRID === undefined ? '' : rd.string(mRID, 'mRID'),
    createdDateTime: created === undefined ? '' : rd.token(created, 'createdDateTime'),
    sender,
    receiver: compact({ ...receiverCoded, role: receiverRole === undefined ? undefined : rd.token(receiverRole, 'receiver.role') }),
    received: Object.keys(received).length > 0 ? received : undefined,
    rejectedTimeSeries: rejected.length > 0 ? rejected : undefined,
    reason,
    inErrorPeriod: inError.length > 0 ? inError : undefined,
  });
  return rd.finish(doc, checkAcknowledgement(doc, v, 'accept'));
}

function readInErrorPeriods(rd: Reader, c: Cursor, path: string): InErrorPeriod[] {
  return c.many('InError_Period', path, 0).map((el, i) => {
    const p = `${path}[${i}]`;
    const ic = rd.complex(el, p, ['timeInterval', 'Reason']);
    const ti = ic.one('timeInterval', join(p, 'timeInterval'));
    const reason = rd.reasons(ic, 'Reason', join(p, 'reason'), 1);
    ic.end();
    return { timeInterval: ti === undefined ? { start: '', end: '' } : rd.interval(ti, join(p, 'timeInterval')), reason };
  });
}
