import assert from 'node:assert/strict';
import { randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { generateKeyPair } from '../../../src/crypto/keys.js';
import type { Envelope } from '../../../src/transport/envelope.js';
import { createProtectionPool, defaultProtectionThreads } from '../../../src/transport/protection-pool.js';
import { open, seal } from '../../../src/transport/protection.js';

const party = (code: string, n: number) => ({
  code,
  // the pool exports keys it sends to a worker: never generateKeyPairSync's own KeyObjects (keys.ts)
  sign: generateKeyPair('ed25519'),
  enc: generateKeyPair('x25519'),
  signSerial: `4${n}00000000000000000000000000005${n}`,
  encSerial: `4${n}00000000000000000000000000006${n}`,
});
const agr = party('10V000000000001A', 1);
const dso = party('10V000000000002B', 2);
const eve = party('10V000000000003C', 3);

const envelope = (): Envelope => ({
  messageId: randomUUID(),
  senderCode: agr.code,
  receiverCode: dso.code,
  businessType: 'A67',
  createdAt: '2026-11-23T10:00:00Z',
  expiresAt: '2026-11-23T11:00:00Z',
});
const signer = { key: agr.sign.privateKey, serial: agr.signSerial };
const toDso = { key: dso.enc.publicKey, serial: dso.encSerial };
const dsoKeys = (kid: string): KeyObject | undefined => (kid === dso.encSerial ? dso.enc.privateKey : undefined);
const eveKeys = (kid: string): KeyObject | undefined => (kid === eve.encSerial ? eve.enc.privateKey : undefined);
const directory = (serial: string, senderCode: string) =>
  serial === agr.signSerial && senderCode === agr.code
    ? { ok: true as const, key: agr.sign.publicKey }
    : { ok: false as const, code: 'CERT_UNKNOWN', detail: `no certificate ${serial} of ${senderCode}` };
const revokedDirectory = (serial: string) => ({ ok: false as const, code: 'CERT_REVOKED', detail: `certificate ${serial} is revoked` });

describe('protection pool (sealing and opening on worker threads)', () => {
  const pool = createProtectionPool(2);
  after(() => pool.close());

  it('seals on a worker what open() on this thread opens, and opens what seal() sealed here', async () => {
    const e = envelope();
    const content = randomBytes(3072);
    const jwe = await pool.seal(e, content, signer, toDso);
    const here = open(jwe, e, dsoKeys, directory);
    assert.ok(here.ok);
    assert.deepEqual(here.content, content);

    const e2 = envelope();
    const there = await pool.open(seal(e2, content, signer, toDso), e2, dsoKeys, directory);
    assert.ok(there.ok);
    assert.ok(Buffer.isBuffer(there.content), 'content comes back as a Buffer');
    assert.deepEqual(there.content, content);
  });

  it('gives exactly the failures open() gives, in the same order of checks', async () => {
    const e = envelope();
    const jwe = seal(e, randomBytes(500), signer, toDso);
    const parts = jwe.split('.');
    const flipped = (i: number) => {
      const p = [...parts];
      const b = Buffer.from(p[i] as string, 'base64url');
      b[b.length - 1] = (b[b.length - 1] as number) ^ 1;
      p[i] = b.toString('base64url');
      return p.join('.');
    };
    const cases: Array<[string, string, Envelope, typeof dsoKeys, typeof directory]> = [
      ['malformed', 'not.a.jwe', e, dsoKeys, directory],
      ['envelope mismatch', jwe, { ...e, businessType: 'A68' }, dsoKeys, directory],
      ['not for us', jwe, e, eveKeys, directory],
      ['tampered ciphertext', flipped(3), e, dsoKeys, directory],
      ['tampered tag', flipped(4), e, dsoKeys, directory],
      ['signer revoked', jwe, e, dsoKeys, revokedDirectory],
    ];
    for (const [name, input, expected, keys, dir] of cases) {
      const inline = open(input, expected, keys, dir);
      const pooled = await pool.open(input, expected, keys, dir);
      assert.deepEqual(pooled, inline, name);
      assert.equal(pooled.ok, false, name);
    }
  });

  it('carries many concurrent tasks, each answered with its own result', async () => {
    const items = Array.from({ length: 64 }, () => ({ e: envelope(), content: randomBytes(100 + Math.floor(Math.random() * 4000)) }));
    const sealed = await Promise.all(items.map((i) => pool.seal(i.e, i.content, signer, toDso)));
    const opened = await Promise.all(sealed.map((jwe, k) => pool.open(jwe, (items[k] as (typeof items)[number]).e, dsoKeys, directory)));
    opened.forEach((o, k) => {
      assert.ok(o.ok);
      assert.deepEqual(o.content, (items[k] as (typeof items)[number]).content);
    });
  });

  it('refuses keys of the wrong type before any work, as seal() does', async () => {
    await assert.rejects(pool.seal(envelope(), Buffer.from('x'), { key: agr.enc.privateKey, serial: 'x' }, toDso), TypeError);
    await assert.rejects(pool.seal(envelope(), Buffer.from('x'), signer, { key: dso.sign.publicKey, serial: 'x' }), TypeError);
  });

  it('fails what is pending and what comes after with TRANSPORT_CRYPTO_FAILED once closed', async () => {
    const p = createProtectionPool(1);
    const pending = p.seal(envelope(), randomBytes(10), signer, toDso);
    await p.close();
    await assert.rejects(pending, { code: 'TRANSPORT_CRYPTO_FAILED' });
    await assert.rejects(p.seal(envelope(), randomBytes(10), signer, toDso), { code: 'TRANSPORT_CRYPTO_FAILED' });
  });

  it('replaces a worker that leaves a batch unanswered too long, failing that batch only', async () => {
    const lost: string[] = [];
    const p = createProtectionPool(1, { taskTimeoutMs: 20, onWorkerLost: (reason) => lost.push(reason) }); // a 64 MB seal takes far longer
    try {
      await assert.rejects(p.seal(envelope(), Buffer.alloc(64 * 1024 * 1024), signer, toDso), {
        code: 'TRANSPORT_CRYPTO_FAILED',
        message: /no answer within 20 ms/,
      });
      // a fresh worker takes the next task (its start-up does not count against the 20 ms; a
      // loaded machine may still miss them once, so a few tries)
      let answered: string | undefined;
      const e = envelope();
      for (let i = 0; i < 5 && !answered; i++) answered = await p.seal(e, Buffer.from('after'), signer, toDso).catch(() => undefined);
      assert.ok(answered, 'the pool serves again');
      assert.ok(lost.length >= 2, 'the stuck task was tried on a second worker before it failed');
      assert.match(lost[0] as string, /no answer within 20 ms/);
      assert.equal((open(answered, e, dsoKeys, directory) as { content: Buffer }).content.toString(), 'after');
    } finally {
      await p.close();
    }
  });

  it('runs inline with 0 threads, with the same results', async () => {
    const inline = createProtectionPool(0);
    assert.equal(inline.threads, 0);
    const e = envelope();
    const opened = await inline.open(await inline.seal(e, Buffer.from('hello'), signer, toDso), e, dsoKeys, directory);
    assert.ok(opened.ok);
    assert.equal(opened.content.toString(), 'hello');
    assert.throws(() => createProtectionPool(-1), TypeError);
  });

  it('keeps one core for the event loop by default, at most 4 workers', () => {
    assert.deepEqual([1, 2, 3, 8, 64].map(defaultProtectionThreads), [0, 1, 2, 4, 4]);
  });
});
