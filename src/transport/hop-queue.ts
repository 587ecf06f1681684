/**
 * The transport_queue table's statements (migration 0004): each hop's durable outbox. A row
 * is written in the transaction that accepts a message, claimed by one flush at a time with a
 * lease (a process killed mid-flush leaves rows that another process claims when the lease runs
 * out), and marked done with the next hop's answer.
 */
import { insertValues } from '../shared/insert-values.js';
import type { Queryable } from '../shared/sql.js';
import type { Envelope } from './envelope.js';
import type { ItemKind } from './wire.js';

export interface NewQueueItem {
  readonly fromCode: string;
  readonly toCode: string;
  readonly kind: ItemKind;
  readonly envelope: Envelope;
  readonly payload: string;
}

export interface QueuedItem extends NewQueueItem {
  readonly id: string;
  readonly attempts: number;
  readonly expiresAt: Date;
}

export type QueueOutcome = 'accepted' | 'duplicate' | 'rejected' | 'expired';

/**
 * Inserts rows; returns the message IDs that were new (a second insert of (from, message ID) is ignored).
 * One parameter per value (insertValues): a batch's payloads are kilobytes each.
 */
export async function enqueueItems(tx: Queryable, items: readonly NewQueueItem[]): Promise<Set<string>> {
  const rows = await insertValues<{ message_id: string }>(
    tx,
    'insert into transport_queue (from_code, to_code, message_id, kind, envelope, payload, expires_at)',
    ['$', '$', '$', '$', '$::jsonb', '$', '$::timestamptz'],
    items.map((i) => [i.fromCode, i.toCode, i.envelope.messageId, i.kind, JSON.stringify(i.envelope), i.payload, i.envelope.expiresAt]),
    'on conflict (from_code, message_id) do nothing returning message_id',
  );
  return new Set(rows.map((r) => r.message_id));
}

interface Row {
  id: string;
  from_code: string;
  to_code: string;
  kind: ItemKind;
  envelope: Envelope | string;
  payload: string;
  attempts: number;
  expires_at: Date | string;
}

/** Claims up to `limit` due rows of one hop for `leaseMs`, oldest first; other flushes skip them. */
export async function claimDue(db: Queryable, fromCode: string, toCode: string, limit: number, leaseMs: number): Promise<QueuedItem[]> {
  const { rows } = await db.query<Row>(
    `update transport_queue q set lease_until = now() + make_interval(secs => $4::double precision / 1000)
      where q.id in (select id from transport_queue
                      where from_code = $1 and to_code = $2 and done_at is null and next_attempt_at <= now()
                        and (lease_until is null or lease_until < now())
                      order by id limit $3 for update skip locked)
      returning q.id, q.from_code, q.to_code, q.kind, q.envelope, q.payload, q.attempts, q.expires_at`,
    [fromCode, toCode, limit, leaseMs],
  );
  return rows
    .map((r) => ({
      id: String(r.id),
      fromCode: r.from_code,
      toCode: r.to_code,
      kind: r.kind,
      envelope: (typeof r.envelope === 'string' ? JSON.parse(r.envelope) : r.envelope) as Envelope,
      payload: r.payload,
      attempts: r.attempts,
      expiresAt: new Date(r.expires_at),
    }))
    .sort((a, b) => Number(a.id) - Number(b.id));
}

export async function markDone(tx: Queryable, outcomes: ReadonlyArray<{ id: string; outcome: QueueOutcome }>): Promise<void> {
  if (outcomes.length === 0) return;
  await tx.query(
    `update transport_queue q set done_at = now(), outcome = u.o, lease_until = null
       from unnest($1::bigint[], $2::text[]) as u(i, o) where q.id = u.i`,
    [outcomes.map((o) => o.id), outcomes.map((o) => o.outcome)],
  );
}

/** After a failed attempt: the rows come due again after back-off (base · 2^attempts, capped). */
export async function reschedule(db: Queryable, ids: readonly string[], error: string, baseMs: number, maxMs: number): Promise<void> {
  if (ids.length === 0) return;
  await db.query(
    `update transport_queue set attempts = attempts + 1, lease_until = null, last_error = $2,
            next_attempt_at = now() + make_interval(secs => least($3::double precision * power(2, attempts), $4::double precision) / 1000)
      where id = any($1::bigint[])`,
    [ids, error.slice(0, 1000), baseMs, maxMs],
  );
}

/** Hops of the given local components that have due rows nobody holds. */
export async function dueHops(db: Queryable, fromCodes: readonly string[]): Promise<Array<{ fromCode: string; toCode: string }>> {
  if (fromCodes.length === 0) return [];
  const { rows } = await db.query<{ from_code: string; to_code: string }>(
    `select distinct from_code, to_code from transport_queue
      where done_at is null and from_code = any($1::text[]) and next_attempt_at <= now()
        and (lease_until is null or lease_until < now())`,
    [fromCodes],
  );
  return rows.map((r) => ({ fromCode: r.from_code, toCode: r.to_code }));
}

/**
 * Deletes done rows once their message has expired and they are older than the retention: until
 * then they are the hop's de-duplication memory (a re-sent message is answered `duplicate`).
 */
export async function purgeDone(db: Queryable, retentionMs: number): Promise<number> {
  const r = await db.query(
    'delete from transport_queue where done_at < now() - make_interval(secs => $1::double precision / 1000) and expires_at < now()',
    [retentionMs],
  );
  return r.rowCount;
}

export interface QueueDepth {
  readonly fromCode: string;
  readonly toCode: string;
  readonly waiting: number;
  readonly oldest: string | null;
}

export async function queueDepths(db: Queryable, fromCodes: readonly string[]): Promise<QueueDepth[]> {
  const { rows } = await db.query<{ from_code: string; to_code: string; waiting: string; oldest: Date | string | null }>(
    `select from_code, to_code, count(*) as waiting, min(queued_at) as oldest from transport_queue
      where done_at is null and from_code = any($1::text[]) group by from_code, to_code order by from_code, to_code`,
    [fromCodes],
  );
  return rows.map((r) => ({
    fromCode: r.from_code,
    toCode: r.to_code,
    waiting: Number(r.waiting),
    oldest: r.oldest === null ? null : new Date(r.oldest).toISOString(),
  }));
}
