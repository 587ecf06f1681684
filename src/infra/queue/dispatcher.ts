/**
 * Moves due outbox rows into the queue driver. Runs in every hub process that has the `worker`
 * role; `for update skip locked` lets several processes share the table without handing the
 * same row out twice at once. A row the queue lost (Redis restarted without persistence, the
 * in-process queue died with its process) is handed out again when its lease runs out; the
 * driver's de-duplication on job id makes that harmless while the job still exists.
 */
import type { Database } from '../../shared/sql.js';
import type { QueueDriver } from '../../shared/queue.js';
import { markDispatched, pickDue, purgeCompleted } from './outbox.js';

export interface DispatcherLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface DispatcherOptions {
  readonly db: Database;
  readonly driver: QueueDriver;
  readonly logger: DispatcherLogger;
  /** Poll interval when idle (a nudge after a commit wakes it sooner). */
  readonly pollMs?: number;
  /** How long a dispatched row may stay unfinished before it is dispatched again. */
  readonly leaseMs?: number;
  readonly batchSize?: number;
  readonly retentionMs?: number;
  /** Longest pause between attempts while the queue or database is failing. */
  readonly maxBackoffMs?: number;
}

export interface Dispatcher {
  start(): void;
  /** Wakes the loop now (call after committing outbox rows). */
  nudge(): void;
  /** One pass; returns how many rows were handed to the driver. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function createDispatcher(o: DispatcherOptions): Dispatcher {
  const pollMs = o.pollMs ?? 200;
  const leaseMs = o.leaseMs ?? 5 * 60_000;
  const batchSize = o.batchSize ?? 200;
  const retentionMs = o.retentionMs ?? 24 * 3600_000;
  const maxBackoffMs = o.maxBackoffMs ?? 5_000;

  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  let failing = false;
  let lastPurge = 0;

  const runOnce = async (): Promise<number> => {
    // One transaction per batch: the rows stay locked (skip locked for other processes) until
    // they are marked; if the driver fails, nothing is marked and the batch comes round again
    // (jobs it did take are de-duplicated on their job id).
    const handed = await o.db.transaction(async (tx) => {
      const rows = await pickDue(tx, leaseMs, batchSize);
      if (rows.length === 0) return 0;
      await o.driver.enqueueMany(
        rows.map((row) => ({
          queue: row.queue,
          data: row.payload,
          opts: {
            jobId: row.job_id,
            ...(row.max_attempts !== null ? { attempts: row.max_attempts } : {}),
            ...(row.backoff_ms !== null ? { backoffMs: row.backoff_ms } : {}),
          },
        })),
      );
      await markDispatched(
        tx,
        rows.map((r) => r.id),
      );
      return rows.length;
    });
    if (Date.now() - lastPurge > 60_000) {
      lastPurge = Date.now();
      await purgeCompleted(o.db, retentionMs);
    }
    return handed;
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
    }).finally(() => {
      clearTimeout(timer);
      wake = undefined;
    });

  const run = async () => {
    let backoff = pollMs;
    while (running) {
      try {
        const n = await runOnce();
        if (failing) o.logger.info({}, 'outbox dispatch recovered');
        failing = false;
        backoff = pollMs;
        if (n === batchSize) continue; // more may be due
        await sleep(pollMs);
      } catch (e) {
        if (!failing)
          o.logger.warn(
            { err: (e as Error).message, code: (e as { code?: string }).code },
            'outbox dispatch failing; rows stay in the outbox and are retried',
          );
        failing = true;
        backoff = Math.min(backoff * 2, maxBackoffMs);
        await sleep(backoff);
      }
    }
  };

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    nudge() {
      wake?.();
    },
    runOnce,
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
}
