import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Envelope } from '../../../src/transport/envelope.js';
import { PairKeyCache, protect, unprotect, type Protection, type SenderPublic } from '../../../src/transport/protection.js';

interface Party {
  code: string;
  sign: { privateKey: KeyObject; publicKey: KeyObject };
  enc: { privateKey: KeyObject; publicKey: KeyObject };
  signId: string;
  encId: string;
}
const party = (code: string, n: number): Party => ({
  code,
  sign: generateKeyPairSync('ed25519'),
  enc: generateKeyPairSync('x25519'),
  signId: `s${n}`,
  encId: `e${n}`,
});
const agr = party('10V000000000001A', 1);
const dso = party('10V000000000002B', 2);
const eve = party('10V000000000003C', 3);
const env: Envelope = {
  messageId: '6f1c2c4e-1b7a-4c55-9a57-0d4c7a3c8e11',
  senderCode: agr.code,
  receiverCode: dso.code,
  businessType: 'A67',
  baMessageId: 'schedule-2026-11-24',
  createdAt: '2026-11-23T10:00:00Z',
  expiresAt: '2026-11-23T11:00:00Z',
};
const content = randomBytes(3000);
const directory = (serialSign: string, serialEnc: string): SenderPublic | undefined =>
  [agr, dso, eve].find((p) => p.signId === serialSign && p.encId === serialEnc)
    ? {
        signingKey: [agr, dso, eve].find((p) => p.signId === serialSign)!.sign.publicKey,
        encryptionKey: [agr, dso, eve].find((p) => p.encId === serialEnc)!.enc.publicKey,
      }
    : undefined;
const senderKeys = (p: Party) => ({
  signingKey: p.sign.privateKey,
  signingKeyId: p.signId,
  encryptionKey: p.enc.privateKey,
  encryptionKeyId: p.encId,
});
const recipient = (p: Party) => ({ encryptionKey: p.enc.privateKey, encryptionKeyId: p.encId });
const seal = (e: Envelope = env, from: Party = agr, to: Party = dso) =>
  protect(e, content, senderKeys(from), { encryptionKey: to.enc.publicKey, encryptionKeyId: to.encId }, new PairKeyCache());
const open = (e: Envelope, p: Protection, to: Party = dso) => unprotect(e, p, recipient(to), directory, new PairKeyCache());

describe('payload protection (Ed25519 + X25519 + AES-256-GCM)', () => {
  it('gives the receiver exactly the content the sender protected', () => {
    const r = open(env, seal());
    assert.ok(r.ok);
    assert.deepEqual(r.content, content);
  });

  it('hides the content from whoever relays it', () => {
    const p = seal();
    assert.equal(Buffer.from(p.ct, 'base64url').includes(content.subarray(0, 32)), false);
  });

  for (const [field, value] of [
    ['businessType', 'A65'],
    ['receiverCode', eve.code],
    ['expiresAt', '2026-12-31T00:00:00Z'],
    ['messageId', '00000000-0000-4000-8000-000000000000'],
  ] as const) {
    it(`rejects a message whose envelope ${field} was altered in transit`, () => {
      const r = open({ ...env, [field]: value }, seal());
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.error.reason, 'decryption_failed');
    });
  }

  it('rejects altered ciphertext', () => {
    const p = seal();
    const ct = Buffer.from(p.ct, 'base64url');
    ct[100] = (ct[100] ?? 0) ^ 1;
    const r = open(env, { ...p, ct: ct.toString('base64url') });
    assert.equal(!r.ok && r.error.reason, 'decryption_failed');
  });

  it('refuses a payload encrypted for someone else', () => {
    const r = open(env, seal(env, agr, eve));
    assert.equal(!r.ok && r.error.reason, 'not_for_us');
  });

  it('cannot be opened by a third party that relabels the recipient certificate', () => {
    const p = seal(env, agr, dso);
    const r = unprotect(env, { ...p, to: eve.encId }, recipient(eve), directory, new PairKeyCache());
    assert.equal(!r.ok && r.error.reason, 'decryption_failed');
  });

  it('rejects a signature by a key other than the named signing certificate', () => {
    // Eve signs, but names AGR's signing certificate: the signature does not verify against it.
    const forged = protect(
      env,
      content,
      { ...senderKeys(agr), signingKey: eve.sign.privateKey },
      { encryptionKey: dso.enc.publicKey, encryptionKeyId: dso.encId },
      new PairKeyCache(),
    );
    const r = open(env, forged);
    assert.equal(!r.ok && r.error.reason, 'bad_signature');
  });

  it('rejects certificates the directory does not know (unknown or revoked)', () => {
    const r = open(env, { ...seal(), sig: 'revoked-serial' });
    assert.equal(!r.ok && r.error.reason, 'unknown_key');
  });

  it('rejects a malformed protection block', () => {
    assert.equal(((r) => !r.ok && r.error.reason)(open(env, { ...seal(), iv: 'AA' })), 'malformed');
  });

  it('uses a fresh key and IV per message, so equal contents give different ciphertexts', () => {
    assert.notEqual(seal().ct, seal().ct);
  });
});
