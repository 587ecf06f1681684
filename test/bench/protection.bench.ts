/**
 * Benchmark (prints figures, never fails on time): payload protection of one 3 KB message —
 * sender signs and encrypts, receiver decrypts and verifies — for the implemented scheme and the
 * alternatives ADR 0007 (Decision 3) compared it with, so that its table can be reproduced:
 *
 *  (d) THE IMPLEMENTATION, src/transport/protection.ts: node:crypto Ed25519 signature inside a
 *      standard JWE ECDH-ES+A256KW / A256GCM with an ephemeral X25519 key per message (RFC 7518
 *      Concat KDF), which jose opens (checked below). Also: seal/s, open/s, readProtectedHeader/s
 *      (what a broker does per message) and the wire size.
 *  (a) jose: JWS ES256, nested in JWE ECDH-ES+A256KW / A256GCM to a P-256 key
 *  (b) jose: JWS EdDSA (Ed25519), nested in JWE ECDH-ES+A256KW / A256GCM to an X25519 key
 *  (c) the rejected alternative, node:crypto: Ed25519 signature over envelope + plaintext;
 *      static-static X25519 ECDH → HKDF-SHA256 pair key, cached per (sender certificate, receiver
 *      certificate); per message a random CEK wrapped with AES-256-KW (RFC 3394) and AES-256-GCM
 *      content — written as a compact JWE `{"alg":"A256KW","enc":"A256GCM","kid":<pair key id>,…}`
 *      that jose's compactDecrypt opens with the pair key (checked below).
 *  (c') the same JWE produced and opened by jose (CompactEncrypt/compactDecrypt with alg A256KW).
 * In (c) and (d) the 64-byte signature travels inside the ciphertext, before the content.
 *
 * Every variant is round-tripped (and, for (c)/(d), opened by jose) before it is timed. Each
 * pipeline is timed one message at a time and with 32 in flight; the second run also reports the
 * process CPU time per message (all threads: jose's WebCrypto runs on libuv's pool), which is
 * what the 500 msg/s budget on 2 cores is about (docs/adr/0007).
 *   npm run bench:protection      (BENCH_SECONDS per figure, default 2; BENCH_BYTES, default 3072)
 */
import assert from 'node:assert/strict';
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { availableParallelism, cpus } from 'node:os';
import { CompactEncrypt, CompactSign, compactDecrypt, compactVerify } from 'jose';
import type { Envelope } from '../../src/transport/envelope.js';
import { PROTECTION_FORMAT, open as openImpl, readProtectedHeader, seal as sealImpl } from '../../src/transport/protection.js';

const SIZE = Number(process.env.BENCH_BYTES ?? 3 * 1024);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);

const plaintext = Buffer.from(
  `<?xml version="1.0" encoding="UTF-8"?><PlannedResource_MarketDocument>${'<Point><position>1</position><quantity>12.345</quantity></Point>'.repeat(64)}`,
).subarray(0, SIZE);
const envelope = {
  messageID: '5f0f3c1e-8a5e-4a43-9d5a-3f1f0b1f2a11',
  messageType: 'A01',
  senderCode: '10V1001C--000446',
  receiverCode: '10V1001C--000454',
  sendTimestamp: '2026-11-23T12:00:00.000Z',
};
const enc = new TextEncoder();
const b64u = (b: Buffer | Uint8Array) => Buffer.from(b).toString('base64url');

async function measure(label: string, fn: () => unknown): Promise<number> {
  for (let i = 0; i < 200; i++) await fn(); // warm-up
  let n = 0;
  const t0 = performance.now();
  const until = t0 + SECONDS * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 50; i++) await fn();
    n += 50;
  }
  const opsPerSecond = n / ((performance.now() - t0) / 1000);
  console.log(
    `  ${label.padEnd(44)} ${Math.round(opsPerSecond).toString().padStart(8)} /s  ${(1000 / opsPerSecond).toFixed(3).padStart(7)} ms`,
  );
  return opsPerSecond;
}

