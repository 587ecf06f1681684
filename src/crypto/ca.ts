/**
 * The directory's certificate authority (docs/directory.md "Certificate profiles", ADR 0007).
 *
 * - Root: ECDSA P-256, self-signed, subject CN = the directory's EIC V-code, O = its
 *   organisation, OU = "component directory CA"; basicConstraints CA (critical, path length 0),
 *   keyUsage keyCertSign + cRLSign (critical); 10 years by default.
 * - Issued certificates: subject CN = component code, O = organisation, **OU = usage**
 *   (`authentication` | `signing` | `encryption`), read back by `readCertificate`. Each usage has
 *   one profile (key algorithm, keyUsage, extKeyUsage, subjectAltName) in `CERTIFICATE_PROFILES`;
 *   the verifier checks the OU against the key algorithm and extensions as well, so a certificate
 *   is usable for exactly one purpose.
 * - Serial numbers: 16 random bytes with the top bits set to 01 (positive, never a leading zero
 *   byte, 126 random bits), written as 32 upper-case hex digits, as Node prints them.
 * - notBefore is back-dated 5 minutes for clock skew; notAfter never outlives the CA.
 *
 * Signing goes through @peculiar/x509 on Node's WebCrypto; parsing and verification use Node's
 * own `X509Certificate` (certificate-info.ts, verify-certificate.ts).
 */
import { createPrivateKey, createPublicKey, randomBytes, webcrypto, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HubError } from '../shared/errors.js';
import {
  keyAlgorithmOf,
  readPrivateKey,
  toPublicKey,
  writePrivateKey,
  writePublicFile,
  generateKeyPair,
  type KeyAlgorithm,
} from './keys.js';
import { x509 } from './x509.js';

export const CERTIFICATE_USAGES = ['authentication', 'signing', 'encryption'] as const;
export type CertificateUsage = (typeof CERTIFICATE_USAGES)[number];

export const isCertificateUsage = (v: unknown): v is CertificateUsage => CERTIFICATE_USAGES.includes(v as CertificateUsage);

export interface CertificateProfile {
  readonly keyAlgorithm: KeyAlgorithm;
  /** keyUsage bits, as OpenSSL/Node name them. */
  readonly keyUsage: readonly ('digitalSignature' | 'nonRepudiation' | 'keyAgreement')[];
  /** extKeyUsage OIDs. */
  readonly extendedKeyUsage: readonly string[];
  readonly subjectAltName: boolean;
}

export const OID_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
export const OID_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

export const CERTIFICATE_PROFILES: Readonly<Record<CertificateUsage, CertificateProfile>> = {
  authentication: {
    keyAlgorithm: 'ec-p256',
    keyUsage: ['digitalSignature', 'keyAgreement'],
    extendedKeyUsage: [OID_SERVER_AUTH, OID_CLIENT_AUTH],
    subjectAltName: true,
  },
  signing: { keyAlgorithm: 'ed25519', keyUsage: ['digitalSignature', 'nonRepudiation'], extendedKeyUsage: [], subjectAltName: false },
  encryption: { keyAlgorithm: 'x25519', keyUsage: ['keyAgreement'], extendedKeyUsage: [], subjectAltName: false },
};

export const CA_ORGANISATIONAL_UNIT = 'component directory CA';
export const DEFAULT_CA_VALIDITY_YEARS = 10;
export const DEFAULT_CERTIFICATE_VALIDITY_DAYS = 365;
export const MAX_CERTIFICATE_VALIDITY_DAYS = 825;
/** notBefore = issue time minus this, so a peer whose clock is a little behind accepts a fresh certificate. */
export const BACKDATE_MS = 5 * 60_000;
export const DEFAULT_DNS_NAMES: readonly string[] = ['localhost'];
export const DEFAULT_IP_ADDRESSES: readonly string[] = ['127.0.0.1'];

const DAY_MS = 86_400_000;
const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const CODE = /^[0-9A-Z-]{16}$/;

type CryptoKey = webcrypto.CryptoKey;

