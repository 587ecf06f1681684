/**
 * Sealing and opening on worker threads (docs/transport.md, "Performance"): X25519, Ed25519 and
 * AES-GCM are most of an endpoint's CPU per message, and on the event loop they queue every
 * other request behind them. The pool runs `seal` and `finishOpen` (protection.ts) on
 * `threads` workers; `prepareOpen` — parsing, envelope and kid checks, the signer's certificate
 * verdict from the trust cache — stays on the caller's thread, so results and their order of
 * failures are exactly those of `open`. `threads = 0` runs everything inline (same results).
 *
 * Tasks submitted in the same turn of the event loop travel as one message per worker. A
 * worker that dies fails its pending tasks with TRANSPORT_CRYPTO_FAILED (the caller's request
 * fails; nothing was stored) and is replaced on the next task.
 */
import type { KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { HubError } from '../shared/errors.js';
import type { Envelope } from './envelope.js';
import {
  finishOpen,
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

/** One message to a worker: keys it has not seen yet, then the tasks. */
export interface Request {
  readonly batch: number;
  readonly keys: ReadonlyArray<readonly [number, KeyObject]>;
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
  resolve(v: string | OpenResult): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker | undefined;
  readonly sentKeys: Set<number>;
  readonly inFlight: Map<number, Pending[]>;
  queued: Pending[];
}

const WORKER_URL = new URL('./protection-worker.js', import.meta.url);

function crashed(message: string): HubError {
  return new HubError('TRANSPORT_CRYPTO_FAILED', `sealing/opening worker failed: ${message}`);
}

/** Inline pool: the same interface on the caller's thread (threads = 0, and tests). */
function inlinePool(): ProtectionPool {
  return {
    threads: 0,
    seal: (envelope, content, signer, recipient) => Promise.resolve(seal(envelope, content, signer, recipient)),
    open(jwe, expected, decryptionKey, signerKey) {
      const prepared = prepareOpen(jwe, expected, decryptionKey, signerKey);
      return Promise.resolve(prepared.ok ? finishOpen(prepared.job) : prepared);
    },
    close: () => Promise.resolve(),
  };
}

export function createProtectionPool(threads: number): ProtectionPool {
  if (!Number.isInteger(threads) || threads < 0) throw new TypeError(`protection pool: threads must be an integer ≥ 0, got ${threads}`);
  if (threads === 0) return inlinePool();

  const keyIds = new WeakMap<KeyObject, number>();
  const keyObjects = new Map<number, KeyObject>();
  let nextKey = 1;
  let nextBatch = 1;
  let closed = false;
  let scheduled = false;
  let turn = 0;
  const slots: Slot[] = Array.from({ length: threads }, () => ({
    worker: undefined,
    sentKeys: new Set(),
    inFlight: new Map(),
    queued: [],
  }));

  const idOf = (k: KeyObject): number => {
    let id = keyIds.get(k);
    if (id === undefined) {
      id = nextKey++;
      keyIds.set(k, id);
      keyObjects.set(id, k);
    }
    return id;
  };

  const fail = (slot: Slot, error: Error) => {
    for (const list of slot.inFlight.values()) for (const p of list) p.reject(error);
    slot.inFlight.clear();
    slot.sentKeys.clear();
    slot.worker = undefined;
  };

  const start = (slot: Slot): Worker => {
    const w = new Worker(WORKER_URL);
    w.unref(); // never keeps the process alive by itself
    w.on('message', (res: Response) => {
      const list = slot.inFlight.get(res.batch);
      slot.inFlight.delete(res.batch);
      list?.forEach((p, i) => {
        const a = res.answers[i];
        if (!a) p.reject(crashed('no answer for a task'));
        else if (!a.ok) p.reject(crashed(a.message));
        else p.resolve(a.value);
      });
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
      const keys: Array<[number, KeyObject]> = [];
      for (const p of pending) {
        const t = p.task;
        const ids = t.op === 'seal' ? [t.signerKey, t.recipientKey] : 'keyId' in t.signer ? [t.ourKey, t.signer.keyId] : [t.ourKey];
        for (const id of ids)
          if (!slot.sentKeys.has(id)) {
            slot.sentKeys.add(id);
            keys.push([id, keyObjects.get(id) as KeyObject]);
          }
      }
      const batch = nextBatch++;
      slot.inFlight.set(batch, pending);
      worker.postMessage({ batch, keys, tasks: pending.map((p) => p.task) } satisfies Request);
    }
  };

  const submit = (task: Task): Promise<string | OpenResult> =>
    new Promise((resolve, reject) => {
      if (closed) {
        reject(crashed('the pool is closed'));
        return;
      }
      // least loaded worker, ties in turn
      let best = slots[turn++ % slots.length] as Slot;
      for (const s of slots) if (s.queued.length + s.inFlight.size < best.queued.length + best.inFlight.size) best = s;
      best.queued.push({ task, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });

  return {
    threads,
    async seal(envelope, content, signer, recipient) {
      // the same argument checks as seal(), here: a bad key is a bug to report at its source
      if (signer.key.type !== 'private' || signer.key.asymmetricKeyType !== 'ed25519')
        throw new TypeError('seal: the signer key must be an Ed25519 private key');
      if (recipient.key.type !== 'public' || recipient.key.asymmetricKeyType !== 'x25519')
        throw new TypeError('seal: the recipient key must be an X25519 public key');
      const headerEnvelope = { ...envelope }; // a plain object for the structured clone
      return (await submit({
        op: 'seal',
        envelope: headerEnvelope,
        content,
        signerKey: idOf(signer.key),
        signerSerial: signer.serial,
        recipientKey: idOf(recipient.key),
        recipientSerial: recipient.serial,
      })) as string;
    },
    async open(jwe, expected, decryptionKey, signerKey) {
      const prepared = prepareOpen(jwe, expected, decryptionKey, signerKey);
      if (!prepared.ok) return prepared;
      const { parsed, ourKey, signer } = prepared.job;
      const r = (await submit({
        op: 'open',
        parsed,
        ourKey: idOf(ourKey),
        signer: signer.ok ? { keyId: idOf(signer.key) } : signer,
      })) as OpenResult | { ok: false; error: ProtectionFailure };
      // a Buffer arrives as a plain Uint8Array from the worker
      return r.ok ? { ok: true, content: Buffer.from(r.content.buffer, r.content.byteOffset, r.content.byteLength) } : r;
    },
    async close() {
      closed = true;
      await Promise.all(
        slots.map(async (s) => {
          const w = s.worker;
          fail(s, crashed('the pool is closed'));
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
