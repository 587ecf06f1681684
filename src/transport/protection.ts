/**
 * End-to-end payload protection between endpoints (docs/transport.md, ADR 0007 Decision 3 (d)).
 *
 * A message travels as one compact JWE (RFC 7516) that any JOSE library opens with the
 * receiver's X25519 key:
 * - alg `ECDH-ES+A256KW` (RFC 7518 §4.6): a fresh X25519 key pair per message (`epk`), Concat KDF
 *   (SHA-256, AlgorithmID "ECDH-ES+A256KW", empty apu/apv, 256 bits) → key-encryption key; a
 *   random 256-bit content key wrapped with AES-256 key wrap (RFC 3394);
 * - enc `A256GCM`: 96-bit random IV, AAD = the ASCII of the encoded protected header;
 * - plaintext = Ed25519 signature (64 bytes) ‖ content, the signature by the sender's signing
 *   key over `"tps-hub/sig/1" ‖ 0x00 ‖ canonicalEnvelope(envelope) ‖ 0x00 ‖ content`;
 * - protected header, in this order: alg, enc, kid (the receiver's encryption-certificate
 *   serial), epk, `tps.v` (PROTECTION_FORMAT), `tps.sig` (the sender's signing-certificate
 *   serial), `tps.env` (the envelope: every present field, in the canonical order).
 * Brokers read the envelope from the header (readProtectedHeader) but see neither content nor
 * signature; any change to header, key, IV, ciphertext or tag makes decryption fail, and the
 * signature binds the content to the envelope (receiver, message ID, expiry …).
 * node:crypto only: jose costs three times the CPU per message (ADR 0007).
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { canonicalEnvelope, type Envelope } from './envelope.js';

/** Value of the JWE protected header parameter `tps.v`; any change to the format is a new value. */
export const PROTECTION_FORMAT = 'tps-hub/jwe-1';

export interface Signer {
  /** Ed25519 private key of the sender's signing certificate. */
  readonly key: KeyObject;
  /** Serial of that signing certificate. */
  readonly serial: string;
}

export interface Recipient {
  /** X25519 public key of the receiver's encryption certificate. */
  readonly key: KeyObject;
  /** Serial of that encryption certificate (the JWE `kid`). */
  readonly serial: string;
}

export type ProtectionFailureReason =
  'malformed' | 'not_for_us' | 'envelope_mismatch' | 'decryption_failed' | 'signer_rejected' | 'bad_signature';

export interface ProtectionFailure {
  readonly reason: ProtectionFailureReason;
  readonly detail: string;
  /** for signer_rejected: the CERT_* code the lookup gave */
  readonly code?: string;
}

const ALG = 'ECDH-ES+A256KW';
const ENC = 'A256GCM';
const SIGNATURE_BYTES = 64;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const CEK_BYTES = 32;
const WRAPPED_CEK_BYTES = CEK_BYTES + 8;
const X25519_BYTES = 32;
/** The protected header carries a short envelope; anything larger is refused before parsing. */
const MAX_HEADER_CHARS = 16 * 1024;
const AES_KW_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex');
const SIGNATURE_CONTEXT = Buffer.from('tps-hub/sig/1\0', 'ascii');
const NUL = Buffer.from([0]);

/** Envelope fields in canonical order (as envelope.ts), with whether each is required. */
const ENVELOPE_FIELDS: readonly (readonly [keyof Envelope, boolean])[] = [
  ['messageId', true],
  ['senderCode', true],
  ['receiverCode', true],
  ['businessType', true],
  ['baMessageId', false],
  ['conversationId', false],
  ['senderApplication', false],
  ['createdAt', true],
  ['expiresAt', true],
];
const ENVELOPE_FIELD_NAMES = new Set<string>(ENVELOPE_FIELDS.map(([f]) => f));

