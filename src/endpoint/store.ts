/**
 * The endpoint tables' statements (migration 0004): endpoint_messages (what this endpoint sent
 * and its MADES state with the trace) and endpoint_inbox (what it received, until the business
 * application confirms it). State changes are checked against TRANSITIONS in SQL, so a late or
 * repeated acknowledgement never moves a message backwards.
 */
import { insertValues } from '../shared/insert-values.js';
import type { Queryable } from '../shared/sql.js';
import type { Envelope } from '../transport/envelope.js';
import { TRANSITIONS, type MessageState } from '../transport/states.js';

export interface TraceEntry {
  readonly state: MessageState;
  readonly at: string;
  /** The component that reported the state: this endpoint, the broker, the receiving endpoint. */
  readonly by: string;
  readonly reason?: string;
  readonly detail?: string;
}

export interface SentMessage {
  readonly messageId: string;
  readonly endpointCode: string;
  readonly receiverCode: string;
  readonly nextHop: string;
  readonly businessType: string;
  readonly baMessageId?: string;
  readonly conversationId?: string;
  readonly senderApplication?: string;
  readonly size: number;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly state: MessageState;
  readonly failureReason?: string;
  readonly failureDetail?: string;
  readonly trace: readonly TraceEntry[];
}

/** The allowed (from, to) pairs as SQL VALUES, generated from the state table. */
const ALLOWED = Object.entries(TRANSITIONS)
  .flatMap(([from, tos]) => tos.map((to) => `('${from}', '${to}')`))
  .join(', ');

export interface NewSent {
  readonly envelope: Envelope;
  readonly nextHop: string;
  readonly size: number;
}

/** Records messages this endpoint accepted from its business application (state ACCEPTED), in one statement. */
export async function insertSent(tx: Queryable, rows: readonly NewSent[]): Promise<void> {
  if (rows.length === 0) return;
  const e = rows.map((r) => r.envelope);
  await tx.query(
    `insert into endpoint_messages (message_id, endpoint_code, receiver_code, next_hop, business_type, ba_message_id, conversation_id,
       sender_application, size, created_at, expires_at, state, trace, updated_at)
     select m, s, r, h, b, ba, c, a, n, t, x, 'ACCEPTED', tr::jsonb, t
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[],
                   $10::timestamptz[], $11::timestamptz[], $12::text[])
         as u(m, s, r, h, b, ba, c, a, n, t, x, tr)`,
    [
      e.map((x) => x.messageId),
      e.map((x) => x.senderCode),
      e.map((x) => x.receiverCode),
      rows.map((r) => r.nextHop),
      e.map((x) => x.businessType),
      e.map((x) => x.baMessageId ?? null),
      e.map((x) => x.conversationId ?? null),
      e.map((x) => x.senderApplication ?? null),
      rows.map((r) => r.size),
      e.map((x) => x.createdAt),
      e.map((x) => x.expiresAt),
      e.map((x) => JSON.stringify([{ state: 'ACCEPTED', at: x.createdAt, by: x.senderCode }] satisfies TraceEntry[])),
    ],
  );
}

export interface StateChange {
  readonly messageId: string;
  readonly state: MessageState;
  readonly at: string;
  readonly by: string;
  readonly reason?: string;
  readonly detail?: string;
}

export interface AppliedChange extends StateChange {
  readonly receiverCode: string;
  readonly businessType: string;
  readonly baMessageId: string | null;
}

const RANK: Record<MessageState, number> = { ACCEPTED: 0, TRANSPORTED: 1, DELIVERED: 2, RECEIVED: 3, FAILED: 4 };

/**
 * Applies state changes to messages of `endpointCode` where the state table allows them; returns
 * the changes that took effect. `onlyFrom`, when given, limits each change to messages whose
 * receiver is that component or whose next hop is it (who may report on a message).
 */
