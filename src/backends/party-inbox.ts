/**
 * What a party's backend (AGR/BRP or DSO) does with the documents its hosted endpoint receives —
 * all of them from the TPS (the directory admits no other sender): an acknowledgement answers one
 * of the party's requests (recorded, and applied to the party's store once if accepted); any
 * other document is handed to the backend's handler for its kind and acknowledged to the TPS.
 */
import type { DocumentKind, Participant, Reason } from '../iec62325/index.js';
import type { DetectedDocument } from '../iec62325/index.js';
import type { Party } from '../parties/registry.js';
import type { Clock } from '../shared/clock.js';
import type { Queryable } from '../shared/sql.js';
import { participantOf } from '../parties/participant.js';
import { buildAck, readDocument, REASON, receivedOf } from './documents.js';
import type { Answer, InboxConsumerOptions } from './inbox-consumer.js';
import { answerRequest, requestSignal } from './requests.js';
import type { Signals } from './signals.js';
import { scopeForEndpointOwner, type PartyScope } from './scope.js';

/** Applies an accepted request's body to the party's store. */
export type Applier = (tx: Queryable, scope: PartyScope, body: unknown) => Promise<void>;
/** Applies a document from the TPS; returns the problems (empty: accepted). */
export type DocumentHandler = (
  tx: Queryable,
  scope: PartyScope,
  doc: DetectedDocument,
  afterCommit: (step: () => void) => void,
) => Promise<Reason[]>;

export interface PartyInboxDeps {
  readonly tps: Party;
  readonly tpsEndpointCode: string;
  readonly clock: Clock;
  readonly signals: Signals;
  readonly appliers: Readonly<Record<string, Applier>>;
  readonly documents: Partial<Record<DocumentKind, DocumentHandler>>;
}

const ACK = 'Acknowledgement_MarketDocument';

export function createPartyInbox(deps: PartyInboxDeps, party: Party): Pick<InboxConsumerOptions, 'handle' | 'onError'> {
  const scope = scopeForEndpointOwner(party);
  const me: Participant = participantOf(party);
  const tps: Participant = participantOf(deps.tps);
  const ack = (problems: readonly Reason[], received?: ReturnType<typeof receivedOf>): Answer => ({
    receiverCode: deps.tpsEndpointCode,
    businessType: ACK,
    content: buildAck({ from: me, to: tps, ...(received ? { received } : {}), problems, now: deps.clock.now() }),
  });

  return {
    async handle(tx, m, afterCommit) {
      if (m.senderCode !== deps.tpsEndpointCode) return []; // not possible through the directory's message paths
      const read = readDocument(m.content);
      if (!read.ok) return [ack(read.reasons)];
      const doc = read.doc;
      if (doc.kind === 'acknowledgement') {
        const a = doc.document;
        const id = a.received?.mRID;
        if (id === undefined) return [];
        const revision = a.received?.revisionNumber ?? 1;
        const accepted = a.reason.some((r) => r.code === REASON.accepted);
        const reasons = [...a.reason, ...(a.rejectedTimeSeries ?? []).flatMap((ts) => (ts.reason ?? []).filter((r) => r.code !== 'A20'))];
        const answered = await answerRequest(tx, scope, { mRID: id, revision }, accepted ? 'accepted' : 'rejected', reasons);
        if (answered && accepted) await deps.appliers[answered.kind]?.(tx, scope, answered.body);
        if (answered) afterCommit(() => deps.signals.notify(requestSignal(answered.id)));
        return [];
      }
      const received = receivedOf(doc);
      const handle = deps.documents[doc.kind];
      if (!handle) return [ack([{ code: REASON.notCompliant, text: `this backend takes no ${doc.root} documents` }], received)];
      return [ack(await handle(tx, scope, doc, afterCommit), received)];
    },
    onError(_m, error) {
      return [ack([{ code: '999', text: `the backend could not process the document (${error.name}); it was not applied` }])];
    },
  };
}
