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
  /** How long close() waits for workers and queues to close gracefully before it forces them (default 5 s). */
  readonly closeGraceMs?: number;
}

/** How long to keep failed jobs in Redis for inspection (the outbox keeps the record for good). */
const KEEP_FAILED = { age: 7 * 24 * 3600, count: 10_000 };
/** How long an enqueue waits for a (re)connecting Redis before it reports QUEUE_UNAVAILABLE. */
const READY_WAIT_MS = 1_000;
/** close(): graceful wait per step before forcing. */
const CLOSE_GRACE_MS = 5_000;
/**
 * Longest wait for one Redis operation of the producer (add, addBulk, scheduler upsert). A call
 * that never settles (seen with BullMQ while Redis restarts) would otherwise hold the outbox
 * dispatcher's transaction, and its locked rows, for good.
 */
const OPERATION_TIMEOUT_MS = 10_000;

/** Settles like `p`, or rejects after `ms` with `what` in the message; the timer never holds the process. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Ends an ioredis client for good, whatever state it is in. ioredis's disconnect() on a client
 * that waits to reconnect (Redis down) only cancels the reconnect: with no socket to close it
 * neither rejects the commands queued for the reconnect nor reports 'end', and BullMQ waits for
 * both (its fetch loop on the queued blocking command, its close on 'end'). `flushQueue` and
 * `setStatus` are ioredis's own internal steps for exactly that; they are private in its typings,
 * hence the narrow cast, and the exit test in test/integration/queue guards them across upgrades.
 */
function endClient(client: Redis): void {
  const internal = client as unknown as { flushQueue?: (e: Error) => void; setStatus?: (s: string) => void };
  const socketless = client.status === 'reconnecting' || client.status === 'close';
  client.disconnect();
  // The message is the one ioredis and BullMQ use, so BullMQ treats it as a closed connection.
  internal.flushQueue?.(new Error('Connection is closed.'));
  if (socketless) internal.setStatus?.('end');
}

export function createBullmqQueue(opts: BullmqOptions): QueueDriver {
  const base: RedisOptions = { lazyConnect: false };
  /**
   * Every ioredis client this driver owns, including the duplicates BullMQ makes for its workers'
   * blocking calls: close() ends them all, so no reconnect timer or socket outlives the driver.
   */
  const clients: Redis[] = [];
  const own = (client: Redis): Redis => {
    client.on('error', () => undefined); // reported through health()
    const duplicate = client.duplicate.bind(client);
    client.duplicate = (override?: Partial<RedisOptions>) => own(duplicate(override));
    clients.push(client);
    return client;
  };
  // Producer side: fail fast when Redis is unreachable.
  const producer = own(new Redis(opts.url, { ...base, enableOfflineQueue: false, maxRetriesPerRequest: 1 }));
  // Worker side: BullMQ requires maxRetriesPerRequest null on connections used for blocking calls.
  const workerConnection = own(new Redis(opts.url, { ...base, maxRetriesPerRequest: null }));

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
        await within(queueFor(queue).add(queue, data, bullOptions(jobOpts, jobId)), OPERATION_TIMEOUT_MS, 'adding the job');
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
        await within(
          Promise.all([...byQueue].map(([queue, jobs]) => queueFor(queue).addBulk(jobs))),
          OPERATION_TIMEOUT_MS,
          `adding ${items.length} jobs`,
        );
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
        await within(
          queueFor(queue).upsertJobScheduler(schedulerId, { every: everyMs }, { name: queue, data, opts: { attempts: 1 } }),
          OPERATION_TIMEOUT_MS,
          'scheduling the repeating job',
        );
      } catch (e) {
        throw unavailable(e);
      }
    },

    async health(): Promise<QueueHealth> {
      try {
        await producerReady();
        const pong = await within(producer.ping(), 1000, 'ping');
        return pong === 'PONG' ? { ok: true, kind: 'bullmq' } : { ok: false, kind: 'bullmq', detail: String(pong) };
      } catch (e) {
        return { ok: false, kind: 'bullmq', detail: (e as Error).message };
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      // Graceful first (running handlers finish), each step bounded. BullMQ's close waits for its
      // blocking connection's 'end' event, which an ioredis client that is reconnecting (Redis down)
      // never emits — the worker's loops and timers would then keep the process alive for good
      // (seen in CI after Redis had been killed; bullmq#4656). So when the grace runs out, every
      // client the driver owns is ended, which lets BullMQ's close finish without Redis.
      const grace = opts.closeGraceMs ?? CLOSE_GRACE_MS;
      const bounded = (steps: Promise<unknown>[]) =>
        within(Promise.allSettled(steps), grace, 'close').then(
          () => true,
          () => false,
        );
      const closing = [...workers.values()].map((w) => w.close());
      if (!(await bounded(closing))) {
        for (const client of clients) endClient(client);
        await bounded(closing);
      }
      await bounded([...queues.values()].map((q) => q.close()));
      for (const client of clients) if (client.status !== 'end') endClient(client);
    },
  };
}
