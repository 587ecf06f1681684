/**
 * The job system the application uses: the outbox for durable enqueueing, the dispatcher that
 * feeds the driver, and handler registration that records each job's outcome in the outbox.
 */
import type { Database, Queryable } from '../../shared/sql.js';
import type { JobHandler, Outbox, OutboxJobOptions, QueueDriver } from '../../shared/queue.js';
import { createDispatcher, type Dispatcher, type DispatcherLogger, type DispatcherOptions } from './dispatcher.js';
import { createCompletionWriter } from './completion-writer.js';
import { markFailed, outbox } from './outbox.js';

export interface Jobs extends Outbox {
  readonly driver: QueueDriver;
  readonly dispatcher: Dispatcher;
  /** Durable enqueue outside a business transaction (its own transaction). */
  enqueue(queue: string, jobId: string, payload: unknown, opts?: OutboxJobOptions): Promise<void>;
  /** Registers the handler of a queue; the outcome of each outbox job is written back to its row. */
  register<T>(queue: string, handler: JobHandler<T>, opts?: { readonly concurrency?: number }): void;
}

export function createJobs(
  db: Database,
  driver: QueueDriver,
  logger: DispatcherLogger,
  opts: Partial<Omit<DispatcherOptions, 'db' | 'driver' | 'logger'>> = {},
): Jobs {
  const dispatcher = createDispatcher({ ...opts, db, driver, logger });
  const completions = createCompletionWriter(db);
  return {
    driver,
    dispatcher,
    async add(tx: Queryable, queue: string, jobId: string, payload: unknown, o?: OutboxJobOptions) {
      await outbox.add(tx, queue, jobId, payload, o);
    },
    async enqueue(queue, jobId, payload, o) {
      await outbox.add(db, queue, jobId, payload, o);
      dispatcher.nudge();
    },
    register(queue, handler, o = {}) {
      driver.process(queue, handler, {
        concurrency: o.concurrency ?? 1,
        onCompleted: (job) => completions.mark(job.queue, job.id, job.attempt),
        onFinalFailure: async (job, error) => {
          logger.warn({ queue: job.queue, jobId: job.id, attempts: job.attempt, err: error.message }, 'job failed for good');
          await markFailed(db, job.queue, job.id, job.attempt, error.message);
        },
      });
    },
  };
}
