/**
 * StatusRequest_MarketDocument, IEC 62325-451-5 (status request): a party asks for documents (F5 asset list,
 * F7 capacity limits, F9 schedules). Emitted as 4:1; 4:0 (the ENTSO-E Transparency API's) is accepted too.
 * Element order: mRID, type, sender (mRID, role), receiver (mRID, role), createdDateTime,
 * AttributeInstanceComponent (1..n: attribute, attributeValue [max 150, optional codingScheme]).
 * There is no revisionNumber and no process type. Parameter names: docs/iec62325-profile.md §5.
 */
import type { Result } from '../shared/result.js';
import { STATUS_REQUEST, versionOf, type StatusRequestVersion } from './documents.js';
import { Checker, join, throwIfProblems, type CheckMode, type Problem } from './internal/check.js';
import { compact, documentRoot, Reader, type IecInput, type IecIssue, type ParseOptions } from './internal/read.js';
import * as write from './internal/write.js';
import type { BuildOptions, Participant } from './model.js';

/** One name/value parameter of the request, e.g. DocumentType = A95 or TimeInterval = start/end. */
export interface AttributeInstanceComponent {
  readonly attribute: string;
  /** AttributeValue_String: max 150. */
  readonly attributeValue: string;
  /** The codingScheme attribute of attributeValue, for party, area or resource codes. */
  readonly codingScheme?: string;
}

export interface StatusRequestDocument {
  readonly mRID: string;
  /** MessageTypeList: A59 information request (the hub's), A60, B20. */
  readonly type: string;
  readonly sender: Participant;
  readonly receiver: Participant;
  readonly createdDateTime: string;
  /** 1..n */
  readonly attributeInstanceComponent: readonly AttributeInstanceComponent[];
}

const ROOT = STATUS_REQUEST.root;

export function checkStatusRequest(doc: StatusRequestDocument, v: StatusRequestVersion, mode: CheckMode = 'emit'): Problem[] {
  const c = new Checker(mode);
  c.id('mRID', doc.mRID, v.idMaxLength);
  c.code('type', 'MessageTypeList', doc.type);
  c.participant('sender', doc.sender);
  c.participant('receiver', doc.receiver);
  c.esmpDateTime('createdDateTime', doc.createdDateTime);
  c.list('attributeInstanceComponent', doc.attributeInstanceComponent, 1, 'AttributeInstanceComponent').forEach((a, i) => {
    const p = `attributeInstanceComponent[${i}]`;
    if (!c.present(p, a)) return;
    c.text(join(p, 'attribute'), a.attribute, true);
    c.text(join(p, 'attributeValue'), a.attributeValue, true, 150, 'AttributeValue_String');
    c.code(join(p, 'codingScheme'), 'CodingSchemeTypeList', a.codingScheme, false);
  });
  return c.problems;
}

/** Writes the document. Throws IEC_DOCUMENT_INVALID listing every problem of the model. */
export function buildStatusRequest(doc: StatusRequestDocument, options: BuildOptions = {}): string {
  const v = versionOf(STATUS_REQUEST, options.version);
  throwIfProblems(`${ROOT} ${v.version}`, checkStatusRequest(doc, v));
  const w = write.newWriter(options.indent);
  w.root(ROOT, v.namespace).element('mRID', doc.mRID).element('type', doc.type);
  write.participant(w, 'sender', doc.sender);
  write.participant(w, 'receiver', doc.receiver);
  w.element('createdDateTime', doc.createdDateTime);
  for (const a of doc.attributeInstanceComponent) {
    w.start('AttributeInstanceComponent')
      .element('attribute', a.attribute)
      .element('attributeValue', a.attributeValue, { codingScheme: a.codingScheme })
      .end();
  }
  return w.end().toString();
}

/** Reads StatusRequest_MarketDocument 4:1 or 4:0. */
export function parseStatusRequest(input: IecInput, options?: ParseOptions): Result<StatusRequestDocument, IecIssue[]> {
  const found = documentRoot(input, STATUS_REQUEST, options);
  if (!found.ok) return found;
  const { root, version: v } = found.value;
  const rd = new Reader(root.ns, `${ROOT} ${v.version}`);
  const c = rd.complex(root, '', [
    'mRID',
    'type',
    'sender_MarketParticipant.mRID',
    'sender_MarketParticipant.marketRole.type',
    'receiver_MarketParticipant.mRID',
    'receiver_MarketParticipant.marketRole.type',
    'createdDateTime',
    'AttributeInstanceComponent',
  ]);
  const mRID = c.one('mRID', 'mRID');
  const type = c.one('type', 'type');
  const sender = rd.participant(c, 'sender', 'sender');
  const receiver = rd.participant(c, 'receiver', 'receiver');
  const created = c.one('createdDateTime', 'createdDateTime');
  const components = c.many('AttributeInstanceComponent', 'attributeInstanceComponent', 1).map((el, i) => {
    const p = `attributeInstanceComponent[${i}]`;
    const ac = rd.complex(el, p, ['attribute', 'attributeValue']);
    const name = ac.one('attribute', join(p, 'attribute'));
    const value = ac.one('attributeValue', join(p, 'attributeValue'));
    ac.end();
    const codingScheme = value?.attrs.codingScheme;
    if (value !== undefined && codingScheme !== undefined) rd.mark(join(p, 'codingScheme'), value);
    return compact<AttributeInstanceComponent>({
      attribute: name === undefined ? '' : rd.string(name, join(p, 'attribute')),
      attributeValue: value === undefined ? '' : rd.string(value, join(p, 'attributeValue'), ['codingScheme']),
      codingScheme: codingScheme?.trim(),
    });
  });
  c.end();
  const doc: StatusRequestDocument = {
    mRID: mRID === undefined ? '' : rd.string(mRID, 'mRID'),
    type: type === undefined ? '' : rd.token(type, 'type'),
    sender,
    receiver,
    createdDateTime: created === undefined ? '' : rd.token(created, 'createdDateTime'),
    attributeInstanceComponent: components,
  };
  return rd.finish(doc, checkStatusRequest(doc, v, 'accept'));
}
