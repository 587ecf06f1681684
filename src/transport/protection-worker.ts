/**
 * Worker-thread side of protection-pool.ts: seals and finishes opens in batches, off the hub's
 * event loop. Keys arrive once per worker as DER (the pool numbers them) and are imported into
 * this thread's own KeyObjects, kept by number.
 * Nothing here touches storage or the network; an exception in one task answers that task only.
 */
import { parentPort } from 'node:worker_threads';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { finishOpen, seal } from './protection.js';
import type { Request, Response } from './protection-pool.js';

const keys = new Map<number, KeyObject>();
const key = (id: number): KeyObject => {
  const k = keys.get(id);
  if (!k) throw new Error(`protection worker: key ${id} was never sent`);
  return k;
};

parentPort?.on('messageerror', (e) => {
  throw e; // the pool sees the worker fail and fails its pending batches
});

parentPort?.on('message', (req: Request) => {
  if (req.reset) keys.clear();
  for (const [id, k] of req.keys) {
    const der = Buffer.from(k.der.buffer, k.der.byteOffset, k.der.byteLength);
    keys.set(
      id,
      k.type === 'private'
        ? createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
        : createPublicKey({ key: der, format: 'der', type: 'spki' }),
    );
  }
  const answers: Response['answers'] = req.tasks.map((t) => {
    try {
      if (t.op === 'seal')
        return {
          ok: true,
          value: seal(
            t.envelope,
            t.content,
            { key: key(t.signerKey), serial: t.signerSerial },
            { key: key(t.recipientKey), serial: t.recipientSerial },
          ),
        };
      const signer = 'keyId' in t.signer ? { ok: true as const, key: key(t.signer.keyId) } : t.signer;
      return { ok: true, value: finishOpen({ parsed: t.parsed, ourKey: key(t.ourKey), signer }) };
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
  });
  parentPort?.postMessage({ batch: req.batch, answers } satisfies Response);
});
