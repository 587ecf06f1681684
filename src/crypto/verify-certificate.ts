/**
 * Is this certificate one the directory CA issued, valid now, not revoked, for the expected usage
 * and component? One function for TLS peers (after the handshake: `socket.getPeerX509Certificate()`),
 * message signers and encryption recipients. Checks, in this order, and the first failure is the
 * answer:
 *
 * 1. parses                                                     CERT_INVALID
 * 2. the CA certificate itself is inside its validity window    CERT_EXPIRED
 * 3. issued by the CA (issuer name + key identifiers) and the
 *    ECDSA signature verifies with the CA key; not itself a CA  CERT_INVALID
 * 4. inside notBefore … notAfter at `clock.now()`               CERT_EXPIRED
 * 5. serial not in the revocation set                           CERT_REVOKED
 * 6. a usage profile the directory issues (OU, key algorithm,
 *    extKeyUsage agree) — and the expected one when asked       CERT_INVALID
 * 7. subject CN is the expected component code, when asked      CERT_INVALID
 * 8. known to the directory, when a set of known serials is
 *    given (a directory document's certificate list)            CERT_UNKNOWN
 *
 * Business outcome, so a Result (never throws for a bad certificate); `assertCertificate` throws
 * the HubError for callers at a boundary.
 */
import { X509Certificate } from 'node:crypto';
import type { Clock } from '../shared/clock.js';
import { HubError } from '../shared/errors.js';
import { fail, ok, type Result } from '../shared/result.js';
import { CERTIFICATE_PROFILES, type CertificateUsage } from './ca.js';
import { parseCertificate, readCertificate, type CertificateInfo, type CertificateInput } from './certificate-info.js';

export type CertificateProblemCode = 'CERT_INVALID' | 'CERT_EXPIRED' | 'CERT_REVOKED' | 'CERT_UNKNOWN';

/** Shaped like `Rejection` (code + text), with the serial when it could be read. */
export interface CertificateProblem {
  readonly code: CertificateProblemCode;
  readonly text: string;
  readonly serial?: string;
  readonly componentCode?: string;
}

export interface RevocationEntry {
  readonly revokedAt?: Date | string;
  readonly reason?: string;
}

/** Serial (upper-case hex) → revocation; a Set of serials works too. */
export type RevocationSet = ReadonlySet<string> | ReadonlyMap<string, RevocationEntry>;

export interface VerifyCertificateOptions {
  readonly caCertificate: X509Certificate | string;
  readonly revoked: RevocationSet;
  readonly clock: Clock;
  readonly expectedUsage?: CertificateUsage;
  readonly expectedComponentCode?: string;
  /** When given, a certificate whose serial is not in it is CERT_UNKNOWN. */
  readonly knownSerials?: ReadonlySet<string> | ReadonlyMap<string, unknown>;
}

export type VerifiedCertificate = CertificateInfo & { readonly usage: CertificateUsage };

const caByPem = new Map<string, X509Certificate>();

function caOf(ca: X509Certificate | string): X509Certificate {
  if (typeof ca !== 'string') return ca;
  let parsed = caByPem.get(ca);
  if (!parsed) {
    parsed = new X509Certificate(ca);
    if (caByPem.size > 16) caByPem.clear();
    caByPem.set(ca, parsed);
  }
  return parsed;
}

function describeWindow(info: { notBefore: Date; notAfter: Date }): string {
  return `${info.notBefore.toISOString()} … ${info.notAfter.toISOString()}`;
}