/** RFC 7518 §4.6.2 OtherInfo for ECDH-ES+A256KW with empty PartyUInfo/PartyVInfo, keydatalen 256. */
const CONCAT_KDF_OTHER_INFO = (() => {
  const algId = Buffer.from(ALG, 'ascii');
  const b = Buffer.alloc(4 + algId.length + 4 + 4 + 4);
  let o = b.writeUInt32BE(algId.length, 0);
  o += algId.copy(b, o);
  o = b.writeUInt32BE(0, o); // PartyUInfo
  o = b.writeUInt32BE(0, o); // PartyVInfo
  b.writeUInt32BE(CEK_BYTES * 8, o); // SuppPubInfo: keydatalen in bits
  return b;
})();
const CONCAT_KDF_COUNTER = Buffer.from([0, 0, 0, 1]);
/** The X25519 base point u = 9 (RFC 7748 §4.1): X25519(d, 9) is the public key of d. */
const X25519_BASE_POINT = createPublicKey({
  key: { kty: 'OKP', crv: 'X25519', x: Buffer.from([9, ...new Array<number>(31).fill(0)]).toString('base64url') },
  format: 'jwk',
});

/** Concat KDF (NIST SP 800-56A) as RFC 7518 §4.6 uses it: one SHA-256 round gives the 256-bit KEK. */
function keyEncryptionKey(z: Buffer): Buffer {
  return createHash('sha256').update(CONCAT_KDF_COUNTER).update(z).update(CONCAT_KDF_OTHER_INFO).digest();
}

function signatureInput(envelope: Envelope, content: Uint8Array): Buffer {
  return Buffer.concat([SIGNATURE_CONTEXT, canonicalEnvelope(envelope), NUL, content]);
}

/** The envelope as it goes into `tps.env`: only Envelope fields, present ones, canonical order. */
function headerEnvelope(e: Envelope): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [f] of ENVELOPE_FIELDS) {
    const v = e[f];
    if (v !== undefined) out[f] = v;
  }
  return out;
}

/** Signs content (Ed25519) and encrypts signature ‖ content for the recipient as a compact JWE (ECDH-ES+A256KW, A256GCM, fresh X25519 epk per message). */
/** Throws TypeError unless `seal` can use these keys (a caller's bug, not bad input). */
export function checkSealKeys(signer: Signer, recipient: Recipient): void {
  if (signer.key.type !== 'private' || signer.key.asymmetricKeyType !== 'ed25519')
    throw new TypeError('seal: the signer key must be an Ed25519 private key');
  if (recipient.key.type !== 'public' || recipient.key.asymmetricKeyType !== 'x25519')
    throw new TypeError('seal: the recipient key must be an X25519 public key');
  if (!signer.serial || !recipient.serial) throw new TypeError('seal: signer and recipient serials must be non-empty');
}

export function seal(envelope: Envelope, content: Uint8Array, signer: Signer, recipient: Recipient): string {
  checkSealKeys(signer, recipient);

  const signature = sign(null, signatureInput(envelope, content), signer.key);
  // A fresh X25519 pair; its public value is X25519(d, 9), computed by key agreement with the
  // base point instead of exporting the key: exporting a KeyObject generateKeyPairSync returned
  // can deadlock Node 20 (src/crypto/keys.ts, generateKeyPairDer), key agreement takes and
  // releases the key's lock without allocating in between.
  const eph = generateKeyPairSync('x25519');
  const epkX = diffieHellman({ privateKey: eph.privateKey, publicKey: X25519_BASE_POINT }).toString('base64url');
  const kek = keyEncryptionKey(diffieHellman({ privateKey: eph.privateKey, publicKey: recipient.key }));
  const cek = randomBytes(CEK_BYTES);
  const kw = createCipheriv('id-aes256-wrap', kek, AES_KW_IV);
  const wrapped = Buffer.concat([kw.update(cek), kw.final()]);
  const header = {
    alg: ALG,
    enc: ENC,
    kid: recipient.serial,
    epk: { kty: 'OKP', crv: 'X25519', x: epkX },
    'tps.v': PROTECTION_FORMAT,
    'tps.sig': signer.serial,
    'tps.env': headerEnvelope(envelope),
  };
  const encodedHeader = Buffer.from(JSON.stringify(header), 'utf8').toString('base64url');
  const iv = randomBytes(IV_BYTES);
  const gcm = createCipheriv('aes-256-gcm', cek, iv);
  gcm.setAAD(Buffer.from(encodedHeader, 'ascii'));
  const ciphertext = Buffer.concat([gcm.update(signature), gcm.update(content), gcm.final()]);
  return `${encodedHeader}.${wrapped.toString('base64url')}.${iv.toString('base64url')}.${ciphertext.toString('base64url')}.${gcm.getAuthTag().toString('base64url')}`;
}

