/**
 * A hosted component's key material, read from `<DATA_DIR>/keys/<code>/` where `tps-hub certs
 * issue` puts it: `authentication.{key,crt}` (mutual TLS), `signing.{key,crt}` (Ed25519) and
 * `encryption.{key,crt}` (X25519), plus `encryption-<serial>.{key,crt}` kept by `certs renew`, so
 * messages encrypted for a renewed-away certificate can still be opened.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { readCertificate } from '../crypto/certificate-info.js';
import { isDirectory, readPrivateKey } from '../crypto/keys.js';
import { isEic } from '../directory/eic.js';
import { HubError } from '../shared/errors.js';
import type { Signer } from './protection.js';
import type { TlsIdentity } from './tls.js';

export interface ComponentIdentity {
  readonly code: string;
  readonly tls: TlsIdentity;
  readonly authenticationSerial: string;
  readonly signer: Signer;
  /** X25519 private keys by encryption-certificate serial (the current one and renewed-away ones). */
  readonly decryptionKeys: ReadonlyMap<string, KeyObject>;
}

function readPair(
  dir: string,
  base: string,
): { key: KeyObject; pem: string; serial: string; componentCode: string; usage: string | undefined } {
  const crtPath = join(dir, `${base}.crt`);
  let pem: string;
  try {
    pem = readFileSync(crtPath, 'utf8');
  } catch (e) {
    throw new HubError('TRANSPORT_IDENTITY_MISSING', `${crtPath} cannot be read: ${(e as Error).message}`, { path: crtPath });
  }
  const info = readCertificate(pem);
  return { key: readPrivateKey(join(dir, `${base}.key`)), pem, serial: info.serial, componentCode: info.componentCode, usage: info.usage };
}

/** Loads one component's identity; TRANSPORT_IDENTITY_MISSING / KEY_UNREADABLE name the file at fault. */
export function loadIdentity(keysDir: string, code: string, caPem: string): ComponentIdentity {
  const dir = join(keysDir, code);
  if (!isDirectory(dir)) throw new HubError('TRANSPORT_IDENTITY_MISSING', `no key directory ${dir} for component ${code}`, { code });
  const auth = readPair(dir, 'authentication');
  const signing = readPair(dir, 'signing');
  const encryption = readPair(dir, 'encryption');
  for (const [pair, usage] of [
    [auth, 'authentication'],
    [signing, 'signing'],
    [encryption, 'encryption'],
  ] as const) {
    if (pair.componentCode !== code || pair.usage !== usage)
      throw new HubError(
        'TRANSPORT_IDENTITY_MISSING',
        `${join(dir, `${usage}.crt`)} is a ${pair.usage} certificate of ${pair.componentCode}, not a ${usage} certificate of ${code}`,
        { code },
      );
  }
  const decryptionKeys = new Map<string, KeyObject>([[encryption.serial, encryption.key]]);
  for (const f of readdirSync(dir)) {
    const m = /^encryption-([0-9A-F]+)\.crt$/.exec(f);
    if (m) {
      const old = readPair(dir, `encryption-${m[1]}`);
      decryptionKeys.set(old.serial, old.key);
    }
  }
  return {
    code,
    tls: { certPem: auth.pem, keyPem: readFileSync(join(dir, 'authentication.key'), 'utf8'), caPem },
    authenticationSerial: auth.serial,
    signer: { key: signing.key, serial: signing.serial },
    decryptionKeys,
  };
}

/** The codes under `keysDir` that look like hosted components (an EIC-named folder with an authentication certificate). */
export function discoverHostedComponents(keysDir: string): string[] {
  if (!isDirectory(keysDir)) return [];
  return readdirSync(keysDir)
    .filter((name) => isEic(name))
    .filter((name) => {
      try {
        readFileSync(join(keysDir, name, 'authentication.crt'));
        return true;
      } catch {
        return false;
      }
    })
    .sort();
}
