/**
 * A party's REST write, sent as a document to the TPS: recorded, sent from the party's hosted
 * endpoint, then awaited (up to `waitMs`) until the TPS acknowledges it. The REST answer follows
 * the acknowledgement: 200 accepted, 422 TPS_REJECTED with the TPS's reasons, or 202 while the
 * acknowledgement is still on its way (GET …/requests/{id} follows it).
 */
import type { Response } from 'express';
import type { Endpoints } from '../endpoint/endpoint.js';
import type { Party } from '../parties/registry.js';
import { HubError } from '../shared/errors.js';
import type { Database } from '../shared/sql.js';
import { recordRequest, setRequestMessage, waitForAnswer, type BackendRequest, type SentDocument } from './requests.js';
import type { Signals } from './signals.js';
import type { PartyScope } from './scope.js';

export interface SubmitDeps {
  readonly db: Database;
  readonly endpoints: Endpoints;
  readonly signals: Signals;
  readonly tpsEndpointCode: string;
  /** How long a REST write waits for the acknowledgement by default. */
  readonly ackWaitMs: number;
}

export interface Submission {
  /** The request's ID (what GET …/requests/{id} takes). */
  readonly id: string;
  /** The document it is sent as; default: mRID = id, revision 1. */
  readonly document?: SentDocument;
  readonly kind: string;
  readonly body: unknown;
  readonly businessType: string;
  readonly content: string;
}

/** `party`: the caller's party (the scope's), as the route already read it to build the document. */
export async function submit(deps: SubmitDeps, scope: PartyScope, party: Party, s: Submission, waitMs: number): Promise<BackendRequest> {
  if (!party.endpointCode) throw new HubError('AUTH_FORBIDDEN', `party ${scope.party} has no endpoint on this hub`);
  if (!deps.endpoints.codes.includes(party.endpointCode))
    throw new HubError(
      'TRANSPORT_IDENTITY_MISSING',
      `the endpoint ${party.endpointCode} of ${party.code} is not hosted by this hub process (restart the hub after adding parties)`,
    );
  await recordRequest(deps.db, scope, s.id, s.document ?? { mRID: s.id, revision: 1 }, s.kind, s.body);
  try {
    const sent = await deps.endpoints.send(party.endpointCode, {
      receiverCode: deps.tpsEndpointCode,
      businessType: s.businessType,
      content: Buffer.from(s.content, 'utf8'),
      baMessageId: s.id,
    });
    await setRequestMessage(deps.db, scope, s.id, sent.messageId);
  } catch (e) {
    await deps.db.query('delete from backend_requests where request_id = $1 and party_code = $2', [s.id, scope.party]); // nothing half-written
    throw e;
  }
  const r = await waitForAnswer(deps.signals, deps.db, scope, s.id, waitMs);
  if (!r) throw new HubError('TPS_NOT_FOUND', `request ${s.id} vanished`);
  return r;
}

/** `?wait=<ms>` (0–60000) or the default. */
export function waitOf(query: unknown, fallback: number): number {
  if (query === undefined) return fallback;
  const n = Number(query);
  if (!Number.isInteger(n) || n < 0 || n > 60_000)
    throw new HubError('TPS_INPUT_INVALID', 'wait: milliseconds 0–60000', {
      problems: [{ field: 'wait', message: 'milliseconds 0–60000' }],
    });
  return n;
}

export const requestJson = (r: BackendRequest) => ({
  requestId: r.id,
  kind: r.kind,
  state: r.state,
  createdAt: r.createdAt,
  ...(r.answeredAt ? { answeredAt: r.answeredAt } : {}),
  ...(r.reasons && r.state === 'rejected' ? { reasons: r.reasons.filter((x) => x.code !== 'A02') } : {}),
});

/** Answers a REST write from its request: 200 accepted (with `extra`), 202 still waiting, or TPS_REJECTED; `always` goes with 200 and 202. */
export function answerWrite(res: Response, r: BackendRequest, extra: object = {}, always: object = {}): void {
  if (r.state === 'rejected') {
    const reasons = (r.reasons ?? []).filter((x) => x.code !== 'A02');
    throw new HubError(
      'TPS_REJECTED',
      `the TPS rejected request ${r.id}: ${reasons.map((x) => x.text ?? x.code).join('; ')}`.slice(0, 2000),
      {
        problems: reasons.map((x) => ({ code: x.code, ...(x.text ? { message: x.text } : {}) })),
      },
    );
  }
  res.status(r.state === 'accepted' ? 200 : 202).json({ ...requestJson(r), ...always, ...(r.state === 'accepted' ? extra : {}) });
}
