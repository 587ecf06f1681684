/**
 * The outbox table's statements (schema: migrations/0001_outbox.sql). Each lifecycle step of a
 * row is one named statement here; nothing else writes the table.
 */
import type { Queryable } from '../../shared/sql.js';
import type { Outbox } from '../../shared/queue.js';
import { checkJobId, checkQueueName } from './names.js';

export interface OutboxRow {
  readonly id: string;
  readonly queue: string;
  readonly job_id: string;
  readonly payload: unknown;
  readonly max_attempts: number | null;
  readonly backoff_ms: number | null;
}

/** Inserts a job row; a second insert of the same (queue, job id) is a no-op (idempotent producers). */
export const outbox: Outbox = {
  async add(tx, queue, jobId, payload, opts = {}) {
    checkQueueName(queue);
    checkJobId(jobId);
    await tx.query(
      `insert into outbox (queue, job_id, payload, available_at, max_attempts, backoff_ms)
       values ($1, $2, $3::jsonb, now() + make_interval(secs => $4::double precision / 1000), $5, $6)
       on conflict (queue, job_id) do nothing`,
      [queue, jobId, JSON.stringify(payload ?? null), opts.delayMs ?? 0, opts.attempts ?? null, opts.backoffMs ?? null],
    );
  },
};

/** Locks up to `limit` rows that are due: never dispatched, or dispatched longer ago than the lease. */
export async function pickDue(tx: Queryable, leaseMs: number, limit: number): Promise<OutboxRow[]> {
  const { rows } = await tx.query<OutboxRow>(
    `select id, queue, job_id, payload, max_attempts, backoff_ms from outbox
      where completed_at is null and failed_at is null and available_at <= now()
        and (dispatched_at is null or dispatched_at < now() - make_interval(secs => $1::double precision / 1000))
      order by id
      limit $2
      for update skip locked`,
    [leaseMs, limit],
  );
  return rows;
}

export async function markDispatched(tx: Queryable, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.query('update outbox set dispatched_at = now(), dispatch_count = dispatch_count + 1 where id = any($1::bigint[])', [ids]);
}

export async function markCompleted(db: Queryable, queue: string, jobId: string, attempts: number): Promise<void> {
  await db.query(
    'update outbox set completed_at = now(), attempts = $3, last_error = null where queue = $1 and job_id = $2 and completed_at is null',
    [queue, jobId, attempts],
  );
}

export async function markFailed(db: Queryable, queue: string, jobId: string, attempts: number, error: string): Promise<void> {
  await db.query(
    'update outbox set failed_at = now(), attempts = $3, last_error = $4 where queue = $1 and job_id = $2 and completed_at is null',
    [queue, jobId, attempts, error.slice(0, 2000)],
  );
}

/** Deletes completed rows older than the retention; failed rows stay for operators. */
export async function purgeCompleted(db: Queryable, retentionMs: number): Promise<number> {
  const r = await db.query('delete from outbox where completed_at < now() - make_interval(secs => $1::double precision / 1000)', [
    retentionMs,
  ]);
  return r.rowCount;
}

export interface OutboxCounts {
  readonly pending: number;
  readonly inFlight: number;
  readonly failed: number;
}

export async function countOpen(db: Queryable): Promise<OutboxCounts> {
  const { rows } = await db.query<{ pending: string; in_flight: string; failed: string }>(
    `select count(*) filter (where dispatched_at is null and completed_at is null and failed_at is null) as pending,
            count(*) filter (where dispatched_at is not null and completed_at is null and failed_at is null) as in_flight,
            count(*) filter (where failed_at is not null) as failed
       from outbox`,
  );
  const r = rows[0];
  return { pending: Number(r?.pending ?? 0), inFlight: Number(r?.in_flight ?? 0), failed: Number(r?.failed ?? 0) };
}