export async function applyStates(
  tx: Queryable,
  endpointCode: string,
  changes: readonly StateChange[],
  reporter?: { readonly code: string; readonly isBroker: boolean },
): Promise<AppliedChange[]> {
  // one change per message per statement: the furthest along wins (acks may overtake each other)
  const best = new Map<string, StateChange>();
  for (const c of changes) {
    const held = best.get(c.messageId);
    if (!held || RANK[c.state] > RANK[held.state]) best.set(c.messageId, c);
  }
  const list = [...best.values()];
  if (list.length === 0) return [];
  const { rows } = await tx.query<{ message_id: string; receiver_code: string; business_type: string; ba_message_id: string | null }>(
    `update endpoint_messages m
        set state = c.state, failure_reason = c.reason, failure_detail = c.detail, updated_at = now(),
            trace = m.trace || jsonb_build_array(jsonb_strip_nulls(jsonb_build_object('state', c.state, 'at', c.at, 'by', c.by, 'reason', c.reason, 'detail', c.detail)))
       from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) as c(id, state, at, by, reason, detail)
      where m.message_id = c.id and m.endpoint_code = $1
        and (m.state, c.state) in (${ALLOWED})
        and ($8::text is null or m.receiver_code = $8 or m.next_hop = $8 or $9::boolean)
      returning m.message_id, m.receiver_code, m.business_type, m.ba_message_id`,
    [
      endpointCode,
      list.map((c) => c.messageId),
      list.map((c) => c.state),
      list.map((c) => c.at),
      list.map((c) => c.by),
      list.map((c) => c.reason ?? null),
      list.map((c) => c.detail ?? null),
      reporter?.code ?? null,
      reporter?.isBroker ?? false,
    ],
  );
  return rows.map((r) => ({
    ...(best.get(r.message_id) as StateChange),
    receiverCode: r.receiver_code,
    businessType: r.business_type,
    baMessageId: r.ba_message_id,
  }));
}

interface SentRow {
  message_id: string;
  endpoint_code: string;
  receiver_code: string;
  next_hop: string;
  business_type: string;
  ba_message_id: string | null;
  conversation_id: string | null;
  sender_application: string | null;
  size: number;
  created_at: Date | string;
  expires_at: Date | string;
  state: MessageState;
  failure_reason: string | null;
  failure_detail: string | null;
  trace: TraceEntry[] | string;
}

const iso = (d: Date | string) => new Date(d).toISOString();

export async function getSent(db: Queryable, endpointCode: string, messageId: string): Promise<SentMessage | undefined> {
  const { rows } = await db.query<SentRow>('select * from endpoint_messages where message_id = $1 and endpoint_code = $2', [
    messageId,
    endpointCode,
  ]);
  const r = rows[0];
  if (!r) return undefined;
  return {
    messageId: r.message_id,
    endpointCode: r.endpoint_code,
    receiverCode: r.receiver_code,
    nextHop: r.next_hop,
    businessType: r.business_type,
    ...(r.ba_message_id !== null ? { baMessageId: r.ba_message_id } : {}),
    ...(r.conversation_id !== null ? { conversationId: r.conversation_id } : {}),
    ...(r.sender_application !== null ? { senderApplication: r.sender_application } : {}),
    size: r.size,
    createdAt: iso(r.created_at),
    expiresAt: iso(r.expires_at),
    state: r.state,
    ...(r.failure_reason !== null ? { failureReason: r.failure_reason } : {}),
    ...(r.failure_detail !== null ? { failureDetail: r.failure_detail } : {}),
    trace: typeof r.trace === 'string' ? (JSON.parse(r.trace) as TraceEntry[]) : r.trace,
  };
}

/** Messages still ACCEPTED or TRANSPORTED well after their expiry (no acknowledgement will come): FAILED expired. */
export async function expireOverdue(
  tx: Queryable,
  endpointCodes: readonly string[],
  graceMs: number,
  at: string,
): Promise<AppliedChange[]> {
  const { rows } = await tx.query<{ message_id: string; endpoint_code: string }>(
    `select message_id, endpoint_code from endpoint_messages
      where endpoint_code = any($1::text[]) and state in ('ACCEPTED', 'TRANSPORTED')
        and expires_at < now() - make_interval(secs => $2::double precision / 1000)
      limit 1000`,
    [endpointCodes, graceMs],
  );
  const out: AppliedChange[] = [];
  const byEndpoint = new Map<string, string[]>();
  for (const r of rows) byEndpoint.set(r.endpoint_code, [...(byEndpoint.get(r.endpoint_code) ?? []), r.message_id]);
  for (const [code, ids] of byEndpoint)
    out.push(
      ...(await applyStates(
        tx,
        code,
        ids.map((id) => ({
          messageId: id,
          state: 'FAILED' as const,
          at,
          by: code,
          reason: 'expired',
          detail: 'no acknowledgement before expiry',
        })),
      )),
    );
  return out;
}

// ---------------------------------------------------------------------------------------------
// inbox

export interface InboxMessage {
  readonly messageId: string;
  readonly senderCode: string;
  readonly receiverCode: string;
  readonly businessType: string;
  readonly baMessageId?: string;
  readonly conversationId?: string;
  readonly senderApplication?: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly deliveredAt: string;
  readonly content: Buffer;
}

export interface NewInboxRow {
  readonly envelope: Envelope;
  readonly via: string;
  readonly content: Buffer;
  /** Set for messages the endpoint confirms itself (connectivity tests). */
  readonly receivedAt?: string;
}

