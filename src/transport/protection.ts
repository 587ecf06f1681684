/**
 * End-to-end payload protection between endpoints (docs/transport.md, ADR 0007).
 *
 * - Signing: Ed25519 (RFC 8032) by the sender's directory-issued signing key over
 *   SHA-256(canonical envelope) ‖ SHA-256(content): non-repudiable origin, bound to the envelope.
 * - Encryption: static-static X25519 (RFC 7748) between the sender's and the receiver's
 *   encryption keys → HKDF-SHA256 pair key (cached per key pair) → a key per message by
 *   HKDF(pair key, messageId) → AES-256-GCM over signature ‖ content, with the canonical
 *   envelope as additional authenticated data. The broker sees neither content nor signature,
 *   and any change to the envelope or ciphertext makes decryption fail.
 * A fresh key per message means a nonce is never reused under one key.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  diffieHellman,
  hkdfSync,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { canonicalEnvelope, type Envelope } from './envelope.js';

export const PROTECTION_VERSION = 'tps-hub/p1';
const SIGNATURE_BYTES = 64;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SenderKeys {
  readonly signingKey: KeyObject; // Ed25519 private
  readonly signingKeyId: string; // certificate serial
  readonly encryptionKey: KeyObject; // X25519 private
  readonly encryptionKeyId: string;
}

export interface RecipientPublic {
  readonly encryptionKey: KeyObject; // X25519 public
  readonly encryptionKeyId: string;
}

/** What travels next to the envelope. Binary fields are base64url. */
export interface Protection {
  readonly v: typeof PROTECTION_VERSION;
  /** Serial of the sender's signing certificate. */
  readonly sig: string;
  /** Serials of the sender's and the recipient's encryption certificates. */
  readonly from: string;
  readonly to: string;
  readonly iv: string;
  /** AES-GCM ciphertext of signature ‖ content, followed by the 16-byte tag. */
  readonly ct: string;
}

export type UnprotectFailure =
  | { readonly reason: 'unknown_key'; readonly detail: string }
  | { readonly reason: 'not_for_us'; readonly detail: string }
  | { readonly reason: 'decryption_failed'; readonly detail: string }
  | { readonly reason: 'bad_signature'; readonly detail: string }
  | { readonly reason: 'malformed'; readonly detail: string };

export interface SenderPublic {
  readonly signingKey: KeyObject; // Ed25519 public
  readonly encryptionKey: KeyObject; // X25519 public
}

/** Pair keys are the expensive part (one X25519 agreement); cache them per key pair. */
export class PairKeyCache {
  readonly #keys = new Map<string, Buffer>();
  constructor(private readonly max = 10_000) {}

  get(ownPrivate: KeyObject, ownId: string, peerPublic: KeyObject, peerId: string, senderId: string, recipientId: string): Buffer {
    const cacheKey = `${ownId}|${peerId}`;
    let k = this.#keys.get(cacheKey);
    if (!k) {
      const shared = diffieHellman({ privateKey: ownPrivate, publicKey: peerPublic });
      // info names the direction-independent pair (sender id first), so both sides derive the same key.
      k = Buffer.from(hkdfSync('sha256', shared, Buffer.alloc(0), `${PROTECTION_VERSION}|${senderId}|${recipientId}`, 32));
      if (this.#keys.size >= this.max) this.#keys.clear();
      this.#keys.set(cacheKey, k);
    }
    return k;
  }
}

const messageKey = (pairKey: Buffer, messageId: string) =>
  Buffer.from(hkdfSync('sha256', pairKey, Buffer.alloc(0), `msg|${messageId}`, 32));

function signedDigest(envelopeBytes: Buffer, content: Uint8Array): Buffer {
  return Buffer.concat([createHash('sha256').update(envelopeBytes).digest(), createHash('sha256').update(content).digest()]);
}

export function protect(
  envelope: Envelope,
  content: Uint8Array,
  sender: SenderKeys,
  recipient: RecipientPublic,
  cache: PairKeyCache,
): Protection {
  const env = canonicalEnvelope(envelope);
  const signature = sign(null, signedDigest(env, content), sender.signingKey);
  const pair = cache.get(
    sender.encryptionKey,
    sender.encryptionKeyId,
    recipient.encryptionKey,
    recipient.encryptionKeyId,
    sender.encryptionKeyId,
    recipient.encryptionKeyId,
  );
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', messageKey(pair, envelope.messageId), iv);
  cipher.setAAD(env);
  const ct = Buffer.concat([cipher.update(signature), cipher.update(content), cipher.final(), cipher.getAuthTag()]);
  return {
    v: PROTECTION_VERSION,
    sig: sender.signingKeyId,
    from: sender.encryptionKeyId,
    to: recipient.encryptionKeyId,
    iv: iv.toString('base64url'),
    ct: ct.toString('base64url'),
  };
}

export interface RecipientKeys {
  readonly encryptionKey: KeyObject; // X25519 private
  readonly encryptionKeyId: string;
}

/**
 * Decrypts and verifies. `senderKeys` resolves the sender's certificates by serial from the
 * directory (already checked for chain, validity and revocation by the caller's lookup).
 */
export function unprotect(
  envelope: Envelope,
  p: Protection,
  recipient: RecipientKeys,
  senderKeys: (signingSerial: string, encryptionSerial: string) => SenderPublic | undefined,
  cache: PairKeyCache,
): { ok: true; content: Buffer } | { ok: false; error: UnprotectFailure } {
  if (p.v !== PROTECTION_VERSION) return { ok: false, error: { reason: 'malformed', detail: `unknown protection version ${String(p.v)}` } };
  if (p.to !== recipient.encryptionKeyId)
    return {
      ok: false,
      error: { reason: 'not_for_us', detail: `encrypted for certificate ${p.to}, ours is ${recipient.encryptionKeyId}` },
    };
  const keys = senderKeys(p.sig, p.from);
  if (!keys)
    return { ok: false, error: { reason: 'unknown_key', detail: `no valid certificates ${p.sig}/${p.from} for ${envelope.senderCode}` } };
  const iv = Buffer.from(p.iv, 'base64url');
  const ct = Buffer.from(p.ct, 'base64url');
  if (iv.length !== IV_BYTES || ct.length < SIGNATURE_BYTES + TAG_BYTES)
    return { ok: false, error: { reason: 'malformed', detail: 'iv or ciphertext too short' } };
  const env = canonicalEnvelope(envelope);
  const pair = cache.get(recipient.encryptionKey, recipient.encryptionKeyId, keys.encryptionKey, p.from, p.from, recipient.encryptionKeyId);
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', messageKey(pair, envelope.messageId), iv);
    decipher.setAAD(env);
    decipher.setAuthTag(ct.subarray(ct.length - TAG_BYTES));
    plain = Buffer.concat([decipher.update(ct.subarray(0, ct.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return {
      ok: false,
      error: {
        reason: 'decryption_failed',
        detail: 'the ciphertext or the envelope was altered, or it was not encrypted for this endpoint',
      },
    };
  }
  const signature = plain.subarray(0, SIGNATURE_BYTES);
  const content = plain.subarray(SIGNATURE_BYTES);
  if (!verify(null, signedDigest(env, content), keys.signingKey, signature)) {
    return { ok: false, error: { reason: 'bad_signature', detail: `signature does not verify with certificate ${p.sig}` } };
  }
  return { ok: true, content };
}
