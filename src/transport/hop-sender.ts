/**
 * Moves queued items to their next hop (docs/transport.md, "Delivery at scale"). A flush is a
 * queue job (`transport.hop.<from>`, job ID `hop.<from>.<to>`: at most one per hop at a time across
 * processes while it exists): it claims the hop's due rows in batches, sends each batch in one
 * HTTPS request, and records the answers through the owner's `onOutcomes` in one transaction
 * with marking the rows done. A failed request puts the rows back with exponential back-off;
 * rows past their expiry end `expired` without being sent. A sweeper re-kicks hops whose rows
 * are due (back-off over, lease of a killed process run out, a kick lost with the queue).
 */
import type { Database, Queryable } from '../shared/sql.js';
import type { QueueDriver } from '../shared/queue.js';
import { HubError } from '../shared/errors.js';
import type { Clock } from '../shared/clock.js';
import { claimDue, dueHops, markDone, purgeDone, reschedule, type QueuedItem, type QueueOutcome } from './hop-queue.js';
import type { ComponentClient } from './tls.js';
import { HOP_PATH, MAX_BATCH_BYTES, parseHopResponse, type HopItem, type HopResult } from './wire.js';

/**
 * One queue per sending component (`transport.hop.<code>`): only a process that hosts the
 * component (holds its TLS key) takes its flushes, also when processes hosting different
 * components share the database and Redis.
 */
export const hopQueueOf = (fromCode: string) => `transport.hop.${fromCode.toLowerCase()}`;

export interface HopOutcome {
  readonly item: QueuedItem;
  readonly outcome: QueueOutcome;
  readonly result?: HopResult;
}

export interface HopLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface HopSenderOptions {
  readonly db: Database;
  readonly driver: QueueDriver;
  readonly clock: Clock;
  readonly logger: HopLogger;
  /** The mutual-TLS client of a local component (its authentication certificate). */
  clientOf(fromCode: string): ComponentClient;
  /** Base URL (https://host:port) of a component, from the directory. Throws when unknown. */
  urlOf(toCode: string): Promise<string>;
  /** Records the answers; runs in the transaction that marks the rows done. Returns work to do after commit. */
  onOutcomes(tx: Queryable, fromCode: string, toCode: string, outcomes: readonly HopOutcome[]): Promise<(() => void) | void>;
  readonly batchSize?: number;
  readonly leaseMs?: number;
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  readonly requestTimeoutMs?: number;
}

export interface HopSender {
  /** Asks for a flush of one hop (after a commit that queued rows). Never throws: the sweeper covers a failed kick. */
  kick(fromCode: string, toCode: string): void;
  /** Flushes one hop until nothing is due; returns how many items got an answer. */
  flush(fromCode: string, toCode: string): Promise<number>;
  /** Kicks every hop of these local components with due rows. */
  sweep(fromCodes: readonly string[]): Promise<number>;
  purge(retentionMs: number): Promise<number>;
  /** Registers the flush job handler of each of these local components on the driver. */
  register(fromCodes: readonly string[], concurrency: number): void;
}

const jobIdOf = (from: string, to: string) => `hop.${from}.${to}`;
/** How long after a flush ends a kick for the same hop takes a fresh job ID (the queue may still hold the old one). */
export const REKICK_WINDOW_MS = 250;

function batches(items: readonly QueuedItem[]): QueuedItem[][] {
  const out: QueuedItem[][] = [];
  let current: QueuedItem[] = [];
  let bytes = 0;
  for (const it of items) {
    const size = it.payload.length + 600;
    if (current.length > 0 && bytes + size > MAX_BATCH_BYTES) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(it);
    bytes += size;
  }
  if (current.length) out.push(current);
  return out;
}

