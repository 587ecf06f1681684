/**
 * The queue port: one small interface, two drivers (src/infra/queue/): BullMQ on Redis for
 * deployments that scale out, and in-process for the embedded default. Both give the same
 * semantics: at-least-once delivery to idempotent handlers, de-duplication on a job id while
 * the job exists, delays, retries with exponential back-off, per-queue concurrency and
 * repeatable jobs. Durable work goes through the outbox (`Jobs`), not straight into a driver.
 */
export interface JobOptions {
  /** De-duplication key: a second enqueue with the same id, while the job exists, is ignored. */
  readonly jobId?: string;
  readonly delayMs?: number;
  /** Total handler attempts before the job fails for good (default 5). */
  readonly attempts?: number;
  /** First retry delay; doubles on each retry (default 1000 ms). */
  readonly backoffMs?: number;
}

export interface EnqueueItem {
  readonly queue: string;
  readonly data: unknown;
  readonly opts?: JobOptions;
}

export interface Job<T = unknown> {
  readonly queue: string;
  readonly id: string;
  readonly data: T;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly maxAttempts: number;
}

export type JobHandler<T = unknown> = (job: Job<T>) => Promise<void>;

export interface WorkerOptions {
  readonly concurrency?: number;
  /** Called after the last attempt failed (dead letter). */
  readonly onFinalFailure?: (job: Job, error: Error) => Promise<void>;
  /** Called after the handler succeeded. */
  readonly onCompleted?: (job: Job) => Promise<void>;
}

export interface QueueHealth {
  readonly ok: boolean;
  readonly kind: 'in-process' | 'bullmq';
  readonly detail?: string;
}

export interface QueueDriver {
  readonly kind: 'in-process' | 'bullmq';
  /** Returns the job id (generated when not given). Throws QUEUE_UNAVAILABLE when the backend is down. */
  enqueue<T>(queue: string, data: T, opts?: JobOptions): Promise<string>;
  /** Several jobs in one round trip where the backend allows (the dispatcher's batches). */
  enqueueMany(items: readonly EnqueueItem[]): Promise<void>;
  /** Registers the one handler of a queue and starts working it. */
  process<T>(queue: string, handler: JobHandler<T>, opts?: WorkerOptions): void;
  /** A job added every `everyMs` under a stable scheduler id (idempotent across restarts and processes). */
  repeat<T>(queue: string, schedulerId: string, everyMs: number, data: T): Promise<void>;
  health(): Promise<QueueHealth>;
  /** Stops taking jobs and waits for running handlers to finish. */
  close(): Promise<void>;
}

export const DEFAULT_ATTEMPTS = 5;
export const DEFAULT_BACKOFF_MS = 1000;

/** Job ids and queue names: safe as Redis key parts and in SQL text columns. */
export const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
export const QUEUE_NAME = /^[a-z][a-z0-9.-]{0,99}$/;

/** Delay before retry number `retry` (1-based): backoff · 2^(retry−1). */
export function backoffDelay(backoffMs: number, retry: number): number {
  return backoffMs * 2 ** (retry - 1);
}

/**
 * The durable way for a context to cause work: the job is written in the caller's transaction,
 * together with the business change that causes it (transactional outbox). It reaches its
 * handler at least once, even across a crash or a queue outage.
 */
export interface Outbox {
  add(tx: import('./sql.js').Queryable, queue: string, jobId: string, payload: unknown, opts?: OutboxJobOptions): Promise<void>;
}

export type OutboxJobOptions = Pick<JobOptions, 'delayMs' | 'attempts' | 'backoffMs'>;