/** A loaded CA: its certificate and the private key that signs certificates and directory documents. */
export interface CertificateAuthority {
  /** The directory's component code (the CA certificate's CN). */
  readonly code: string;
  readonly organisation: string;
  readonly certificatePem: string;
  readonly certificate: X509Certificate;
  readonly privateKey: KeyObject;
  readonly notAfter: Date;
  /** @internal the same private key as a WebCrypto key, for @peculiar/x509. */
  readonly signingKey: CryptoKey;
  /** @internal the issuer name, DER, copied into every issued certificate. */
  readonly issuerName: x509.Name;
  /** @internal */
  readonly authorityKeyIdentifier: x509.AuthorityKeyIdentifierExtension;
}

export interface IssuedCertificate {
  readonly serial: string;
  readonly pem: string;
  readonly componentCode: string;
  readonly organisation: string;
  readonly usage: CertificateUsage;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SHA-256 of the DER, colon-separated upper-case hex (Node's `fingerprint256`). */
  readonly fingerprint256: string;
}

/** A fresh serial: 32 upper-case hex digits, positive, first byte 0x40–0x7F. */
export function randomSerial(): string {
  const b = randomBytes(16);
  b[0] = ((b[0] ?? 0) & 0x3f) | 0x40;
  return b.toString('hex').toUpperCase();
}

function subjectName(cn: string, organisation: string, ou: string): x509.Name {
  return new x509.Name([{ CN: [{ utf8String: cn }] }, { O: [{ utf8String: organisation }] }, { OU: [{ utf8String: ou }] }]);
}

async function importSigningKey(privateKey: KeyObject): Promise<CryptoKey> {
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  return webcrypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
}

function checkOrganisation(organisation: string, what: string): void {
  // eslint-disable-next-line no-control-regex
  if (organisation.trim() === '' || organisation.length > 64 || /[\u0000-\u001f\u007f]/.test(organisation)) {
    throw new HubError('DIRECTORY_INPUT_INVALID', `${what}: organisation must be 1–64 characters without control characters`);
  }
}

export interface CreateCaParams {
  /** The directory's component code (EIC V-code): the CA's CN. */
  readonly code: string;
  readonly organisation: string;
  readonly validityYears?: number;
  readonly now?: Date;
}

/** Creates a new CA with a fresh ECDSA P-256 key. Nothing is written to disk (see `writeCertificateAuthority`). */
export async function createCertificateAuthority(params: CreateCaParams): Promise<CertificateAuthority> {
  if (!CODE.test(params.code))
    throw new HubError('DIRECTORY_INPUT_INVALID', `CA code ${JSON.stringify(params.code)} is not a 16-character EIC code`);
  checkOrganisation(params.organisation, 'CA');
  const years = params.validityYears ?? DEFAULT_CA_VALIDITY_YEARS;
  if (!Number.isInteger(years) || years < 1 || years > 30) throw new HubError('DIRECTORY_INPUT_INVALID', 'CA validity must be 1–30 years');
  const now = params.now ?? new Date();
  const { privateKey } = generateKeyPair('ec-p256');
  const signingKey = await importSigningKey(privateKey);
  const publicKey = new x509.PublicKey(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }));
  const name = subjectName(params.code, params.organisation, CA_ORGANISATIONAL_UNIT);
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + years);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: name,
    issuer: name,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter,
    publicKey,
    signingKey,
    signingAlgorithm: ECDSA_P256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
    ],
  });
  return loadCertificateAuthority(cert.toString('pem'), privateKey);
}

/**
 * Loads a CA from its certificate and private key, checking that the certificate is a CA
 * certificate with an ECDSA P-256 key and that the private key belongs to it.
 */