export interface Throughput {
  readonly perSecond: number;
  /** CPU time (user + system, all threads of the process) per operation. */
  readonly cpuMs: number;
}

/**
 * Throughput with `concurrency` operations in flight (as a busy transport would run them) and the
 * CPU time each costs. WebCrypto (which jose uses) runs its work on libuv's thread pool, so a
 * one-at-a-time figure measures hand-off latency, not capacity; CPU time per message is what the
 * 500 msg/s budget is about.
 */
async function throughput(label: string, fn: () => unknown, concurrency = 32): Promise<Throughput> {
  await Promise.all(Array.from({ length: 200 }, () => fn()));
  let n = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const until = t0 + SECONDS * 1000;
  while (performance.now() < until) {
    await Promise.all(Array.from({ length: concurrency }, () => fn()));
    n += concurrency;
  }
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const perSecond = n / elapsed;
  const cpuMs = (cpu.user + cpu.system) / 1000 / n;
  console.log(
    `  ${label.padEnd(44)} ${Math.round(perSecond).toString().padStart(8)} /s  ${cpuMs.toFixed(3).padStart(7)} ms CPU each (${concurrency} in flight)`,
  );
  return { perSecond, cpuMs };
}

// ----------------------------------------------------------------------------------------------
// (a) and (b): jose nested JWS-in-JWE
async function joseScheme(
  label: string,
  signAlg: 'ES256' | 'EdDSA',
  sigKeys: { privateKey: KeyObject; publicKey: KeyObject },
  encKeys: { privateKey: KeyObject; publicKey: KeyObject },
) {
  console.log(`\n${label}`);
  const header = { alg: signAlg, kid: 'sender-signing-serial', ...envelope };
  const sealed = async () => {
    const jws = await new CompactSign(plaintext).setProtectedHeader(header).sign(sigKeys.privateKey);
    return new CompactEncrypt(enc.encode(jws))
      .setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: 'receiver-encryption-serial', cty: 'JWT' })
      .encrypt(encKeys.publicKey);
  };
  const open = async (jwe: string) => {
    const { plaintext: inner } = await compactDecrypt(jwe, encKeys.privateKey);
    const { payload } = await compactVerify(Buffer.from(inner).toString(), sigKeys.publicKey, { algorithms: [signAlg] });
    return payload;
  };
  const jwe = await sealed();
  assert.ok(Buffer.from(await open(jwe)).equals(plaintext));
  const jws = await new CompactSign(plaintext).setProtectedHeader(header).sign(sigKeys.privateKey);
  const signOnly = await measure('sign (JWS)', () => new CompactSign(plaintext).setProtectedHeader(header).sign(sigKeys.privateKey));
  const encOnly = await measure('encrypt (JWE, ephemeral ECDH per message)', () =>
    new CompactEncrypt(enc.encode(jws)).setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM' }).encrypt(encKeys.publicKey),
  );
  const decOnly = await measure('decrypt (JWE)', () => compactDecrypt(jwe, encKeys.privateKey));
  const verOnly = await measure('verify (JWS)', () => compactVerify(jws, sigKeys.publicKey, { algorithms: [signAlg] }));
  const sequential = await measure('pipeline sign+encrypt+decrypt+verify', async () => open(await sealed()));
  const pipeline = await throughput('pipeline, concurrent', async () => open(await sealed()));
  console.log(`  wire size ${jwe.length} bytes for ${plaintext.length} bytes of payload`);
  return { signOnly, encOnly, decOnly, verOnly, sequential, pipeline, size: jwe.length };
}

// ----------------------------------------------------------------------------------------------
// (c) node:crypto: Ed25519 + static-static X25519 → HKDF pair key → A256KW + A256GCM, as a JWE
interface PairKey {
  readonly kid: string;
  readonly kek: Buffer;
}
const pairKeys = new Map<string, PairKey>();
const AES_KW_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex');

