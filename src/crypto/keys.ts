/**
 * Key pairs and private-key files.
 *
 * - Algorithms by certificate usage (docs/adr/0007): authentication → ECDSA P-256 (what every TLS
 *   stack accepts), signing → Ed25519, encryption → X25519.
 * - Private keys are PKCS#8 PEM files, mode 0600, in a directory of mode 0700. A private key that
 *   group or others may read (or that is not a regular file) is refused with KEY_UNREADABLE, as
 *   ssh does: a leaked permission bit is treated as a leaked key, not silently fixed.
 * - Existing key files are never overwritten (`wx`): issuing twice into one folder is an error,
 *   not a lost key.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, openSync, readFileSync, closeSync, writeSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HubError } from '../shared/errors.js';

export type KeyAlgorithm = 'ec-p256' | 'ed25519' | 'x25519';

export interface KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/**
 * A fresh key pair as DER (PKCS#8 private, SPKI public), encoded inside the key-generation job.
 *
 * Never hand out the KeyObjects `generateKeyPairSync` returns: in Node 20, exporting one (PEM,
 * DER, JWK) takes the key's mutex and allocates; a garbage collection at that moment finalises
 * the generation job, whose destructor takes the same mutex — the thread deadlocks for good
 * (seen in a sealing worker: ExportJWKEdKey → GC → ~KeyGenJob → pthread_mutex_lock;
 * test/unit/crypto/keygen-deadlock.test.ts reproduces it with a small young generation).
 */
export function generateKeyPairDer(algorithm: KeyAlgorithm): { readonly privateKey: Buffer; readonly publicKey: Buffer } {
  switch (algorithm) {
    case 'ec-p256':
      return generateKeyPairSync('ec', {
        namedCurve: 'P-256',
        publicKeyEncoding: { type: 'spki', format: 'der' },
        privateKeyEncoding: { type: 'pkcs8', format: 'der' },
      });
    case 'ed25519':
      return generateKeyPairSync('ed25519', {
        publicKeyEncoding: { type: 'spki', format: 'der' },
        privateKeyEncoding: { type: 'pkcs8', format: 'der' },
      });
    case 'x25519':
      return generateKeyPairSync('x25519', {
        publicKeyEncoding: { type: 'spki', format: 'der' },
        privateKeyEncoding: { type: 'pkcs8', format: 'der' },
      });
  }
}

/** A fresh key pair as KeyObjects imported from DER (see generateKeyPairDer: safe to export later). */
export function generateKeyPair(algorithm: KeyAlgorithm): KeyPair {
  const der = generateKeyPairDer(algorithm);
  return {
    privateKey: createPrivateKey({ key: der.privateKey, format: 'der', type: 'pkcs8' }),
    publicKey: createPublicKey({ key: der.publicKey, format: 'der', type: 'spki' }),
  };
}

/** The algorithm of a key, or undefined for one the hub does not use (RSA, other curves). */
export function keyAlgorithmOf(key: KeyObject): KeyAlgorithm | undefined {
  switch (key.asymmetricKeyType) {
    case 'ec':
      return key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? 'ec-p256' : undefined;
    case 'ed25519':
      return 'ed25519';
    case 'x25519':
      return 'x25519';
    default:
      return undefined;
  }
}

export const privateKeyPem = (key: KeyObject): string => key.export({ type: 'pkcs8', format: 'pem' }).toString();
export const publicKeyPem = (key: KeyObject): string => key.export({ type: 'spki', format: 'pem' }).toString();

/** A public key from a PEM (SPKI, or a certificate), or the public half of a private key. */
export function toPublicKey(key: KeyObject | string): KeyObject {
  if (typeof key !== 'string') return key.type === 'private' ? createPublicKey(key) : key;
  try {
    return createPublicKey(key);
  } catch (e) {
    throw new HubError('DIRECTORY_INPUT_INVALID', `not a PEM public key: ${(e as Error).message}`, undefined, { cause: e });
  }
}

/** Creates `dir` (and parents) and makes sure it is 0700. */
export function ensureKeyDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(dir, 0o700);
}

/**
 * Writes a private key as PKCS#8 PEM to `dir/name` with mode 0600 (the directory is made 0700).
 * Refuses to overwrite an existing file. Returns the path.
 */
export function writePrivateKey(dir: string, name: string, key: KeyObject): string {
  if (key.type !== 'private') throw new HubError('KEY_UNREADABLE', 'writePrivateKey was given a public key');
  ensureKeyDirectory(dir);
  const path = join(dir, name);
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new HubError(
      'KEY_UNREADABLE',
      code === 'EEXIST' ? `${path} already exists; a key file is never overwritten` : `${path} cannot be written: ${(e as Error).message}`,
      { path },
      { cause: e },
    );
  }
  try {
    writeSync(fd, privateKeyPem(key));
  } finally {
    closeSync(fd);
  }
  // openSync's mode is filtered by the umask; make it exact.
  if (process.platform !== 'win32') chmodSync(path, 0o600);
  return path;
}

/** Writes a public file (certificate, public key) with mode 0644; overwrites. Returns the path. */
export function writePublicFile(dir: string, name: string, text: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, name);
  const fd = openSync(path, 'w', 0o644);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return path;
}

/**
 * Reads a PKCS#8 (or SEC1/PKCS#1) PEM private key. KEY_UNREADABLE when the file is missing, not a
 * regular file, readable by group or others, or not a private key.
 */
export function readPrivateKey(path: string): KeyObject {
  let mode: number;
  try {
    const st = lstatSync(path);
    if (!st.isFile()) throw new HubError('KEY_UNREADABLE', `${path} is not a regular file (symbolic links are refused)`, { path });
    mode = st.mode;
  } catch (e) {
    if (e instanceof HubError) throw e;
    throw new HubError('KEY_UNREADABLE', `${path} cannot be read: ${(e as Error).message}`, { path }, { cause: e });
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new HubError(
      'KEY_UNREADABLE',
      `${path} has mode ${(mode & 0o777).toString(8).padStart(4, '0')}; a private key must not be readable by group or others (chmod 600)`,
      { path, mode: mode & 0o777 },
    );
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new HubError('KEY_UNREADABLE', `${path} cannot be read: ${(e as Error).message}`, { path }, { cause: e });
  }
  try {
    return createPrivateKey(text);
  } catch (e) {
    throw new HubError('KEY_UNREADABLE', `${path} is not a PEM private key`, { path }, { cause: e });
  }
}

/** True when `dir` exists and is a directory. */
export function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