export function createHopSender(o: HopSenderOptions): HopSender {
  const batchSize = o.batchSize ?? 200;
  const leaseMs = o.leaseMs ?? 30_000;
  const retryBaseMs = o.retryBaseMs ?? 1_000;
  const retryMaxMs = o.retryMaxMs ?? 60_000;
  /** Hops flushing in this process; a kick meanwhile asks for one more pass. */
  const running = new Map<string, { again: boolean }>();
  /** When each hop's last flush in this process ended (its job may still be finishing in the queue). */
  const ended = new Map<string, number>();
  let rekicks = 0;
  const failing = new Set<string>();

  const record = async (from: string, to: string, outcomes: HopOutcome[]) => {
    if (outcomes.length === 0) return;
    const after = await o.db.transaction(async (tx) => {
      await markDone(
        tx,
        outcomes.map((x) => ({ id: x.item.id, outcome: x.outcome })),
      );
      return o.onOutcomes(tx, from, to, outcomes);
    });
    if (after) after();
  };

  /** One request; returns false when the hop is failing (rows rescheduled). */
  const send = async (from: string, to: string, items: QueuedItem[]): Promise<boolean> => {
    const key = `${from}>${to}`;
    const body: { items: HopItem[] } = {
      items: items.map((i) => ({ kind: i.kind, to: i.toCode, envelope: i.envelope, payload: i.payload })),
    };
    let results: HopResult[] | undefined;
    let error: string;
    try {
      const url = `${await o.urlOf(to)}${HOP_PATH}`;
      const res = await o.clientOf(from).postJson<unknown>(url, body, o.requestTimeoutMs);
      if (res.status === 200) {
        results = parseHopResponse(res.body, body.items);
        error = results ? '' : 'answer does not list one result per item';
      } else {
        const e = (res.body as { error?: { code?: string; message?: string } } | undefined)?.error;
        error = `HTTP ${res.status} ${e?.code ?? ''} ${e?.message ?? ''}`.trim();
      }
    } catch (e) {
      error = e instanceof HubError ? `${e.code}: ${e.message}` : (e as Error).message;
    }
    if (!results) {
      await reschedule(
        o.db,
        items.map((i) => i.id),
        error,
        retryBaseMs,
        retryMaxMs,
      );
      if (!failing.has(key))
        o.logger.warn({ from, to, items: items.length, err: error }, 'hop failing; messages wait and are retried with back-off');
      failing.add(key);
      return false;
    }
    if (failing.delete(key)) o.logger.info({ from, to }, 'hop recovered');
    await record(
      from,
      to,
      items.map((item, i) => {
        const result = results[i] as HopResult;
        return { item, outcome: result.status, result };
      }),
    );
    return true;
  };

  const flushOnce = async (from: string, to: string): Promise<{ handled: number; more: boolean }> => {
    const items = await claimDue(o.db, from, to, batchSize, leaseMs);
    if (items.length === 0) return { handled: 0, more: false };
    const now = o.clock.now().getTime();
    const expired = items.filter((i) => i.expiresAt.getTime() <= now);
    const live = items.filter((i) => i.expiresAt.getTime() > now);
    await record(
      from,
      to,
      expired.map((item) => ({ item, outcome: 'expired' as const })),
    );
    let handled = expired.length;
    for (const batch of batches(live)) {
      if (!(await send(from, to, batch))) {
        // put back what this pass claimed but did not try, without counting an attempt
        const rest = live.slice(live.indexOf(batch[batch.length - 1] as QueuedItem) + 1).map((i) => i.id);
        if (rest.length) await o.db.query('update transport_queue set lease_until = null where id = any($1::bigint[])', [rest]);
        return { handled, more: false };
      }
      handled += batch.length;
    }
    return { handled, more: items.length === batchSize };
  };

  const flush = async (from: string, to: string): Promise<number> => {
    const key = `${from}>${to}`;
    const state = running.get(key);
    if (state) {
      state.again = true;
      return 0;
    }
    const me = { again: false };
    running.set(key, me);
    let total = 0;
    try {
      for (;;) {
        me.again = false;
        const { handled, more } = await flushOnce(from, to);
        total += handled;
        if (!more && !me.again) break;
      }
    } finally {
      running.delete(key);
      ended.set(key, Date.now());
    }
    return total;
  };

  /** Kicks on their way to the queue: a second kick with the same job ID meanwhile adds nothing. */
  const kicking = new Set<string>();
  const kick = (from: string, to: string, jobId = jobIdOf(from, to)) => {
    const key = `${from}>${to}`;
    const state = running.get(key);
    if (state) {
      // flushing here: it takes one more pass and sees the new rows
      state.again = true;
      return;
    }
    // A flush that has just ended still holds its job ID in the queue until the queue has recorded
    // its completion; a kick under that ID meanwhile would be swallowed and its rows would wait for
    // the sweeper (up to a second). Such a kick gets an ID of its own.
    const end = ended.get(key);
    if (end !== undefined && Date.now() - end < REKICK_WINDOW_MS) jobId = `${jobId}.r${++rekicks}`;
    if (kicking.has(jobId)) return;
    kicking.add(jobId);
    o.driver
      .enqueue(hopQueueOf(from), { from, to }, { jobId, attempts: 1 })
      .catch((e: unknown) => {
        o.logger.debug({ from, to, err: (e as Error).message }, 'hop kick not queued; the sweeper will retry');
      })
      .finally(() => kicking.delete(jobId));
  };

  return {
    kick: (from, to) => kick(from, to),
    flush,
    async sweep(fromCodes) {
      const hops = await dueHops(o.db, fromCodes);
      // Not the kick's job ID: a hop job that a killed process left active (BullMQ finds it stalled only after
      // 30–60 s) or that failed (BullMQ keeps failed jobs) would swallow it. A new ID each lease period.
      const period = Math.floor(o.clock.now().getTime() / leaseMs);
      for (const h of hops) kick(h.fromCode, h.toCode, `${jobIdOf(h.fromCode, h.toCode)}.${period}`);
      return hops.length;
    },
    purge: (retentionMs) => purgeDone(o.db, retentionMs),
    register(fromCodes, concurrency) {
      for (const code of fromCodes)
        o.driver.process<{ from: string; to: string }>(
          hopQueueOf(code),
          async (job) => {
            // A failed job would be kept by the queue and swallow later kicks under its ID; the
            // rows are safe in transport_queue and the sweeper tries them again.
            await flush(job.data.from, job.data.to).catch((e: unknown) => {
              o.logger.warn({ from: job.data.from, to: job.data.to, err: (e as Error).message }, 'hop flush failed; the sweeper retries');
            });
          },
          { concurrency },
        );
    },
  };
}
