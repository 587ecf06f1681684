/**
 * BullMQ queue driver on Redis: several hub processes share the work of every queue.
 * The producer connection fails fast while Redis is down (no offline queue), so the outbox
 * dispatcher notices and retries later instead of piling requests up in memory; the worker
 * connections reconnect by themselves and resume when Redis is back.
 */
import { randomUUID } from 'node:crypto';
import { Queue, Worker, type Job as BullJob } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { HubError } from '../../shared/errors.js';
import {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  type EnqueueItem,
  type Job,
  type JobHandler,
  type JobOptions,
  type QueueDriver,
  type QueueHealth,
  type WorkerOptions,
} from '../../shared/queue.js';
import { checkJobId, checkQueueName } from './names.js';

export interface BullmqOptions {
  readonly url: string;
  /** Key prefix in Redis; tests use a unique one each. */
  readonly prefix: string;
}

/** How long to keep failed jobs in Redis for inspection (the outbox keeps the record for good). */
const KEEP_FAILED = { age: 7 * 24 * 3600, count: 10_000 };
/** How long an enqueue waits for a (re)connecting Redis before it reports QUEUE_UNAVAILABLE. */
const READY_WAIT_MS = 1_000;

export function createBullmqQueue(opts: BullmqOptions): QueueDriver {
  const base: RedisOptions = { lazyConnect: false };
  // Producer side: fail fast when Redis is unreachable.
  const producer = new Redis(opts.url, { ...base, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  // Worker side: BullMQ requires maxRetriesPerRequest null on connections used for blocking calls.
  const workerConnection = new Redis(opts.url, { ...base, maxRetriesPerRequest: null });
  for (const c of [producer, workerConnection]) c.on('error', () => undefined); // reported through health()

  const queues = new Map<string, Queue>();
  const workers = new Map<string, Worker>();
  let closed = false;

  const queueFor = (name: string): Queue => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: producer, prefix: opts.prefix, skipWaitingForReady: true });
      q.on('error', () => undefined);
      queues.set(name, q);
    }
    return q;
  };

  /**
   * Waits briefly for the producer connection (right after start, or while reconnecting). All
   * callers share one wait: during an outage, many enqueues add one listener, not one each.
   */
  let readyWait: Promise<void> | undefined;
  const producerReady = (): Promise<void> => {
    if (producer.status === 'ready') return Promise.resolve();
    readyWait ??= new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        producer.off('ready', onReady);
        reject(new Error(`not connected to Redis (connection ${producer.status})`));
      }, READY_WAIT_MS);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      producer.once('ready', onReady);
    }).finally(() => {
      readyWait = undefined;
    });
    return readyWait;
  };

  const unavailable = (e: unknown) =>
    new HubError('QUEUE_UNAVAILABLE', `Redis queue unavailable: ${(e as Error).message}`, undefined, { cause: e });

  const bullOptions = (jobOpts: JobOptions, jobId: string) => ({
    jobId,
    delay: jobOpts.delayMs ?? 0,
    attempts: jobOpts.attempts ?? DEFAULT_ATTEMPTS,
    backoff: { type: 'exponential', delay: jobOpts.backoffMs ?? DEFAULT_BACKOFF_MS },
    removeOnComplete: true,
    removeOnFail: KEEP_FAILED,
  });

  return {
    kind: 'bullmq',
    async enqueue<T>(queue: string, data: T, jobOpts: JobOptions = {}) {
      checkQueueName(queue);
      if (closed) throw new HubError('QUEUE_UNAVAILABLE', 'the queue driver is closed');
      const jobId = jobOpts.jobId ?? randomUUID();
      checkJobId(jobId);
      try {
        await producerReady();
        await queueFor(queue).add(queue, data, bullOptions(jobOpts, jobId));
      } catch (e) {
        throw unavailable(e);
      }
      return jobId;
    },

    async enqueueMany(items: readonly EnqueueItem[]) {
      if (closed) throw new HubError('QUEUE_UNAVAILABLE', 'the queue driver is closed');
      const byQueue = new Map<string, { name: string; data: unknown; opts: ReturnType<typeof bullOptions> }[]>();
      for (const item of items) {
        checkQueueName(item.queue);
        const jobId = item.opts?.jobId ?? randomUUID();
        checkJobId(jobId);
        const list = byQueue.get(item.queue) ?? [];
        list.push({ name: item.queue, data: item.data, opts: bullOptions(item.opts ?? {}, jobId) });
        byQueue.set(item.queue, list);
      }
      try {
        await producerReady();
        await Promise.all([...byQueue].map(([queue, jobs]) => queueFor(queue).addBulk(jobs)));
      } catch (e) {
        throw unavailable(e);
      }
    },

    process<T>(queue: string, handler: JobHandler<T>, wopts: WorkerOptions = {}) {
      checkQueueName(queue);
      if (workers.has(queue)) throw new HubError('QUEUE_UNAVAILABLE', `queue ${queue} already has a handler`);
      const worker = new Worker(
        queue,
        async (bj: BullJob) => {
          const maxAttempts = bj.opts.attempts ?? 1;
          const job: Job<T> = { queue, id: String(bj.id), data: bj.data as T, attempt: bj.attemptsMade + 1, maxAttempts };
          try {
            await handler(job);
          } catch (e) {
            const error = e instanceof Error ? e : new Error(String(e));
            if (job.attempt >= maxAttempts) await wopts.onFinalFailure?.(job, error);
            throw error;
          }
          await wopts.onCompleted?.(job);
        },
        { connection: workerConnection, prefix: opts.prefix, concurrency: wopts.concurrency ?? 1 },
      );
      worker.on('error', () => undefined);
      workers.set(queue, worker);
    },

    async repeat<T>(queue: string, schedulerId: string, everyMs: number, data: T) {
      checkQueueName(queue);
      checkJobId(schedulerId);
      try {
        await producerReady();
        await queueFor(queue).upsertJobScheduler(schedulerId, { every: everyMs }, { name: queue, data, opts: { attempts: 1 } });
      } catch (e) {
        throw unavailable(e);
      }
    },

    async health(): Promise<QueueHealth> {
      try {
        await producerReady();
        const pong = await Promise.race([
          producer.ping(),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error('ping timed out after 1000 ms')), 1000).unref()),
        ]);
        return pong === 'PONG' ? { ok: true, kind: 'bullmq' } : { ok: false, kind: 'bullmq', detail: String(pong) };
      } catch (e) {
        return { ok: false, kind: 'bullmq', detail: (e as Error).message };
      }
    },

    async close() {
      closed = true;
      await Promise.allSettled([...workers.values()].map((w) => w.close()));
      await Promise.allSettled([...queues.values()].map((q) => q.close()));
      producer.disconnect();
      workerConnection.disconnect();
    },
  };
}