export function verifyCertificate(
  input: CertificateInput,
  options: VerifyCertificateOptions,
): Result<VerifiedCertificate, CertificateProblem> {
  let info: CertificateInfo;
  try {
    info = readCertificate(input);
  } catch (e) {
    return fail({ code: 'CERT_INVALID', text: (e as Error).message });
  }
  const id = { serial: info.serial, componentCode: info.componentCode };
  const who = `certificate ${info.serial} (${info.componentCode || 'no CN'})`;
  const now = options.clock.now();

  let ca: X509Certificate;
  try {
    ca = caOf(options.caCertificate);
  } catch (e) {
    return fail({ code: 'CERT_INVALID', text: `the CA certificate cannot be parsed: ${(e as Error).message}`, ...id });
  }
  const caFrom = new Date(ca.validFrom);
  const caTo = new Date(ca.validTo);
  if (now < caFrom || now > caTo) {
    return fail({
      code: 'CERT_EXPIRED',
      text: `the directory CA certificate is outside its validity ${describeWindow({ notBefore: caFrom, notAfter: caTo })}`,
      ...id,
    });
  }
  if (!info.x509.checkIssued(ca)) {
    return fail({
      code: 'CERT_INVALID',
      text: `${who} was not issued by the directory CA (issuer ${info.x509.issuer.replaceAll('\n', ', ')})`,
      ...id,
    });
  }
  if (!info.x509.verify(ca.publicKey)) {
    return fail({ code: 'CERT_INVALID', text: `${who}: the CA signature does not verify (tampered or forged)`, ...id });
  }
  if (info.isCa) return fail({ code: 'CERT_INVALID', text: `${who} is a CA certificate, not a component certificate`, ...id });

  if (now < info.notBefore) {
    return fail({ code: 'CERT_EXPIRED', text: `${who} is not valid yet: valid ${describeWindow(info)}, now ${now.toISOString()}`, ...id });
  }
  if (now > info.notAfter) {
    return fail({ code: 'CERT_EXPIRED', text: `${who} expired at ${info.notAfter.toISOString()} (now ${now.toISOString()})`, ...id });
  }

  if (options.revoked.has(info.serial)) {
    const entry = options.revoked instanceof Map ? (options.revoked.get(info.serial) as RevocationEntry | undefined) : undefined;
    const at = entry?.revokedAt === undefined ? '' : ` at ${new Date(entry.revokedAt).toISOString()}`;
    const why = entry?.reason ? ` (${entry.reason})` : '';
    return fail({ code: 'CERT_REVOKED', text: `${who} was revoked${at}${why}`, ...id });
  }

  const usage = info.usage;
  if (usage === undefined) return fail({ code: 'CERT_INVALID', text: `${who} names no usage (subject OU)`, ...id });
  const profile = CERTIFICATE_PROFILES[usage];
  if (info.keyAlgorithm !== profile.keyAlgorithm) {
    return fail({ code: 'CERT_INVALID', text: `${who} says ${usage} but has a ${info.keyAlgorithm ?? 'foreign'} key`, ...id });
  }
  // Node's `keyUsage` is the extKeyUsage OID list (undefined when the extension is absent).
  const eku = info.x509.keyUsage ?? [];
  if (profile.extendedKeyUsage.some((oid) => !eku.includes(oid))) {
    return fail({ code: 'CERT_INVALID', text: `${who} lacks the extended key usage of an ${usage} certificate`, ...id });
  }
  if (options.expectedUsage !== undefined && usage !== options.expectedUsage) {
    return fail({ code: 'CERT_INVALID', text: `${who} is a ${usage} certificate; ${options.expectedUsage} is required`, ...id });
  }
  if (options.expectedComponentCode !== undefined && info.componentCode !== options.expectedComponentCode) {
    return fail({ code: 'CERT_INVALID', text: `${who} belongs to ${info.componentCode}, not ${options.expectedComponentCode}`, ...id });
  }
  if (options.knownSerials !== undefined && !options.knownSerials.has(info.serial)) {
    return fail({ code: 'CERT_UNKNOWN', text: `${who} is not in the component directory`, ...id });
  }
  return ok({ ...info, usage });
}

/** `verifyCertificate`, throwing the problem as a HubError. */
export function assertCertificate(input: CertificateInput, options: VerifyCertificateOptions): VerifiedCertificate {
  const r = verifyCertificate(input, options);
  if (!r.ok) throw new HubError(r.error.code, r.error.text, { ...r.error });
  return r.value;
}

/** Parses only (no checks), e.g. to look up the serial of a peer certificate. */
export { parseCertificate };