/** Both sides derive the same key: X25519(own private, peer public), bound to the direction and both certificates. */
function pairKey(ownEncPrivate: KeyObject, peerEncPublic: KeyObject, senderSerial: string, receiverSerial: string): PairKey {
  const id = `${senderSerial}>${receiverSerial}`;
  let k = pairKeys.get(id);
  if (!k) {
    const shared = diffieHellman({ privateKey: ownEncPrivate, publicKey: peerEncPublic });
    const info = Buffer.from(`tps-hub pair key v1|${senderSerial}|${receiverSerial}`);
    const kek = Buffer.from(hkdfSync('sha256', shared, Buffer.from('tps-hub/mades'), info, 32));
    const kid = b64u(createHash('sha256').update(info).digest().subarray(0, 16));
    k = { kid, kek };
    pairKeys.set(id, k);
  }
  return k;
}

function signedBytes(env: typeof envelope, content: Buffer): Buffer {
  // canonical: the envelope fields in a fixed order, NUL-separated, then the content
  const head = Buffer.from([env.messageID, env.messageType, env.senderCode, env.receiverCode, env.sendTimestamp].join('\0') + '\0');
  return Buffer.concat([head, content]);
}

function sealNode(content: Buffer, signKey: KeyObject, pk: PairKey): string {
  const signature = sign(null, signedBytes(envelope, content), signKey); // 64 bytes, inside the ciphertext
  const cek = randomBytes(32);
  const kw = createCipheriv('id-aes256-wrap', pk.kek, AES_KW_IV);
  const wrapped = Buffer.concat([kw.update(cek), kw.final()]);
  const protectedHeader = b64u(Buffer.from(JSON.stringify({ alg: 'A256KW', enc: 'A256GCM', kid: pk.kid, cty: 'tps-signed', ...envelope })));
  const iv = randomBytes(12);
  const gcm = createCipheriv('aes-256-gcm', cek, iv);
  gcm.setAAD(Buffer.from(protectedHeader, 'ascii'));
  const ciphertext = Buffer.concat([gcm.update(signature), gcm.update(content), gcm.final()]);
  return `${protectedHeader}.${b64u(wrapped)}.${b64u(iv)}.${b64u(ciphertext)}.${b64u(gcm.getAuthTag())}`;
}

function openNode(jwe: string, verifyKey: KeyObject, pk: PairKey): Buffer {
  const [h, w, i, c, t] = jwe.split('.');
  if (h === undefined || w === undefined || i === undefined || c === undefined || t === undefined) throw new Error('not a compact JWE');
  const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as typeof envelope & { kid: string };
  if (header.kid !== pk.kid) throw new Error('wrong pair key');
  const kw = createDecipheriv('id-aes256-wrap', pk.kek, AES_KW_IV);
  const cek = Buffer.concat([kw.update(Buffer.from(w, 'base64url')), kw.final()]);
  const gcm = createDecipheriv('aes-256-gcm', cek, Buffer.from(i, 'base64url'));
  gcm.setAAD(Buffer.from(h, 'ascii'));
  gcm.setAuthTag(Buffer.from(t, 'base64url'));
  const inner = Buffer.concat([gcm.update(Buffer.from(c, 'base64url')), gcm.final()]);
  const signature = inner.subarray(0, 64);
  const content = inner.subarray(64);
  if (!verify(null, signedBytes(header, content), verifyKey, signature)) throw new Error('bad signature');
  return content;
}

