/**
 * Requests a party's backend sent to the TPS as documents, and their answers. A REST write
 * (register assets, connection points, …) becomes one document; the backend records it, sends it
 * and waits — up to `waitMs` — for the TPS's acknowledgement, which the backend's inbox consumer
 * records here (`answer`). A request answered late is still applied when its acknowledgement
 * arrives; the caller follows it with GET …/requests/{id}.
 */
import type { Reason } from '../iec62325/index.js';
import { HubError } from '../shared/errors.js';
import type { Queryable } from '../shared/sql.js';
import type { PartyScope } from './scope.js';
import type { Signals } from './signals.js';

export type RequestState = 'sent' | 'accepted' | 'rejected';

export interface BackendRequest {
  readonly id: string;
  readonly kind: string;
  readonly state: RequestState;
  readonly body: unknown;
  readonly messageId?: string;
  readonly reasons?: readonly Reason[];
  readonly createdAt: string;
  readonly answeredAt?: string;
}

interface Row {
  request_id: string;
  document_mrid: string;
  revision: number;
  party_code: string;
  kind: string;
  body: unknown;
  message_id: string | null;
  state: RequestState;
  reasons: Reason[] | null;
  created_at: Date | string;
  answered_at: Date | string | null;
}

const toRequest = (r: Row): BackendRequest => ({
  id: r.request_id,
  kind: r.kind,
  state: r.state,
  body: r.body,
  ...(r.message_id !== null ? { messageId: r.message_id } : {}),
  ...(r.reasons !== null ? { reasons: r.reasons } : {}),
  createdAt: new Date(r.created_at).toISOString(),
  ...(r.answered_at !== null ? { answeredAt: new Date(r.answered_at).toISOString() } : {}),
});

/** The document a request is sent as: its mRID and revision (what the TPS's acknowledgement names). */
export interface SentDocument {
  readonly mRID: string;
  readonly revision: number;
}

export async function recordRequest(
  db: Queryable,
  scope: PartyScope,
  id: string,
  doc: SentDocument,
  kind: string,
  body: unknown,
): Promise<void> {
  try {
    await db.query(
      'insert into backend_requests (request_id, party_code, document_mrid, revision, kind, body) values ($1, $2, $3, $4, $5, $6)',
      [id, scope.party, doc.mRID, doc.revision, kind, JSON.stringify(body)],
    );
  } catch (e) {
    if ((e as { code?: string }).code === '23505')
      throw new HubError(
        'TPS_CONFLICT',
        `revision ${doc.revision} of ${doc.mRID} is already on its way to the TPS or accepted; repeat once it is answered`,
      );
    throw e;
  }
}

export async function setRequestMessage(db: Queryable, scope: PartyScope, id: string, messageId: string): Promise<void> {
  await db.query('update backend_requests set message_id = $3 where request_id = $1 and party_code = $2', [id, scope.party, messageId]);
}

/** The caller's request, or undefined (another party's request is not found either). */
export async function getRequest(db: Queryable, scope: PartyScope, id: string): Promise<BackendRequest | undefined> {
  const { rows } = await db.query<Row>('select * from backend_requests where request_id = $1 and party_code = $2', [id, scope.party]);
  return rows[0] ? toRequest(rows[0]) : undefined;
}

/**
 * Records the TPS's answer to a request of `scope` (first answer wins; a repeated acknowledgement
 * changes nothing). Returns the request when this call answered it, so the caller applies it once.
 */
export async function answerRequest(
  db: Queryable,
  scope: PartyScope,
  doc: SentDocument,
  state: 'accepted' | 'rejected',
  reasons: readonly Reason[],
): Promise<BackendRequest | undefined> {
  const { rows } = await db.query<Row>(
    `update backend_requests set state = $3, reasons = $4, answered_at = now()
      where document_mrid = $1 and revision = $5 and party_code = $2 and state = 'sent' returning *`,
    [doc.mRID, scope.party, state, JSON.stringify(reasons), doc.revision],
  );
  return rows[0] ? toRequest(rows[0]) : undefined;
}

/** Resolves with the request once answered, or as it stands when `waitMs` ran out. */
export async function waitForAnswer(
  signals: Signals,
  db: Queryable,
  scope: PartyScope,
  id: string,
  waitMs: number,
): Promise<BackendRequest | undefined> {
  const answered = await signals.until(`request:${id}`, waitMs, async () => {
    const r = await getRequest(db, scope, id);
    return r && r.state === 'sent' ? undefined : (r ?? null);
  });
  return answered ?? (await getRequest(db, scope, id));
}

export const requestSignal = (id: string): string => `request:${id}`;