// ------------------------------------------------------------------------------------------------
// Parsing: every step guarded, a precise detail, never a throw.

type Result<T> = { ok: true; value: T } | { ok: false; error: ProtectionFailure };
const malformed = (detail: string): { ok: false; error: ProtectionFailure } => ({ ok: false, error: { reason: 'malformed', detail } });

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decoded length of an unpadded base64url string, or undefined if it is not one. */
function base64urlLength(s: string): number | undefined {
  if (s.length % 4 === 1 || !BASE64URL.test(s)) return undefined;
  return Math.floor((s.length * 3) / 4);
}

export interface ParsedHeader {
  readonly kid: string;
  readonly epkX: string;
  readonly signerSerial: string;
  readonly envelope: Envelope;
}

export interface ParsedJwe {
  readonly encodedHeader: string;
  readonly header: ParsedHeader;
  readonly encryptedKey: string;
  readonly iv: string;
  readonly ciphertext: string;
  readonly tag: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

function parseEnvelope(v: unknown): Result<Envelope> {
  if (!isObject(v)) return malformed('protected header tps.env must be a JSON object');
  for (const key of Object.keys(v))
    if (!ENVELOPE_FIELD_NAMES.has(key)) return malformed(`protected header tps.env has unknown field "${key}"`);
  const out: Record<string, string> = {};
  for (const [f, required] of ENVELOPE_FIELDS) {
    const x = v[f];
    if (x === undefined) {
      if (required) return malformed(`protected header tps.env.${f} is missing`);
      continue;
    }
    if (typeof x !== 'string') return malformed(`protected header tps.env.${f} must be a string, got ${x === null ? 'null' : typeof x}`);
    out[f] = x;
  }
  return { ok: true, value: out as unknown as Envelope };
}

function parseHeader(encoded: string): Result<ParsedHeader> {
  if (encoded.length > MAX_HEADER_CHARS)
    return malformed(`protected header is ${encoded.length} characters, at most ${MAX_HEADER_CHARS} allowed`);
  if (base64urlLength(encoded) === undefined) return malformed('protected header is not base64url');
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(Buffer.from(encoded, 'base64url')));
  } catch {
    return malformed('protected header is not UTF-8 JSON');
  }
  if (!isObject(json)) return malformed('protected header is not a JSON object');
  if (json.alg !== ALG) return malformed(`protected header alg must be "${ALG}", got ${JSON.stringify(json.alg) ?? 'nothing'}`);
  if (json.enc !== ENC) return malformed(`protected header enc must be "${ENC}", got ${JSON.stringify(json.enc) ?? 'nothing'}`);
  if ('zip' in json) return malformed('protected header zip is not supported');
  if ('crit' in json) return malformed('protected header crit is not supported');
  if (json['tps.v'] !== PROTECTION_FORMAT)
    return malformed(`protected header tps.v must be "${PROTECTION_FORMAT}", got ${JSON.stringify(json['tps.v']) ?? 'nothing'}`);
  if (!nonEmptyString(json.kid)) return malformed('protected header kid (recipient encryption serial) must be a non-empty string');
  if (!nonEmptyString(json['tps.sig'])) return malformed('protected header tps.sig (signer serial) must be a non-empty string');
  const epk = json.epk;
  if (!isObject(epk)) return malformed('protected header epk is missing or not an object');
  if (epk.kty !== 'OKP' || epk.crv !== 'X25519') return malformed('protected header epk must be {kty: "OKP", crv: "X25519"}');
  if (typeof epk.x !== 'string' || base64urlLength(epk.x) !== X25519_BYTES)
    return malformed(`protected header epk.x must be ${X25519_BYTES} bytes of base64url`);
  if ('d' in epk) return malformed('protected header epk must not contain a private key');
  const envelope = parseEnvelope(json['tps.env']);
  if (!envelope.ok) return envelope;
  return { ok: true, value: { kid: json.kid, epkX: epk.x, signerSerial: json['tps.sig'], envelope: envelope.value } };
}