async function nodeScheme() {
  console.log('\n(c) node:crypto Ed25519 + X25519 static-static pair key → A256KW + A256GCM (JWE)');
  const senderSign = generateKeyPairSync('ed25519');
  const senderEnc = generateKeyPairSync('x25519');
  const receiverEnc = generateKeyPairSync('x25519');
  const sSerial = '4A0000000000000000000000000000A1';
  const rSerial = '4B0000000000000000000000000000B2';
  const atSender = pairKey(senderEnc.privateKey, receiverEnc.publicKey, sSerial, rSerial);
  pairKeys.clear();
  const atReceiver = pairKey(receiverEnc.privateKey, senderEnc.publicKey, sSerial, rSerial);
  assert.ok(atSender.kek.equals(atReceiver.kek), 'both sides derive the same pair key');
  const jwe = sealNode(plaintext, senderSign.privateKey, atSender);
  assert.ok(openNode(jwe, senderSign.publicKey, atReceiver).equals(plaintext));
  // interoperability: jose opens our JWE with the pair key (alg A256KW)
  const viaJose = await compactDecrypt(jwe, atReceiver.kek);
  assert.equal(viaJose.protectedHeader.alg, 'A256KW');
  assert.ok(Buffer.from(viaJose.plaintext).subarray(64).equals(plaintext));
  // tampering is detected (ciphertext, header)
  const parts = jwe.split('.');
  assert.throws(() =>
    openNode([parts[0], parts[1], parts[2], `A${(parts[3] ?? '').slice(1)}`, parts[4]].join('.'), senderSign.publicKey, atReceiver),
  );

  const derive = await measure('pair key derivation (first contact only)', () => {
    pairKeys.clear();
    return pairKey(senderEnc.privateKey, receiverEnc.publicKey, sSerial, rSerial);
  });
  const signOnly = await measure('Ed25519 sign', () => sign(null, signedBytes(envelope, plaintext), senderSign.privateKey));
  const sig = sign(null, signedBytes(envelope, plaintext), senderSign.privateKey);
  const verOnly = await measure('Ed25519 verify', () => verify(null, signedBytes(envelope, plaintext), senderSign.publicKey, sig));
  const seal = await measure('seal (sign + CEK + A256KW + A256GCM)', () => sealNode(plaintext, senderSign.privateKey, atSender));
  const open = await measure('open (unwrap + decrypt + verify)', () => openNode(jwe, senderSign.publicKey, atReceiver));
  const roundTrip = () => openNode(sealNode(plaintext, senderSign.privateKey, atSender), senderSign.publicKey, atReceiver);
  const sequential = await measure('pipeline seal+open', roundTrip);
  const pipeline = await throughput('pipeline, concurrent', roundTrip);
  console.log(`  wire size ${jwe.length} bytes for ${plaintext.length} bytes of payload`);

  console.log("\n(c') the same JWE (alg A256KW, kid = pair key) produced and opened by jose");
  const joseSeal = async () => {
    const signature = sign(null, signedBytes(envelope, plaintext), senderSign.privateKey);
    return new CompactEncrypt(Buffer.concat([signature, plaintext]))
      .setProtectedHeader({ alg: 'A256KW', enc: 'A256GCM', kid: atSender.kid, cty: 'tps-signed', ...envelope })
      .encrypt(atSender.kek);
  };
  const joseOpen = async (token: string) => {
    const { plaintext: inner, protectedHeader } = await compactDecrypt(token, atReceiver.kek);
    const b = Buffer.from(inner);
    if (!verify(null, signedBytes(protectedHeader as unknown as typeof envelope, b.subarray(64)), senderSign.publicKey, b.subarray(0, 64)))
      throw new Error('bad signature');
    return b.subarray(64);
  };
  assert.ok((await joseOpen(await joseSeal())).equals(plaintext));
  assert.ok(openNode(await joseSeal(), senderSign.publicKey, atReceiver).equals(plaintext), 'jose-made JWE opens with node:crypto');
  await measure('pipeline seal+open (jose JWE, node Ed25519)', async () => joseOpen(await joseSeal()));
  const josePipeline = await throughput('pipeline, concurrent', async () => joseOpen(await joseSeal()));
  return { derive, signOnly, verOnly, seal, open, sequential, pipeline, josePipeline, size: jwe.length };
}