export async function loadCertificateAuthority(certificatePem: string, privateKey: KeyObject | string): Promise<CertificateAuthority> {
  let certificate: X509Certificate;
  let peculiar: x509.X509Certificate;
  try {
    certificate = new X509Certificate(certificatePem);
    peculiar = new x509.X509Certificate(certificatePem);
  } catch (e) {
    throw new HubError('CERT_INVALID', `the CA certificate cannot be parsed: ${(e as Error).message}`, undefined, { cause: e });
  }
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  if (!certificate.ca) throw new HubError('CERT_INVALID', 'the CA certificate is not a CA certificate (basicConstraints CA:FALSE)');
  if (keyAlgorithmOf(certificate.publicKey) !== 'ec-p256') throw new HubError('CERT_INVALID', 'the CA key must be ECDSA P-256');
  const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'der' });
  if (!spki(createPublicKey(key)).equals(spki(certificate.publicKey))) {
    throw new HubError('KEY_UNREADABLE', 'the CA private key does not belong to the CA certificate');
  }
  const code = peculiar.subjectName.getField('CN')[0] ?? '';
  const organisation = peculiar.subjectName.getField('O')[0] ?? '';
  return {
    code,
    organisation,
    certificatePem: certificate.toString(),
    certificate,
    privateKey: key,
    notAfter: new Date(certificate.validTo),
    signingKey: await importSigningKey(key),
    issuerName: peculiar.subjectName,
    authorityKeyIdentifier: await x509.AuthorityKeyIdentifierExtension.create(peculiar.publicKey),
  };
}

export const CA_CERTIFICATE_FILE = 'ca.crt';
export const CA_KEY_FILE = 'ca.key';

/** Writes `ca.crt` (0644) and `ca.key` (0600) into `dir` (0700). Refuses to overwrite an existing key. */
export function writeCertificateAuthority(dir: string, ca: CertificateAuthority): { certificatePath: string; keyPath: string } {
  const keyPath = writePrivateKey(dir, CA_KEY_FILE, ca.privateKey);
  const certificatePath = writePublicFile(dir, CA_CERTIFICATE_FILE, ca.certificatePem);
  return { certificatePath, keyPath };
}

/** Loads `ca.crt` + `ca.key` from `dir`; KEY_UNREADABLE when they are missing or unsafe. */
export async function readCertificateAuthority(dir: string): Promise<CertificateAuthority> {
  const certificatePath = join(dir, CA_CERTIFICATE_FILE);
  if (!existsSync(certificatePath)) {
    throw new HubError('KEY_UNREADABLE', `no CA in ${dir} (${CA_CERTIFICATE_FILE} missing); run tps-hub certs init-ca first`, { dir });
  }
  const privateKey = readPrivateKey(join(dir, CA_KEY_FILE));
  return loadCertificateAuthority(readFileSync(certificatePath, 'utf8'), privateKey);
}

export interface IssueCertificateParams {
  readonly componentCode: string;
  readonly organisation: string;
  readonly usage: CertificateUsage;
  /** The subject's public key (KeyObject or SPKI PEM); its algorithm must match the usage's profile. */
  readonly publicKey: KeyObject | string;
  readonly validityDays?: number;
  /** authentication only: subjectAltName DNS names. Neither names nor addresses given: `localhost` + `127.0.0.1`. */
  readonly dnsNames?: readonly string[];
  /** authentication only: subjectAltName IP addresses. */
  readonly ipAddresses?: readonly string[];
  readonly now?: Date;
  /** A chosen serial (tests); a random one otherwise. */
  readonly serial?: string;
}