function checkPart(name: string, s: string, expected: number | { min: number }): string | undefined {
  const n = base64urlLength(s);
  if (n === undefined) return `JWE ${name} is not base64url`;
  if (typeof expected === 'number' ? n !== expected : n < expected.min)
    return `JWE ${name} is ${n} bytes, ${typeof expected === 'number' ? `expected ${expected}` : `expected at least ${expected.min}`}`;
  return undefined;
}

function parseCompact(jwe: unknown): Result<ParsedJwe> {
  if (typeof jwe !== 'string') return malformed('JWE must be a string');
  const parts = jwe.split('.');
  if (parts.length !== 5) return malformed(`compact JWE must have 5 parts, got ${parts.length}`);
  const [encodedHeader, encryptedKey, iv, ciphertext, tag] = parts as [string, string, string, string, string];
  const header = parseHeader(encodedHeader);
  if (!header.ok) return header;
  const bad =
    checkPart('encrypted key', encryptedKey, WRAPPED_CEK_BYTES) ??
    checkPart('iv', iv, IV_BYTES) ??
    checkPart('ciphertext', ciphertext, { min: SIGNATURE_BYTES }) ??
    checkPart('tag', tag, TAG_BYTES);
  if (bad) return malformed(bad);
  return { ok: true, value: { encodedHeader, header: header.value, encryptedKey, iv, ciphertext, tag } };
}

/** Reads (without decrypting) the protected header: envelope, kid (recipient encryption serial), signer serial. */
export function readProtectedHeader(
  jwe: string,
): { ok: true; envelope: Envelope; kid: string; signerSerial: string } | { ok: false; error: ProtectionFailure } {
  const p = parseCompact(jwe);
  if (!p.ok) return p;
  const { envelope, kid, signerSerial } = p.value.header;
  return { ok: true, envelope, kid, signerSerial };
}

function envelopeDifference(a: Envelope, b: Envelope): string {
  const fields = ENVELOPE_FIELDS.map(([f]) => f).filter((f) => (a[f] ?? null) !== (b[f] ?? null));
  return fields.length > 0 ? fields.join(', ') : 'canonical form';
}

/** What `prepareOpen` hands to `finishOpen`: the parsed JWE and the keys the caller looked up for it. */
export interface OpenJob {
  readonly parsed: ParsedJwe;
  readonly ourKey: KeyObject;
  readonly signer: { ok: true; key: KeyObject } | { ok: false; code: string; detail: string };
}

export type OpenResult = { ok: true; content: Buffer } | { ok: false; error: ProtectionFailure };

/**
 * The cheap first half of `open`, on the caller's thread: format, envelope, kid, and the
 * signer's certificate looked up now (its verdict is applied only after decryption succeeded,
 * keeping `open`'s order of failures).
 */
export function prepareOpen(
  jwe: string,
  expected: Envelope,
  decryptionKey: (kid: string) => KeyObject | undefined,
  signerKey: (serial: string, senderCode: string) => { ok: true; key: KeyObject } | { ok: false; code: string; detail: string },
): { ok: true; job: OpenJob } | { ok: false; error: ProtectionFailure } {
  const parsed = parseCompact(jwe);
  if (!parsed.ok) return parsed;
  const { header } = parsed.value;
  if (!canonicalEnvelope(header.envelope).equals(canonicalEnvelope(expected)))
    return {
      ok: false,
      error: {
        reason: 'envelope_mismatch',
        detail: `the envelope in the protected header differs from the message envelope (${envelopeDifference(header.envelope, expected)})`,
      },
    };
  const ourKey = decryptionKey(header.kid);
  if (!ourKey)
    return { ok: false, error: { reason: 'not_for_us', detail: `encrypted for certificate ${header.kid}, which is not one of ours` } };
  return { ok: true, job: { parsed: parsed.value, ourKey, signer: signerKey(header.signerSerial, expected.senderCode) } };
}