// ----------------------------------------------------------------------------------------------
// (d) the implementation: src/transport/protection.ts
async function implementedScheme() {
  console.log(`\n(d) src/transport/protection.ts (${PROTECTION_FORMAT}): Ed25519 inside JWE ECDH-ES+A256KW/A256GCM, ephemeral X25519`);
  const senderSign = generateKeyPairSync('ed25519');
  const receiverEnc = generateKeyPairSync('x25519');
  const signer = { key: senderSign.privateKey, serial: '4A0000000000000000000000000000A1' };
  const recipient = { key: receiverEnc.publicKey, serial: '4B0000000000000000000000000000B2' };
  const env: Envelope = {
    messageId: envelope.messageID,
    senderCode: envelope.senderCode,
    receiverCode: envelope.receiverCode,
    businessType: envelope.messageType,
    createdAt: envelope.sendTimestamp,
    expiresAt: '2026-11-23T13:00:00.000Z',
  };
  const decryptionKey = (kid: string) => (kid === recipient.serial ? receiverEnc.privateKey : undefined);
  const signerKey = () => ({ ok: true as const, key: senderSign.publicKey });
  const openOrThrow = (jwe: string) => {
    const r = openImpl(jwe, env, decryptionKey, signerKey);
    if (!r.ok) throw new Error(`${r.error.reason}: ${r.error.detail}`);
    return r.content;
  };
  const jwe = sealImpl(env, plaintext, signer, recipient);
  assert.ok(openOrThrow(jwe).equals(plaintext));
  // interoperability: a standard JWE that jose opens with the receiver's X25519 key
  const viaJose = await compactDecrypt(jwe, receiverEnc.privateKey);
  assert.ok(Buffer.from(viaJose.plaintext).subarray(64).equals(plaintext));

  const seal = await measure('seal (sign + ephemeral ECDH + KW + GCM)', () => sealImpl(env, plaintext, signer, recipient));
  const open = await measure('open (parse + ECDH + unwrap + GCM + verify)', () => openOrThrow(jwe));
  const header = await measure('readProtectedHeader (broker, no decryption)', () => readProtectedHeader(jwe));
  const roundTrip = () => openOrThrow(sealImpl(env, plaintext, signer, recipient));
  const sequential = await measure('pipeline seal+open', roundTrip);
  const pipeline = await throughput('pipeline, concurrent', roundTrip);
  console.log(`  wire size ${jwe.length} bytes for ${plaintext.length} bytes of payload`);
  return { seal, open, header, sequential, pipeline, size: jwe.length };
}

async function main() {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `payload protection, ${plaintext.length}-byte message, Node ${process.version}, ${availableParallelism()} cores (${cpu}), ${SECONDS} s per figure`,
  );
  const a = await joseScheme(
    '(a) jose JWS ES256 + JWE ECDH-ES+A256KW/A256GCM (P-256)',
    'ES256',
    generateKeyPairSync('ec', { namedCurve: 'P-256' }),
    generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  );
  const b = await joseScheme(
    '(b) jose JWS EdDSA + JWE ECDH-ES+A256KW/A256GCM (X25519)',
    'EdDSA',
    generateKeyPairSync('ed25519'),
    generateKeyPairSync('x25519'),
  );
  const c = await nodeScheme();
  const d = await implementedScheme();
  const share = (t: Throughput) =>
    `${Math.round(t.perSecond)} pipelines/s, ${t.cpuMs.toFixed(3)} ms CPU each → 500 msg/s uses ${((500 * t.cpuMs) / 10).toFixed(1)}% of one core (${((500 * t.cpuMs) / 20).toFixed(1)}% of 2 cores)`;
  console.log('\nCPU for 500 msg/s end to end (sender and receiver work both counted):');
  console.log(`  (a)  ${share(a.pipeline)}`);
  console.log(`  (b)  ${share(b.pipeline)}`);
  console.log(`  (c)  ${share(c.pipeline)}`);
  console.log(`  (c') ${share(c.josePipeline)}`);
  console.log(`  (d)  ${share(d.pipeline)}   ← implemented`);
  console.log(
    `\n(d) implemented: seal ${Math.round(d.seal)}/s, open ${Math.round(d.open)}/s, both ends ${Math.round(d.sequential)}/s sequential, ` +
      `${d.pipeline.cpuMs.toFixed(3)} ms CPU per message concurrent, ${d.size} bytes on the wire for ${plaintext.length} bytes`,
  );
}

await main();
