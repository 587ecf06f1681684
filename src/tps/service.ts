/**
 * The TPS backend (F1, NF1): reads every document the TPS endpoint receives, checks who sent it
 * (the party whose endpoint the transport authenticated must be the document's sender, and the
 * document must be addressed to the TPS), hands it to the handler for its kind and answers each
 * with an Acknowledgement_MarketDocument — accepted, or rejected with reason codes and texts —
 * plus whatever the handler forwards to other parties.
 */
import type { Answer } from '../backends/inbox-consumer.js';
import { buildAck, readDocument, REASON, receivedOf } from '../backends/documents.js';
import type { InboxMessage } from '../endpoint/store.js';
import type { Participant, Reason } from '../iec62325/index.js';
import { getParty, partyOfEndpoint, type Party } from '../parties/registry.js';
import { participantOf } from '../parties/participant.js';
import type { PartyRole } from '../parties/roles.js';
import type { Clock } from '../shared/clock.js';
import type { Queryable } from '../shared/sql.js';
import type { HandlerContext, HandlerOutcome } from './handlers/context.js';
import { rejected } from './handlers/context.js';
import { registerAssets } from './handlers/register-assets.js';
import { registerConnectionPoints } from './handlers/register-connection-points.js';
import { submitSchedule } from './handlers/submit-schedule.js';
import { submitCapacityLimit } from './handlers/submit-capacity-limit.js';

export interface TpsBackendDeps {
  readonly tps: Party;
  readonly tpsEndpointCode: string;
  readonly clock: Clock;
}

/** Which roles may send which document kind to the TPS (protocol facts as data; profile §2). */
export const SENDERS: Readonly<Record<string, readonly PartyRole[]>> = {
  configuration: ['AGR', 'BRP'],
  resourceMapping: ['DSO'],
  generationLoad: ['AGR', 'BRP'],
  unavailability: ['DSO'],
};

const ACK = 'Acknowledgement_MarketDocument';

export function createTpsBackend(deps: TpsBackendDeps) {
  const tpsParticipant = participantOf(deps.tps);

  const answerTo = (
    to: Participant,
    receiverCode: string,
    outcome: Pick<HandlerOutcome, 'problems' | 'rejectedTimeSeries'>,
    received?: ReturnType<typeof receivedOf>,
  ): Answer => ({
    receiverCode,
    businessType: ACK,
    content: buildAck({
      from: tpsParticipant,
      to,
      ...(received ? { received } : {}),
      problems: outcome.problems,
      ...(outcome.rejectedTimeSeries ? { rejectedTimeSeries: outcome.rejectedTimeSeries } : {}),
      now: deps.clock.now(),
    }),
  });

  const unknownSender = (code: string): Participant => ({ mRID: code, codingScheme: 'A01', role: 'A52' });

  async function handle(tx: Queryable, m: InboxMessage): Promise<Answer[]> {
    const sender = await partyOfEndpoint(tx, m.senderCode);
    const read = readDocument(m.content);
    if (!sender) {
      return [
        answerTo(
          unknownSender(m.senderCode),
          m.senderCode,
          rejected([{ code: REASON.senderInvalid, text: `endpoint ${m.senderCode} belongs to no registered party` }]),
        ),
      ];
    }
    const to = participantOf(sender);
    if (!read.ok) return [answerTo(to, m.senderCode, rejected(read.reasons))];
    const doc = read.doc;
    const received = receivedOf(doc);
    if (doc.kind === 'acknowledgement') return []; // a party acknowledging a document of the TPS: nothing to answer
    const header = doc.document as { sender: Participant; receiver: Participant };
    const problems: Reason[] = [];
    if (header.sender.mRID !== sender.code)
      problems.push({
        code: REASON.senderInvalid,
        text: `the document's sender ${header.sender.mRID} is not the party of the sending endpoint (${sender.code})`,
      });
    if (header.receiver.mRID !== deps.tps.code)
      problems.push({ code: REASON.receiverIncorrect, text: `documents go to the TPS ${deps.tps.code}, not ${header.receiver.mRID}` });
    const allowed = SENDERS[doc.kind];
    if (!allowed) problems.push({ code: REASON.notCompliant, text: `the TPS does not take ${doc.root} documents from an ${sender.role}` });
    else if (!allowed.includes(sender.role))
      problems.push({ code: REASON.senderInvalid, text: `an ${sender.role} does not send ${doc.root} documents` });
    if (problems.length > 0) return [answerTo(to, m.senderCode, rejected(problems), received)];

    const ctx: HandlerContext = {
      tx,
      sender,
      tps: deps.tps,
      tpsEndpointCode: deps.tpsEndpointCode,
      now: deps.clock.now(),
      participant: participantOf,
      party: (code) => getParty(tx, code),
    };
    let outcome: HandlerOutcome;
    switch (doc.kind) {
      case 'configuration':
        outcome = await registerAssets(ctx, doc.document);
        break;
      case 'resourceMapping':
        outcome = await registerConnectionPoints(ctx, doc.document);
        break;
      case 'generationLoad':
        outcome = await submitSchedule(ctx, doc.document);
        break;
      case 'unavailability':
        outcome = await submitCapacityLimit(ctx, doc.document);
        break;
      default:
        outcome = rejected([{ code: REASON.notCompliant, text: `the TPS does not take ${doc.root} documents` }]);
    }
    return [answerTo(to, m.senderCode, outcome, received), ...outcome.forward];
  }

  function onError(m: InboxMessage, error: Error): Answer[] {
    return [
      answerTo(
        unknownSender(m.senderCode),
        m.senderCode,
        rejected([{ code: '999', text: `the TPS could not process the document (${error.name}); it was not applied` }]),
      ),
    ];
  }

  return { handle, onError };
}
