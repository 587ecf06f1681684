/**
 * In-process queue driver: the embedded default, no Redis needed. Same semantics as the BullMQ
 * driver within one process (de-duplication while the job exists, delays, exponential retries,
 * concurrency, repeatable jobs). Jobs live in memory: the outbox (dispatcher.ts) re-dispatches
 * work that a crash took with it, so durability does not depend on this driver.
 */
import { randomUUID } from 'node:crypto';
import { HubError } from '../../shared/errors.js';
import {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  backoffDelay,
  type Job,
  type JobHandler,
  type JobOptions,
  type QueueDriver,
  type QueueHealth,
  type WorkerOptions,
} from '../../shared/queue.js';
import { checkJobId, checkQueueName } from './names.js';

interface Entry {
  readonly id: string;
  readonly data: unknown;
  readonly maxAttempts: number;
  readonly backoffMs: number;
  attempt: number;
}

interface QueueState {
  handler: JobHandler | undefined;
  opts: WorkerOptions;
  ready: Entry[];
  running: number;
  /** Ids of jobs that exist (waiting, delayed or running): the de-duplication set. */
  live: Set<string>;
}

export function createInProcessQueue(): QueueDriver & { stats(queue: string): { waiting: number; running: number; live: number } } {
  const queues = new Map<string, QueueState>();
  const timers = new Set<NodeJS.Timeout>();
  const runningPromises = new Set<Promise<void>>();
  let closed = false;

  const state = (queue: string): QueueState => {
    let s = queues.get(queue);
    if (!s) {
      s = { handler: undefined, opts: {}, ready: [], running: 0, live: new Set() };
      queues.set(queue, s);
    }
    return s;
  };

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const pump = (queue: string) => {
    const s = state(queue);
    const handler = s.handler;
    if (!handler || closed) return;
    const concurrency = s.opts.concurrency ?? 1;
    while (s.running < concurrency && s.ready.length > 0) {
      const entry = s.ready.shift() as Entry;
      s.running += 1;
      entry.attempt += 1;
      const job: Job = { queue, id: entry.id, data: entry.data, attempt: entry.attempt, maxAttempts: entry.maxAttempts };
      const p = run(queue, s, handler, job, entry).finally(() => {
        runningPromises.delete(p);
        s.running -= 1;
        pump(queue);
      });
      runningPromises.add(p);
    }
  };

  const run = async (queue: string, s: QueueState, handler: JobHandler, job: Job, entry: Entry) => {
    try {
      await handler(job);
      s.live.delete(entry.id);
      await s.opts.onCompleted?.(job);
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      if (entry.attempt >= entry.maxAttempts) {
        s.live.delete(entry.id);
        await s.opts.onFinalFailure?.(job, error);
      } else if (!closed) {
        later(backoffDelay(entry.backoffMs, entry.attempt), () => {
          s.ready.push(entry);
          pump(queue);
        });
      }
    }
  };

  const enqueue = async <T>(queue: string, data: T, opts: JobOptions = {}): Promise<string> => {
    checkQueueName(queue);
    if (closed) throw new HubError('QUEUE_UNAVAILABLE', 'the in-process queue is closed');
    const id = opts.jobId ?? randomUUID();
    checkJobId(id);
    const s = state(queue);
    if (s.live.has(id)) return id;
    s.live.add(id);
    const entry: Entry = {
      id,
      data,
      maxAttempts: opts.attempts ?? DEFAULT_ATTEMPTS,
      backoffMs: opts.backoffMs ?? DEFAULT_BACKOFF_MS,
      attempt: 0,
    };
    if (opts.delayMs && opts.delayMs > 0) {
      later(opts.delayMs, () => {
        s.ready.push(entry);
        pump(queue);
      });
    } else {
      s.ready.push(entry);
      pump(queue);
    }
    return id;
  };

  return {
    kind: 'in-process',
    enqueue,
    async enqueueMany(items) {
      for (const item of items) await enqueue(item.queue, item.data, item.opts);
    },
    process<T>(queue: string, handler: JobHandler<T>, opts: WorkerOptions = {}) {
      checkQueueName(queue);
      const s = state(queue);
      if (s.handler) throw new HubError('QUEUE_UNAVAILABLE', `queue ${queue} already has a handler`);
      s.handler = handler as JobHandler;
      s.opts = opts;
      pump(queue);
    },
    async repeat<T>(queue: string, schedulerId: string, everyMs: number, data: T) {
      checkJobId(schedulerId);
      const tick = () => {
        if (closed) return;
        void enqueue(queue, data, { jobId: `${schedulerId}.${Date.now()}`, attempts: 1 }).catch(() => undefined);
        later(everyMs, tick);
      };
      later(everyMs, tick);
      return Promise.resolve();
    },
    health(): Promise<QueueHealth> {
      return Promise.resolve(closed ? { ok: false, kind: 'in-process', detail: 'closed' } : { ok: true, kind: 'in-process' });
    },
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.allSettled([...runningPromises]);
    },
    stats(queue: string) {
      const s = state(queue);
      return { waiting: s.ready.length, running: s.running, live: s.live.size };
    },
  };
}
