/**
 * Sealing and opening on worker threads (docs/transport.md, "Performance"): X25519, Ed25519 and
 * AES-GCM are most of an endpoint's CPU per message, and on the event loop they queue every
 * other request behind them. The pool runs `seal` and `finishOpen` (protection.ts) on
 * `threads` workers; `prepareOpen` — parsing, envelope and kid checks, the signer's certificate
 * verdict from the trust cache — stays on the caller's thread, so results and their order of
 * failures are exactly those of `open`. `threads = 0` runs everything inline (same results).
 *
 * Tasks submitted in the same turn of the event loop travel as one message per worker. A
 * worker that dies, or leaves a batch unanswered for `taskTimeoutMs`, is replaced and its
 * pending tasks run once more on the new one; a task that fails twice fails its caller with
 * TRANSPORT_CRYPTO_FAILED (the request fails; nothing was stored).
 */
import type { KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { HubError } from '../shared/errors.js';
import type { Envelope } from './envelope.js';
import {
  checkSealKeys,
  open,
  prepareOpen,
  seal,
  type OpenResult,
  type ParsedJwe,
  type ProtectionFailure,
  type Recipient,
  type Signer,
} from './protection.js';

type SignerVerdict = { ok: true; key: KeyObject } | { ok: false; code: string; detail: string };

type Task =
  | {
      readonly op: 'seal';
      readonly envelope: Envelope;
      readonly content: Uint8Array;
      readonly signerKey: number;
      readonly signerSerial: string;
      readonly recipientKey: number;
      readonly recipientSerial: string;
    }
  | {
      readonly op: 'open';
      readonly parsed: ParsedJwe;
      readonly ourKey: number;
      readonly signer: { readonly keyId: number } | { readonly ok: false; readonly code: string; readonly detail: string };
    };

/**
 * A key as a worker receives it: DER bytes it imports into a KeyObject of its own, so no OpenSSL
 * key object is ever shared between threads.
 */
export interface KeyMaterial {
  readonly type: 'private' | 'public';
  readonly der: Uint8Array;
}

/** One message to a worker: keys it has not seen yet, then the tasks. */
export interface Request {
  readonly batch: number;
  /** Forget every key sent before this request. */
  readonly reset: boolean;
  readonly keys: ReadonlyArray<readonly [number, KeyMaterial]>;
  readonly tasks: readonly Task[];
}

/** A worker's answer to one Request, one answer per task in order. */
export interface Response {
  readonly batch: number;
  readonly answers: ReadonlyArray<{ ok: true; value: string | OpenResult } | { ok: false; message: string }>;
}

export interface ProtectionPool {
  readonly threads: number;
  seal(envelope: Envelope, content: Uint8Array, signer: Signer, recipient: Recipient): Promise<string>;
  open(
    jwe: string,
    expected: Envelope,
    decryptionKey: (kid: string) => KeyObject | undefined,
    signerKey: (serial: string, senderCode: string) => SignerVerdict,
  ): Promise<OpenResult>;
  /** Stops the workers; tasks still pending fail. */
  close(): Promise<void>;
}

interface Pending {
  readonly task: Task;
  /** Times a worker failed or timed out while holding this task (it is retried once). */
  failures: number;
  /** The KeyObjects the task names by number, sent along to a worker that has not seen them. */
  readonly keys: readonly KeyObject[];
  resolve(v: string | OpenResult): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker | undefined;
  readonly sentKeys: Set<number>;
  /** Batches posted and not answered yet, with when they were posted. */
  readonly inFlight: Map<number, { readonly pending: Pending[]; readonly postedAt: number }>;
  /** When the current worker started running code (its start-up does not count against a batch). */
  onlineAt: number | undefined;
  queued: Pending[];
}

const WORKER_URL = new URL('./protection-worker.js', import.meta.url);
/** Keys a worker may collect before it is told to forget them all. */
const MAX_WORKER_KEYS = 1_000;

function crashed(message: string): HubError {
  return new HubError('TRANSPORT_CRYPTO_FAILED', `sealing/opening worker failed: ${message}`);
}

/** Inline pool: the same interface on the caller's thread (threads = 0, and tests). */
function inlinePool(): ProtectionPool {
  return {
    threads: 0,
    seal: (envelope, content, signer, recipient) => Promise.resolve(seal(envelope, content, signer, recipient)),
    open: (jwe, expected, decryptionKey, signerKey) => Promise.resolve(open(jwe, expected, decryptionKey, signerKey)),
    close: () => Promise.resolve(),
  };
}

/** How long a worker may leave a batch unanswered before it is replaced (default 10 s). */
export const DEFAULT_TASK_TIMEOUT_MS = 10_000;

export interface ProtectionPoolOptions {
  /** Default DEFAULT_TASK_TIMEOUT_MS. */
  readonly taskTimeoutMs?: number;
  /** Told when a worker is replaced (crashed or timed out), with how many tasks it held. */
  onWorkerLost?(reason: string, tasks: number): void;
}

export function createProtectionPool(threads: number, options: ProtectionPoolOptions = {}): ProtectionPool {
  const taskTimeoutMs = options.taskTimeoutMs ?? DEFAULT_TASK_TIMEOUT_MS;
  if (!Number.isInteger(threads) || threads < 0) throw new TypeError(`protection pool: threads must be an integer ≥ 0, got ${threads}`);
  if (threads === 0) return inlinePool();

  const keyIds = new WeakMap<KeyObject, number>();
  const materials = new WeakMap<KeyObject, KeyMaterial>();
  let nextKey = 1;
  let nextBatch = 1;
  let closed = false;
  let scheduled = false;
  let turn = 0;
  const slots: Slot[] = Array.from({ length: threads }, () => ({
    worker: undefined,
    sentKeys: new Set(),
    inFlight: new Map(),
    onlineAt: undefined,
    queued: [],
  }));

  const idOf = (k: KeyObject): number => {
    let id = keyIds.get(k);
    if (id === undefined) {
      id = nextKey++;
      keyIds.set(k, id);
    }
    return id;
  };

  const materialOf = (k: KeyObject): KeyMaterial => {
    let m = materials.get(k);
    if (!m) {
      m =
        k.type === 'private'
          ? { type: 'private', der: k.export({ format: 'der', type: 'pkcs8' }) }
          : { type: 'public', der: k.export({ format: 'der', type: 'spki' }) };
      materials.set(k, m);
    }
    return m;
  };

  /**
   * The slot's worker is gone (crashed, timed out, closed): its batches are put back once on a
   * fresh worker — the tasks are pure, nothing was returned for them — and fail the second time.
   */
  const fail = (slot: Slot, error: Error, retry = true) => {
    const held = [...slot.inFlight.values()].reduce((n, b) => n + b.pending.length, 0);
    if (retry && !closed) options.onWorkerLost?.(error.message, held);
    const again: Pending[] = [];
    for (const { pending } of slot.inFlight.values())
      for (const p of pending) {
        p.failures += 1;
        if (retry && !closed && p.failures < 2) again.push(p);
        else p.reject(error);
      }
    slot.inFlight.clear();
    slot.sentKeys.clear();
    slot.worker = undefined;
    slot.onlineAt = undefined;
    if (again.length) {
      slot.queued.unshift(...again);
      schedule();
    }
  };

  const schedule = () => {
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };

  const start = (slot: Slot): Worker => {
    const w = new Worker(WORKER_URL);
    w.unref(); // never keeps the process alive by itself
    w.once('online', () => {
      if (slot.worker === w) slot.onlineAt = Date.now();
    });
    w.on('message', (res: Response) => {
      const posted = slot.inFlight.get(res.batch);
      slot.inFlight.delete(res.batch);
      posted?.pending.forEach((p, i) => {
        const a = res.answers[i];
        if (!a) p.reject(crashed('no answer for a task'));
        else if (!a.ok) p.reject(crashed(a.message));
        else p.resolve(a.value);
      });
    });
    w.on('messageerror', (e) => {
      if (slot.worker === w) fail(slot, crashed(`an answer could not be read: ${e.message}`));
    });
    w.on('error', (e) => {
      if (slot.worker === w) fail(slot, crashed(e.message));
    });
    w.on('exit', (code) => {
      if (slot.worker === w) fail(slot, crashed(`exited with code ${code}`));
    });
    slot.worker = w;
    return w;
  };

  const flush = () => {
    scheduled = false;
    for (const slot of slots) {
      if (slot.queued.length === 0) continue;
      const pending = slot.queued;
      slot.queued = [];
      const worker = slot.worker ?? start(slot);
      // a worker keeps the keys it was sent; one that has collected many (directory changes) starts afresh
      const reset = slot.sentKeys.size > MAX_WORKER_KEYS;
      if (reset) slot.sentKeys.clear();
      const keys: Array<[number, KeyMaterial]> = [];
      for (const p of pending)
        for (const k of p.keys) {
          const id = idOf(k);
          if (!slot.sentKeys.has(id)) {
            slot.sentKeys.add(id);
            keys.push([id, materialOf(k)]);
          }
        }
      const batch = nextBatch++;
      slot.inFlight.set(batch, { pending, postedAt: Date.now() });
      worker.postMessage({ batch, reset, keys, tasks: pending.map((p) => p.task) } satisfies Request);
    }
  };

  // Watchdog: a worker that leaves a batch unanswered for taskTimeoutMs is replaced and the
  // batch's callers get TRANSPORT_CRYPTO_FAILED (a wedged worker must not hold requests forever).
  const watchdog = setInterval(
    () => {
      const now = Date.now();
      for (const slot of slots) {
        if (!slot.worker || slot.onlineAt === undefined) continue;
        const oldest = Math.max(slot.onlineAt, Math.min(...[...slot.inFlight.values()].map((b) => b.postedAt)));
        if (now - oldest > taskTimeoutMs) {
          const w = slot.worker;
          // how busy its event loop was since it started: stuck in a task, or waiting for a message?
          const busy = Math.round(100 * w.performance.eventLoopUtilization().utilization);
          fail(
            slot,
            crashed(`no answer within ${taskTimeoutMs} ms (worker busy ${busy} % of its life, ${slot.inFlight.size} batches waiting)`),
          );
          void w.terminate();
        }
      }
    },
    Math.max(50, Math.min(5_000, taskTimeoutMs / 4)),
  );
  watchdog.unref();

  const submit = (task: Task, keys: readonly KeyObject[]): Promise<string | OpenResult> =>
    new Promise((resolve, reject) => {
      if (closed) {
        reject(crashed('the pool is closed'));
        return;
      }
      // least loaded worker, ties in turn
      let best = slots[turn++ % slots.length] as Slot;
      for (const s of slots) if (s.queued.length + s.inFlight.size < best.queued.length + best.inFlight.size) best = s;
      best.queued.push({ task, keys, failures: 0, resolve, reject });
      schedule();
    });

  return {
    threads,
    async seal(envelope, content, signer, recipient) {
      checkSealKeys(signer, recipient); // a bad key is a bug: reported here, at its source
      return (await submit(
        {
          op: 'seal',
          envelope,
          content,
          signerKey: idOf(signer.key),
          signerSerial: signer.serial,
          recipientKey: idOf(recipient.key),
          recipientSerial: recipient.serial,
        },
        [signer.key, recipient.key],
      )) as string;
    },
    async open(jwe, expected, decryptionKey, signerKey) {
      const prepared = prepareOpen(jwe, expected, decryptionKey, signerKey);
      if (!prepared.ok) return prepared;
      const { parsed, ourKey, signer } = prepared.job;
      const r = (await submit(
        { op: 'open', parsed, ourKey: idOf(ourKey), signer: signer.ok ? { keyId: idOf(signer.key) } : signer },
        signer.ok ? [ourKey, signer.key] : [ourKey],
      )) as OpenResult | { ok: false; error: ProtectionFailure };
      // a Buffer arrives as a plain Uint8Array from the worker
      return r.ok ? { ok: true, content: Buffer.from(r.content.buffer, r.content.byteOffset, r.content.byteLength) } : r;
    },
    async close() {
      closed = true;
      clearInterval(watchdog);
      await Promise.all(
        slots.map(async (s) => {
          const w = s.worker;
          fail(s, crashed('the pool is closed'), false);
          for (const p of s.queued) p.reject(crashed('the pool is closed'));
          s.queued = [];
          if (w) await w.terminate();
        }),
      );
    },
  };
}

/** Default worker count: one per core beyond the first (the event loop keeps one), at most 4. */
export function defaultProtectionThreads(cores: number): number {
  return Math.max(0, Math.min(4, cores - 1));
}