/** The costly second half of `open` (key agreement, unwrap, decryption, signature): pure, so it may run on a worker thread. */
export function finishOpen(job: OpenJob): OpenResult {
  const p = job.parsed;
  const { header } = p;
  let epk: KeyObject;
  try {
    epk = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: header.epkX }, format: 'jwk' });
  } catch {
    return malformed('protected header epk is not a usable X25519 public key');
  }
  let z: Buffer;
  try {
    z = diffieHellman({ privateKey: job.ourKey, publicKey: epk });
  } catch {
    return {
      ok: false,
      error: {
        reason: 'decryption_failed',
        detail: `key agreement with the epk failed (low-order point, or key ${header.kid} is not X25519)`,
      },
    };
  }
  let cek: Buffer;
  try {
    const kw = createDecipheriv('id-aes256-wrap', keyEncryptionKey(z), AES_KW_IV);
    cek = Buffer.concat([kw.update(Buffer.from(p.encryptedKey, 'base64url')), kw.final()]);
  } catch {
    return {
      ok: false,
      error: {
        reason: 'decryption_failed',
        detail: `the encrypted key does not unwrap with certificate ${header.kid}'s key (altered, or encrypted for someone else)`,
      },
    };
  }
  let plaintext: Buffer;
  try {
    const gcm = createDecipheriv('aes-256-gcm', cek, Buffer.from(p.iv, 'base64url'));
    gcm.setAAD(Buffer.from(p.encodedHeader, 'ascii'));
    gcm.setAuthTag(Buffer.from(p.tag, 'base64url'));
    plaintext = Buffer.concat([gcm.update(Buffer.from(p.ciphertext, 'base64url')), gcm.final()]);
  } catch {
    return {
      ok: false,
      error: { reason: 'decryption_failed', detail: 'authentication failed: the protected header, iv, ciphertext or tag was altered' },
    };
  }

  const signer = job.signer;
  if (!signer.ok) return { ok: false, error: { reason: 'signer_rejected', detail: signer.detail, code: signer.code } };

  const signature = plaintext.subarray(0, SIGNATURE_BYTES);
  const content = plaintext.subarray(SIGNATURE_BYTES);
  let valid: boolean;
  try {
    // the header's envelope equals the expected one (prepareOpen checked it canonically)
    valid = verify(null, signatureInput(header.envelope, content), signer.key, signature);
  } catch {
    valid = false;
  }
  if (!valid)
    return {
      ok: false,
      error: { reason: 'bad_signature', detail: `the signature does not verify with signing certificate ${header.signerSerial}` },
    };
  return { ok: true, content };
}

/**
 * Opens a JWE: the envelope in its protected header must equal `expected` field by field (else envelope_mismatch);
 * `decryptionKey(kid)` returns our X25519 private key for that serial or undefined (→ not_for_us);
 * `signerKey(serial, envelope.senderCode)` returns the sender's Ed25519 public key after the caller checked the
 * certificate against the directory, or a failure {code, detail} (→ signer_rejected carrying that code).
 * Order of checks: format, envelope, kid, decryption, signer certificate, signature.
 * `prepareOpen` + `finishOpen` (protection-pool.ts runs the second on a worker thread).
 */
export function open(
  jwe: string,
  expected: Envelope,
  decryptionKey: (kid: string) => KeyObject | undefined,
  signerKey: (serial: string, senderCode: string) => { ok: true; key: KeyObject } | { ok: false; code: string; detail: string },
): OpenResult {
  const prepared = prepareOpen(jwe, expected, decryptionKey, signerKey);
  return prepared.ok ? finishOpen(prepared.job) : prepared;
}