/** Stores verified messages; returns the message IDs that were new (message ID de-duplication). */
export async function insertInbox(tx: Queryable, rows: readonly NewInboxRow[], at: string): Promise<Set<string>> {
  const out = await insertValues<{ message_id: string }>(
    tx,
    `insert into endpoint_inbox (message_id, endpoint_code, sender_code, via_code, business_type, ba_message_id, conversation_id,
       sender_application, created_at, expires_at, content, delivered_at, visible_at, received_at)`,
    [
      '$',
      '$',
      '$',
      '$',
      '$',
      '$',
      '$',
      '$',
      '$::timestamptz',
      '$::timestamptz',
      "decode($, 'base64')",
      '$::timestamptz',
      '$::timestamptz',
      '$::timestamptz',
    ],
    rows.map((r) => [
      r.envelope.messageId,
      r.envelope.receiverCode,
      r.envelope.senderCode,
      r.via,
      r.envelope.businessType,
      r.envelope.baMessageId ?? null,
      r.envelope.conversationId ?? null,
      r.envelope.senderApplication ?? null,
      r.envelope.createdAt,
      r.envelope.expiresAt,
      r.content.toString('base64'),
      at,
      at,
      r.receivedAt ?? null,
    ]),
    'on conflict (message_id) do nothing returning message_id',
  );
  return new Set(out.map((r) => r.message_id));
}

export async function existingInbox(db: Queryable, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { rows } = await db.query<{ message_id: string }>('select message_id from endpoint_inbox where message_id = any($1::text[])', [
    ids,
  ]);
  return new Set(rows.map((r) => r.message_id));
}

interface InboxRow {
  message_id: string;
  sender_code: string;
  endpoint_code: string;
  business_type: string;
  ba_message_id: string | null;
  conversation_id: string | null;
  sender_application: string | null;
  created_at: Date | string;
  expires_at: Date | string;
  delivered_at: Date | string;
  content: Uint8Array | string;
}

const toInbox = (r: InboxRow): InboxMessage => ({
  messageId: r.message_id,
  senderCode: r.sender_code,
  receiverCode: r.endpoint_code,
  businessType: r.business_type,
  ...(r.ba_message_id !== null ? { baMessageId: r.ba_message_id } : {}),
  ...(r.conversation_id !== null ? { conversationId: r.conversation_id } : {}),
  ...(r.sender_application !== null ? { senderApplication: r.sender_application } : {}),
  createdAt: iso(r.created_at),
  expiresAt: iso(r.expires_at),
  deliveredAt: iso(r.delivered_at),
  content: typeof r.content === 'string' ? Buffer.from(r.content.replace(/^\\x/, ''), 'hex') : Buffer.from(r.content),
});

/** Hands out up to `limit` unconfirmed messages, oldest first, and hides them for `visibilityMs` (unless confirmed meanwhile). */
export async function takeInbox(
  db: Queryable,
  endpointCode: string,
  businessType: string | undefined,
  limit: number,
  visibilityMs: number,
): Promise<InboxMessage[]> {
  const { rows } = await db.query<InboxRow & { seq: string }>(
    `update endpoint_inbox i set visible_at = now() + make_interval(secs => $4::double precision / 1000)
      where i.message_id in (select message_id from endpoint_inbox
                              where endpoint_code = $1 and received_at is null and visible_at <= now()
                                and ($2::text is null or business_type = $2)
                              order by seq limit $3 for update skip locked)
      returning i.*`,
    [endpointCode, businessType ?? null, limit, visibilityMs],
  );
  return rows.sort((a, b) => Number(a.seq) - Number(b.seq)).map(toInbox);
}

export interface ConfirmedRow {
  readonly messageId: string;
  readonly senderCode: string;
  readonly via: string;
  readonly businessType: string;
}

export async function confirmInbox(tx: Queryable, endpointCode: string, ids: readonly string[], at: string): Promise<ConfirmedRow[]> {
  const { rows } = await tx.query<{ message_id: string; sender_code: string; via_code: string; business_type: string }>(
    `update endpoint_inbox set received_at = $3::timestamptz
      where endpoint_code = $1 and message_id = any($2::text[]) and received_at is null
      returning message_id, sender_code, via_code, business_type`,
    [endpointCode, ids, at],
  );
  return rows.map((r) => ({ messageId: r.message_id, senderCode: r.sender_code, via: r.via_code, businessType: r.business_type }));
}

/** Of `ids`, those this endpoint holds (confirmed or not). */
export async function inboxIdsOf(db: Queryable, endpointCode: string, ids: readonly string[]): Promise<Set<string>> {
  const { rows } = await db.query<{ message_id: string }>(
    'select message_id from endpoint_inbox where endpoint_code = $1 and message_id = any($2::text[])',
    [endpointCode, ids],
  );
  return new Set(rows.map((r) => r.message_id));
}
