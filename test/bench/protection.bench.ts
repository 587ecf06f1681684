/**
 * Benchmark (prints figures, never fails on time): payload protection of a 3 KB message —
 * protect (sign + encrypt) and unprotect (decrypt + verify) per second on one core, with the
 * pair key cached as in steady operation.   npm run bench:protection
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { PairKeyCache, protect, unprotect } from '../../src/transport/protection.js';

const N = Number(process.env.BENCH_N ?? 5000);
const a = { sign: generateKeyPairSync('ed25519'), enc: generateKeyPairSync('x25519') };
const b = { enc: generateKeyPairSync('x25519') };
const content = randomBytes(3 * 1024);
const senderCache = new PairKeyCache();
const receiverCache = new PairKeyCache();
const sender = { signingKey: a.sign.privateKey, signingKeyId: 'sa', encryptionKey: a.enc.privateKey, encryptionKeyId: 'ea' };
const to = { encryptionKey: b.enc.publicKey, encryptionKeyId: 'eb' };
const envs = Array.from({ length: N }, () => ({
  messageId: randomUUID(),
  senderCode: '10V000000000001A',
  receiverCode: '10V000000000002B',
  businessType: 'A67',
  createdAt: '2026-11-23T10:00:00Z',
  expiresAt: '2026-11-23T11:00:00Z',
}));
let t = performance.now();
const sealed = envs.map((e) => protect(e, content, sender, to, senderCache));
const protectRate = N / ((performance.now() - t) / 1000);
t = performance.now();
for (let i = 0; i < N; i++) {
  const r = unprotect(
    envs[i]!,
    sealed[i]!,
    { encryptionKey: b.enc.privateKey, encryptionKeyId: 'eb' },
    () => ({ signingKey: a.sign.publicKey, encryptionKey: a.enc.publicKey }),
    receiverCache,
  );
  if (!r.ok) throw new Error(r.error.detail);
}
const unprotectRate = N / ((performance.now() - t) / 1000);
console.log(`payload protection, 3 KB content, ${N} messages, one core`);
console.log(`protect   (Ed25519 sign + AES-256-GCM)      ${Math.round(protectRate).toLocaleString('en')}/s`);
console.log(`unprotect (AES-256-GCM + Ed25519 verify)    ${Math.round(unprotectRate).toLocaleString('en')}/s`);
console.log(`both ends of one message                    ${Math.round(1 / (1 / protectRate + 1 / unprotectRate)).toLocaleString('en')}/s`);
