/**
 * The sealer: moves recorded events from `audit_event` into the hash chain `audit_log` and
 * writes signed checkpoints (audit log requirement: "append-only, hash-chained log (each entry
 * commits to the previous entry's hash), with periodic signed checkpoints").
 *
 * One round (`sealOnce`) is one transaction:
 *   1. `pg_advisory_xact_lock`: one sealer at a time, across every hub process sharing the
 *      database (on PGlite the transaction is exclusive anyway); seq's primary key is the
 *      backstop — a second writer of the same seq fails instead of forking the chain;
 *   2. read the chain's tail (seq, hash) and up to `batchSize` events in `audit_event.id` order;
 *   3. hash each onto the chain and move them from `audit_event` into `audit_log` (one statement);
 *   4. sign a checkpoint of the new tail when `checkpointEvery` entries or `checkpointIntervalMs`
 *      have passed since the last checkpoint (or there is none yet) and something new is sealed.
 *
 * Chain order is seal order. bigserial ids are handed out at insert but rows become visible at
 * commit, so an event whose transaction commits late (a lower id that was invisible when a
 * higher one was sealed) is simply sealed in a later round, after entries with higher ids. `at`
 * (the business time) is therefore not monotonic along the chain, and nothing is ever lost or
 * sealed twice: sealed rows are deleted in the same transaction that chains them.
 */
import type { Clock } from '../shared/clock.js';
import type { Database, Queryable } from '../shared/sql.js';
import { GENESIS_HASH, chainTimestamp, checkpointSigningInput, entryHash, sqlChainTimestamp } from './hash.js';

/** Signs checkpoints; audit-key.ts gives one backed by the hub's Ed25519 key file. */
export interface AuditSigner {
  readonly keyId: string;
  /** Ed25519 signature of `data`. */
  sign(data: Buffer): Buffer;
}

export interface SealerOptions {
  readonly db: Database;
  readonly clock: Clock;
  readonly signer: AuditSigner;
  /** Events sealed per transaction (default 1000). */
  readonly batchSize?: number;
  /** A checkpoint at least every this many entries (default 1000). */
  readonly checkpointEvery?: number;
  /** …or when this long has passed since the last one and something new is sealed (default 60 s). */
  readonly checkpointIntervalMs?: number;
}

export interface Sealer {
  /** Seals up to `batchSize` pending events in one transaction; returns how many. */
  sealOnce(): Promise<number>;
  /** Seals until nothing is pending; returns how many in all. */
  sealAll(): Promise<number>;
}

/** Arbitrary constant key for pg_advisory_xact_lock: "tps-hub audit sealer" (migrations use 7_263_001). */
export const SEALER_LOCK_KEY = 7_263_002;

interface EventRow {
  id: string;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  parties: string;
  details: string;
}

function positive(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new TypeError(`audit sealer: ${name} must be a positive integer, got ${v}`);
  return v;
}

async function maybeCheckpoint(
  tx: Queryable,
  o: { clock: Clock; signer: AuditSigner; every: number; intervalMs: number },
  tail: { seq: number; hash: string },
): Promise<void> {
  if (tail.seq === 0) return;
  const { rows } = await tx.query<{ seq: string; at: Date | string }>(
    'select seq::text as seq, at from audit_checkpoint order by audit_checkpoint.seq desc limit 1',
  );
  const last = rows[0];
  const now = o.clock.now();
  if (last) {
    const since = Number(last.seq);
    if (tail.seq <= since) return;
    const due = tail.seq - since >= o.every || now.getTime() - new Date(last.at).getTime() >= o.intervalMs;
    if (!due) return;
  }
  const at = chainTimestamp(now);
  const signature = o.signer.sign(checkpointSigningInput({ seq: tail.seq, hash: tail.hash, at, keyId: o.signer.keyId }));
  await tx.query('insert into audit_checkpoint (seq, hash, at, key_id, signature) values ($1, $2, $3::timestamptz, $4, $5)', [
    tail.seq,
    tail.hash,
    at,
    o.signer.keyId,
    signature.toString('base64'),
  ]);
}

export function createSealer(opts: SealerOptions): Sealer {
  const batchSize = positive('batchSize', opts.batchSize ?? 1000);
  const every = positive('checkpointEvery', opts.checkpointEvery ?? 1000);
  const intervalMs = opts.checkpointIntervalMs ?? 60_000;
  const { db, clock, signer } = opts;

  const sealOnce = () =>
    db.transaction(async (tx) => {
      // Each statement must see what the previous sealer committed before we got the lock:
      // READ COMMITTED takes a snapshot per statement (whatever the server's default isolation).
      await tx.query('set transaction isolation level read committed');
      await tx.query('select pg_advisory_xact_lock($1)', [SEALER_LOCK_KEY]);
      const tailRows = await tx.query<{ seq: string; hash: string }>(
        'select seq::text as seq, hash from audit_log order by audit_log.seq desc limit 1',
      );
      let seq = Number(tailRows.rows[0]?.seq ?? 0);
      let prev = tailRows.rows[0]?.hash ?? GENESIS_HASH;
      const { rows } = await tx.query<EventRow>(
        `select id::text as id, ${sqlChainTimestamp('at')} as at, actor, action, subject,
                array_to_json(parties)::text as parties, details::text as details
           from audit_event order by audit_event.id limit $1`,
        [batchSize],
      );
      if (rows.length > 0) {
        const chained = rows.map((r) => {
          seq += 1;
          const hash = entryHash({
            seq,
            at: r.at,
            actor: r.actor,
            action: r.action,
            subject: r.subject,
            parties: JSON.parse(r.parties) as string[],
            details: JSON.parse(r.details) as Record<string, unknown>,
            prev_hash: prev,
          });
          const link = { id: r.id, seq, prev_hash: prev, hash };
          prev = hash;
          return link;
        });
        // One statement moves them: deleted from audit_event and inserted into audit_log with
        // their values copied row for row, exactly as they were hashed.
        const moved = await tx.query(
          `with x as (select * from jsonb_to_recordset($1::jsonb) as x(id bigint, seq bigint, prev_hash text, hash text)),
                gone as (delete from audit_event e using x where e.id = x.id
                         returning x.seq, e.at, e.actor, e.action, e.subject, e.parties, e.details, x.prev_hash, x.hash)
           insert into audit_log (seq, at, actor, action, subject, parties, details, prev_hash, hash, sealed_at)
           select seq, at, actor, action, subject, parties, details, prev_hash, hash, $2::timestamptz from gone order by seq`,
          [JSON.stringify(chained), clock.now().toISOString()],
        );
        // Only sealers delete events, one at a time; a shortfall would leave a gap, so refuse it.
        if (moved.rowCount !== chained.length)
          throw new Error(`audit sealer: ${moved.rowCount} of ${chained.length} events moved; rolled back`);
      }
      await maybeCheckpoint(tx, { clock, signer, every, intervalMs }, { seq, hash: prev });
      return rows.length;
    });

  return {
    sealOnce,
    async sealAll() {
      let total = 0;
      for (;;) {
        const n = await sealOnce();
        total += n;
        if (n < batchSize) return total;
      }
    },
  };
}