/** Issues one certificate under `ca` for `params.usage` (profiles: `CERTIFICATE_PROFILES`). */
export async function issueCertificate(ca: CertificateAuthority, params: IssueCertificateParams): Promise<IssuedCertificate> {
  const { componentCode, organisation, usage } = params;
  if (!CODE.test(componentCode)) {
    throw new HubError('DIRECTORY_INPUT_INVALID', `component code ${JSON.stringify(componentCode)} is not a 16-character EIC code`);
  }
  if (!isCertificateUsage(usage)) throw new HubError('DIRECTORY_INPUT_INVALID', `usage must be one of ${CERTIFICATE_USAGES.join(', ')}`);
  checkOrganisation(organisation, componentCode);
  const profile = CERTIFICATE_PROFILES[usage];
  const publicKey = toPublicKey(params.publicKey);
  const algorithm = keyAlgorithmOf(publicKey);
  if (algorithm !== profile.keyAlgorithm) {
    throw new HubError(
      'DIRECTORY_INPUT_INVALID',
      `a ${usage} certificate needs a ${profile.keyAlgorithm} key; got ${algorithm ?? publicKey.asymmetricKeyType ?? 'unknown'}`,
    );
  }
  const days = params.validityDays ?? DEFAULT_CERTIFICATE_VALIDITY_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_CERTIFICATE_VALIDITY_DAYS) {
    throw new HubError('DIRECTORY_INPUT_INVALID', `validity must be 1–${MAX_CERTIFICATE_VALIDITY_DAYS} days; got ${days}`);
  }
  const now = params.now ?? new Date();
  if (now.getTime() >= ca.notAfter.getTime())
    throw new HubError('CERT_EXPIRED', `the CA certificate expired at ${ca.notAfter.toISOString()}`);
  const notBefore = new Date(now.getTime() - BACKDATE_MS);
  const notAfter = new Date(Math.min(now.getTime() + days * DAY_MS, ca.notAfter.getTime()));
  const serial = params.serial ?? randomSerial();
  if (!/^[4-7][0-9A-F]{31}$/.test(serial))
    throw new HubError('DIRECTORY_INPUT_INVALID', `serial ${serial} is not 32 hex digits starting 4–7`);

  const spki = new x509.PublicKey(publicKey.export({ type: 'spki', format: 'der' }));
  const flags = x509.KeyUsageFlags;
  const keyUsage = profile.keyUsage.reduce((bits, u) => bits | flags[u], 0);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(keyUsage, true),
    await x509.SubjectKeyIdentifierExtension.create(spki),
    ca.authorityKeyIdentifier,
  ];
  if (profile.extendedKeyUsage.length > 0) extensions.push(new x509.ExtendedKeyUsageExtension([...profile.extendedKeyUsage], false));
  if (profile.subjectAltName) {
    // the loopback defaults apply only when no name at all is given
    const defaults = params.dnsNames === undefined && params.ipAddresses === undefined;
    const dns = defaults ? DEFAULT_DNS_NAMES : (params.dnsNames ?? []);
    const ips = defaults ? DEFAULT_IP_ADDRESSES : (params.ipAddresses ?? []);
    for (const d of dns) {
      if (!/^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(d)) {
        throw new HubError('DIRECTORY_INPUT_INVALID', `${JSON.stringify(d)} is not a DNS name`);
      }
    }
    for (const ip of ips) {
      if (!isIpAddress(ip)) throw new HubError('DIRECTORY_INPUT_INVALID', `${JSON.stringify(ip)} is not an IP address`);
    }
    if (dns.length + ips.length === 0)
      throw new HubError('DIRECTORY_INPUT_INVALID', 'an authentication certificate needs at least one DNS name or IP address');
    extensions.push(
      new x509.SubjectAlternativeNameExtension([
        ...dns.map((value) => ({ type: 'dns' as const, value })),
        ...ips.map((value) => ({ type: 'ip' as const, value })),
      ]),
    );
  } else if (params.dnsNames?.length || params.ipAddresses?.length) {
    throw new HubError('DIRECTORY_INPUT_INVALID', `DNS names and IP addresses belong in authentication certificates only, not ${usage}`);
  }

  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject: subjectName(componentCode, organisation, usage),
    issuer: ca.issuerName,
    notBefore,
    notAfter,
    publicKey: spki,
    signingKey: ca.signingKey,
    signingAlgorithm: ECDSA_P256,
    extensions,
  });
  const pem = cert.toString('pem');
  const node = new X509Certificate(pem);
  return {
    serial: node.serialNumber,
    pem: `${pem.trim()}\n`,
    componentCode,
    organisation,
    usage,
    notBefore: new Date(node.validFrom),
    notAfter: new Date(node.validTo),
    fingerprint256: node.fingerprint256,
  };
}

function isIpAddress(s: string): boolean {
  const v4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
  if (v4.test(s)) return true;
  return /^[0-9A-Fa-f:]+$/.test(s) && s.includes(':') && (s.match(/::/g) ?? []).length <= 1;
}
