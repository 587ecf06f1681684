/**
 * Reads what the hub needs from a certificate with Node's own X509Certificate (fast: no ASN.1 in
 * JavaScript): serial, subject CN/O/OU, validity, key algorithm, keyUsage-relevant facts.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { HubError } from '../shared/errors.js';
import { isCertificateUsage, type CertificateUsage } from './ca.js';
import { keyAlgorithmOf, type KeyAlgorithm } from './keys.js';

export type CertificateInput = X509Certificate | string | Buffer;

export interface CertificateInfo {
  readonly serial: string;
  /** Subject CN: the component code. */
  readonly componentCode: string;
  /** Subject O. */
  readonly organisation: string;
  /** Subject OU when it names a usage; undefined otherwise (e.g. the CA, or a foreign certificate). */
  readonly usage: CertificateUsage | undefined;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly fingerprint256: string;
  readonly isCa: boolean;
  readonly keyAlgorithm: KeyAlgorithm | undefined;
  readonly publicKey: KeyObject;
  readonly x509: X509Certificate;
}

/** Parses PEM or DER (or passes an X509Certificate through). CERT_INVALID when it is not a certificate. */
export function parseCertificate(input: CertificateInput): X509Certificate {
  if (input instanceof X509Certificate) return input;
  try {
    return new X509Certificate(input);
  } catch (e) {
    throw new HubError('CERT_INVALID', `not an X.509 certificate: ${(e as Error).message}`, undefined, { cause: e });
  }
}

/** Undoes the RFC 2253 escapes Node applies to subject values (`\,` `\+` `\"` `\\` and `\XX`). */
function unescapeRdn(value: string): string {
  const bytes: number[] = [];
  const out: string[] = [];
  const flush = () => {
    if (bytes.length) out.push(Buffer.from(bytes.splice(0)).toString('utf8'));
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && i + 1 < value.length) {
      const hex = value.slice(i + 1, i + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
        continue;
      }
      flush();
      out.push(value[i + 1] ?? '');
      i += 1;
      continue;
    }
    flush();
    out.push(c ?? '');
  }
  flush();
  return out.join('');
}

/** The first value of each attribute in Node's multi-line subject (`CN=…\nO=…\nOU=…`). */
export function subjectFields(cert: X509Certificate): Readonly<Record<string, string>> {
  const fields: Record<string, string> = {};
  for (const line of cert.subject.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    if (!(key in fields)) fields[key] = unescapeRdn(line.slice(eq + 1));
  }
  return fields;
}

export function readCertificate(input: CertificateInput): CertificateInfo {
  const x509 = parseCertificate(input);
  const subject = subjectFields(x509);
  const ou = subject.OU;
  return {
    serial: x509.serialNumber,
    componentCode: subject.CN ?? '',
    organisation: subject.O ?? '',
    usage: isCertificateUsage(ou) ? ou : undefined,
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    fingerprint256: x509.fingerprint256,
    isCa: x509.ca,
    keyAlgorithm: keyAlgorithmOf(x509.publicKey),
    publicKey: x509.publicKey,
    x509,
  };
}
