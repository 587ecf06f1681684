/**
 * Reading the chain and its checkpoints back, in pages by seq (keyset pagination), so verify
 * and export run in constant memory over any number of entries. Every value is read in the
 * exact form the hash covers (hash.ts): timestamps as text to the microsecond, parties and
 * details as JSON text parsed here — not whatever a driver makes of arrays and jsonb.
 */
import type { Queryable } from '../shared/sql.js';
import { sqlChainTimestamp, type ChainedFields } from './hash.js';

export interface AuditLogEntry extends ChainedFields {
  readonly hash: string;
  readonly sealed_at: string;
}

export interface AuditCheckpoint {
  readonly seq: number;
  readonly hash: string;
  readonly at: string;
  readonly keyId: string;
  readonly signature: string;
}

interface LogRow {
  seq: string;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  parties: string;
  details: string;
  prev_hash: string;
  hash: string;
  sealed_at: string;
}

export const LOG_COLUMNS = `seq::text as seq, ${sqlChainTimestamp('at')} as at, actor, action, subject,
  array_to_json(parties)::text as parties, details::text as details, prev_hash, hash, ${sqlChainTimestamp('sealed_at')} as sealed_at`;

export function toEntry(r: LogRow): AuditLogEntry {
  return {
    seq: Number(r.seq),
    at: r.at,
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    parties: JSON.parse(r.parties) as string[],
    details: JSON.parse(r.details) as Record<string, unknown>,
    prev_hash: r.prev_hash,
    hash: r.hash,
    sealed_at: r.sealed_at,
  };
}

/** Entries with from ≤ seq ≤ to, in seq order, `limit` at most. */
export async function readEntries(db: Queryable, from: number, to: number, limit: number): Promise<AuditLogEntry[]> {
  const { rows } = await db.query<LogRow>(
    `select ${LOG_COLUMNS} from audit_log where seq >= $1 and seq <= $2 order by audit_log.seq limit $3`,
    [from, to, limit],
  );
  return rows.map(toEntry);
}

/** Checkpoints with seq > after, in seq order, `limit` at most. */
export async function readCheckpoints(db: Queryable, after: number, limit: number): Promise<AuditCheckpoint[]> {
  const { rows } = await db.query<{ seq: string; hash: string; at: string; key_id: string; signature: string }>(
    `select seq::text as seq, hash, ${sqlChainTimestamp('at')} as at, key_id, signature
       from audit_checkpoint where seq > $1 order by audit_checkpoint.seq limit $2`,
    [after, limit],
  );
  return rows.map((r) => ({ seq: Number(r.seq), hash: r.hash, at: r.at, keyId: r.key_id, signature: r.signature }));
}

/**
 * Async iteration over pages of a keyset-paginated source. The next page is requested while the
 * current one is consumed, so the database and the hashing overlap (on PostgreSQL).
 */
export async function* paged<T extends { readonly seq: number }>(
  fetch: (after: number) => Promise<readonly T[]>,
  pageSize: number,
  start = 0,
): AsyncGenerator<T> {
  let next: Promise<readonly T[]> | undefined = fetch(start);
  while (next) {
    const page: readonly T[] = await next;
    const last = page[page.length - 1];
    next = page.length < pageSize || !last ? undefined : fetch(last.seq);
    // A consumer that stops early never awaits the prefetch: its failure must not go unhandled.
    next?.catch(() => undefined);
    yield* page;
  }
}
