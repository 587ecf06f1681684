/**
 * Provisioning a component the way an operator does with `tps-hub certs issue` (three times):
 * a key pair per usage (authentication, signing, encryption), each certificate issued by the
 * directory, the private keys written to DATA_DIR/keys/<code> (mode 0600) where the hub finds
 * them. Used by `tps-hub platform init`, `tps-hub parties add` and the test networks.
 */
import { join } from 'node:path';
import { CERTIFICATE_PROFILES, type CertificateUsage } from '../crypto/ca.js';
import { generateKeyPair, writePrivateKey, writePublicFile } from '../crypto/keys.js';
import type { Directory } from './directory.js';

export const CERTIFICATE_USAGES: readonly CertificateUsage[] = ['authentication', 'signing', 'encryption'];

export const componentKeyDir = (dataDir: string, code: string): string => join(dataDir, 'keys', code);

export async function issueComponentKeys(directory: Directory, dataDir: string, code: string): Promise<void> {
  const dir = componentKeyDir(dataDir, code);
  for (const usage of CERTIFICATE_USAGES) {
    const keys = generateKeyPair(CERTIFICATE_PROFILES[usage].keyAlgorithm);
    const record = await directory.issueCertificate({ componentCode: code, usage, publicKey: keys.publicKey });
    writePrivateKey(dir, `${usage}.key`, keys.privateKey);
    writePublicFile(dir, `${usage}.crt`, record.pem);
  }
}
