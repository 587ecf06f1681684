/**
 * The audit signing key (audit log requirement: "periodic signed checkpoints"): an Ed25519 key
 * in a PEM PKCS#8 file readable by its owner only, created on first use. Its public key is
 * written next to it (`*.pub.pem`, SPKI) and printed by `tps-hub audit public-key`, so it can
 * be pinned outside the database — a verifier trusts the public key it was given, never one
 * found in the database. Key id = first 16 hex digits of SHA-256 of the 32-byte raw public key.
 */
import { createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { generateKeyPair } from '../crypto/keys.js';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HubError } from '../shared/errors.js';
import type { AuditSigner } from './sealer.js';

export interface AuditPublicKey {
  readonly keyId: string;
  readonly key: KeyObject;
  /** SPKI PEM. */
  readonly pem: string;
  /** The 32-byte raw Ed25519 public key, base64. */
  readonly rawBase64: string;
}

export interface AuditKey extends AuditSigner {
  readonly path: string;
  readonly publicKeyPath: string;
  readonly publicKey: AuditPublicKey;
  /** True when this call generated the key. */
  readonly created: boolean;
}

/** Where the hub keeps its audit key: `DATA_DIR/keys/audit-ed25519.pem`. */
export const auditKeyPath = (dataDir: string): string => join(dataDir, 'keys', 'audit-ed25519.pem');

/** `…/audit-ed25519.pem` → `…/audit-ed25519.pub.pem`. */
export const publicKeyPathFor = (privateKeyPath: string): string => privateKeyPath.replace(/(\.pem)?$/, '.pub.pem');

function describe(key: KeyObject): AuditPublicKey {
  if (key.asymmetricKeyType !== 'ed25519') throw new TypeError(`not an Ed25519 key but ${key.asymmetricKeyType ?? 'a secret key'}`);
  const jwk = key.export({ format: 'jwk' });
  const raw = Buffer.from(jwk.x ?? '', 'base64url');
  return {
    keyId: keyIdOf(raw),
    key,
    pem: key.export({ type: 'spki', format: 'pem' }).toString(),
    rawBase64: raw.toString('base64'),
  };
}

export function keyIdOf(rawPublicKey: Buffer): string {
  return createHash('sha256').update(rawPublicKey).digest('hex').slice(0, 16);
}

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException).code;
}

/** Reads a private key file, refusing one that group or others may read (KEY_UNREADABLE). */
function readPrivateKey(path: string): KeyObject {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new HubError('KEY_UNREADABLE', `audit key ${path} cannot be read: ${(e as Error).message}`, { path }, { cause: e });
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new HubError('KEY_UNREADABLE', `audit key ${path} is not a regular file`, { path });
    if ((st.mode & 0o077) !== 0) {
      throw new HubError(
        'KEY_UNREADABLE',
        `audit key ${path} has mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}; it must be readable by its owner only (chmod 600)`,
        { path },
      );
    }
    const pem = readFileSync(fd, 'utf8');
    try {
      const key = createPrivateKey({ key: pem, format: 'pem' });
      if (key.asymmetricKeyType !== 'ed25519') throw new Error(`it is a ${key.asymmetricKeyType ?? 'secret'} key, not Ed25519`);
      return key;
    } catch (e) {
      throw new HubError(
        'KEY_UNREADABLE',
        `audit key ${path} is not an Ed25519 private key: ${(e as Error).message}`,
        { path },
        { cause: e },
      );
    }
  } finally {
    closeSync(fd);
  }
}

/** Writes the public key file, or checks that an existing one matches. */
function writePublicKeyFile(path: string, pub: AuditPublicKey): void {
  let existing: string | undefined;
  try {
    existing = readFileSync(path, 'utf8');
  } catch (e) {
    if (errno(e) !== 'ENOENT')
      throw new HubError('AUDIT_KEY_UNAVAILABLE', `${path} cannot be read: ${(e as Error).message}`, { path }, { cause: e });
  }
  if (existing === undefined) {
    writeFileSync(path, pub.pem, { mode: 0o644 });
    return;
  }
  if (readPublicKey(existing, path).keyId !== pub.keyId) {
    throw new HubError(
      'AUDIT_KEY_UNAVAILABLE',
      `public key file ${path} does not belong to the audit key next to it; move one of them aside`,
      { path },
    );
  }
}

function signerFor(path: string, privateKey: KeyObject, created: boolean): AuditKey {
  const publicKey = describe(createPublicKey(privateKey));
  const publicKeyPath = publicKeyPathFor(path);
  writePublicKeyFile(publicKeyPath, publicKey);
  return {
    path,
    publicKeyPath,
    publicKey,
    created,
    keyId: publicKey.keyId,
    sign: (data) => sign(null, data, privateKey),
  };
}

/** The public key of a private key file, without writing anything (verify's fallback). */
export function publicKeyOfKeyFile(path: string): AuditPublicKey {
  return describe(createPublicKey(readPrivateKey(path)));
}

/** Loads an existing audit key (KEY_UNREADABLE when missing, unsafe or malformed). */
export function loadAuditKey(path: string): AuditKey {
  return signerFor(path, readPrivateKey(path), false);
}

/**
 * Loads the audit key at `path`, creating it (file mode 0600, parent directory 0700) when it
 * does not exist yet. Refuses a key file readable by group or others (KEY_UNREADABLE).
 */
export function loadOrCreateAuditKey(path: string): AuditKey {
  try {
    return loadAuditKey(path);
  } catch (e) {
    if (!(e instanceof HubError && e.cause !== undefined && errno(e.cause) === 'ENOENT')) throw e;
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPair('ed25519'); // not generateKeyPairSync's own KeyObject: see keys.ts
  try {
    writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if (errno(e) === 'EEXIST') return loadAuditKey(path); // another process created it first
    throw new HubError('KEY_UNREADABLE', `audit key ${path} cannot be created: ${(e as Error).message}`, { path }, { cause: e });
  }
  return signerFor(path, privateKey, true);
}

/**
 * A public key as published: SPKI PEM (`-----BEGIN PUBLIC KEY-----`) or the 32-byte raw key in
 * base64. AUDIT_KEY_UNAVAILABLE when it is neither.
 */
export function readPublicKey(text: string, source = 'public key'): AuditPublicKey {
  try {
    const trimmed = text.trim();
    if (trimmed.startsWith('-----BEGIN')) return describe(createPublicKey({ key: trimmed, format: 'pem' }));
    const raw = Buffer.from(trimmed, 'base64');
    if (raw.length !== 32 || raw.toString('base64') !== trimmed)
      throw new Error('neither a PEM public key nor a base64 32-byte Ed25519 key');
    return describe(createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' }));
  } catch (e) {
    throw new HubError('AUDIT_KEY_UNAVAILABLE', `${source} is not an Ed25519 public key: ${(e as Error).message}`, undefined, { cause: e });
  }
}

export function readPublicKeyFile(path: string): AuditPublicKey {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new HubError('AUDIT_KEY_UNAVAILABLE', `public key ${path} cannot be read: ${(e as Error).message}`, { path }, { cause: e });
  }
  return readPublicKey(text, path);
}
