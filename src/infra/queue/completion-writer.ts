/**
 * Writes "job completed" marks to the outbox in batches: one UPDATE for every job that finished
 * within a few milliseconds, instead of one per job. A caller's promise resolves when its mark
 * is written. If the write fails the marks are retried with the next batch; a mark that never
 * lands only means the job is dispatched again after its lease, which idempotent handlers absorb.
 */
import type { Queryable } from '../../shared/sql.js';

export interface CompletionWriter {
  mark(queue: string, jobId: string, attempts: number): Promise<void>;
  flush(): Promise<void>;
}

interface Pending {
  readonly queue: string;
  readonly jobId: string;
  readonly attempts: number;
  readonly done: () => void;
  readonly failed: (e: Error) => void;
}

export function createCompletionWriter(
  db: Queryable,
  opts: { readonly maxBatch?: number; readonly lingerMs?: number } = {},
): CompletionWriter {
  const maxBatch = opts.maxBatch ?? 500;
  const lingerMs = opts.lingerMs ?? 2;
  let pending: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  const write = async (batch: Pending[]) => {
    try {
      await db.query(
        `update outbox o set completed_at = now(), attempts = v.attempts, last_error = null
           from unnest($1::text[], $2::text[], $3::int[]) as v(queue, job_id, attempts)
          where o.queue = v.queue and o.job_id = v.job_id and o.completed_at is null`,
        [batch.map((p) => p.queue), batch.map((p) => p.jobId), batch.map((p) => p.attempts)],
      );
      for (const p of batch) p.done();
    } catch (e) {
      for (const p of batch) p.failed(e instanceof Error ? e : new Error(String(e)));
    }
  };

  const flush = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return writing;
    const batch = pending;
    pending = [];
    writing = writing.then(() => write(batch));
    return writing;
  };

  return {
    mark(queue, jobId, attempts) {
      return new Promise<void>((done, failed) => {
        pending.push({ queue, jobId, attempts, done, failed });
        if (pending.length >= maxBatch) void flush();
        else timer ??= setTimeout(() => void flush(), lingerMs);
      });
    },
    flush,
  };
}
