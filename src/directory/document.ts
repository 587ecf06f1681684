/**
 * The signed directory document (docs/directory.md "Directory document").
 *
 * Wire format: a JWS in compact serialisation (RFC 7515), `application/jose`, signed ES256 by the
 * directory CA key. Protected header `{"alg":"ES256","typ":"tps-directory+json","x5t#S256":…}`
 * (the SHA-256 thumbprint of the CA certificate). Payload: the UTF-8 JSON body below. The
 * verifier takes its CA certificate from configuration (the trust anchor), never from the
 * document.
 *
 *   { format: "tps-hub.directory/1", contentId, issuedAt, ttlMs, directoryCode,
 *     components: Component[], certificates: PublishedCertificate[],
 *     revoked: { serial, revokedAt, reason }[], messagePaths: MessagePath[] }
 *
 * `contentId` strictly increases with every publication; a holder refuses a document whose
 * contentId is not greater than the one it holds (rollback / replay). `issuedAt + ttlMs` is when
 * holders must stop using it (default 28 days, as ECP).
 */
import { createHash, X509Certificate } from 'node:crypto';
import { CompactSign, compactVerify } from 'jose';
import { z } from 'zod';
import type { CertificateAuthority, CertificateUsage } from '../crypto/ca.js';
import { CERTIFICATE_USAGES } from '../crypto/ca.js';
import type { CertificateInput } from '../crypto/certificate-info.js';
import {
  verifyCertificate,
  type CertificateProblem,
  type RevocationEntry,
  type VerifiedCertificate,
} from '../crypto/verify-certificate.js';
import type { Clock } from '../shared/clock.js';
import { HubError } from '../shared/errors.js';
import type { Rejection, Result } from '../shared/result.js';
import {
  COMPONENT_STATUSES,
  COMPONENT_TYPES,
  REVOCATION_REASONS,
  type Component,
  type MessagePath,
  type RevocationReason,
} from './model.js';
import { resolveRoute, type Route } from './routing.js';

export const DOCUMENT_FORMAT = 'tps-hub.directory/1';
export const DOCUMENT_MEDIA_TYPE = 'tps-directory+json';
/** ECP's default: a cached directory stays usable for 28 days. */
export const DEFAULT_TTL_MS = 28 * 86_400_000;

export interface PublishedCertificate {
  readonly serial: string;
  readonly componentCode: string;
  readonly usage: CertificateUsage;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly pem: string;
}

export interface RevokedEntry {
  readonly serial: string;
  readonly revokedAt: string;
  readonly reason: RevocationReason;
}

export interface DirectoryContent {
  readonly directoryCode: string;
  readonly components: readonly Component[];
  readonly certificates: readonly PublishedCertificate[];
  readonly revoked: readonly RevokedEntry[];
  readonly messagePaths: readonly MessagePath[];
}

export interface DirectoryDocumentBody extends DirectoryContent {
  readonly format: typeof DOCUMENT_FORMAT;
  readonly contentId: number;
  readonly issuedAt: string;
  readonly ttlMs: number;
}

export interface SignedDirectoryDocument {
  /** Compact JWS: what is served and cached. */
  readonly jws: string;
  /** The exact payload text. */
  readonly body: string;
  /** `<protected header>..<signature>` (detached payload), as stored. */
  readonly detachedSignature: string;
}

/** SHA-256 of the content without contentId/issuedAt/ttlMs: tells whether anything changed. */
export function contentHash(content: DirectoryContent): string {
  const { directoryCode, components, certificates, revoked, messagePaths } = content;
  return createHash('sha256').update(JSON.stringify({ directoryCode, components, certificates, revoked, messagePaths })).digest('hex');
}

export function caThumbprint(ca: X509Certificate): string {
  return createHash('sha256').update(ca.raw).digest('base64url');
}

export async function signDirectoryDocument(body: DirectoryDocumentBody, ca: CertificateAuthority): Promise<SignedDirectoryDocument> {
  const text = JSON.stringify(body);
  const jws = await new CompactSign(Buffer.from(text, 'utf8'))
    .setProtectedHeader({ alg: 'ES256', typ: DOCUMENT_MEDIA_TYPE, 'x5t#S256': caThumbprint(ca.certificate) })
    .sign(ca.privateKey);
  const [header, , signature] = jws.split('.');
  return { jws, body: text, detachedSignature: `${header ?? ''}..${signature ?? ''}` };
}

/** body + detached signature → the compact JWS. */
export function attachPayload(body: string, detachedSignature: string): string {
  const [header, empty, signature] = detachedSignature.split('.');
  if (header === undefined || empty !== '' || signature === undefined)
    throw new HubError('DIRECTORY_DOCUMENT_INVALID', 'stored signature is not a detached JWS');
  return `${header}.${Buffer.from(body, 'utf8').toString('base64url')}.${signature}`;
}

const iso = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(s) && !Number.isNaN(Date.parse(s)), 'ISO-8601 UTC date-time');
const code = z.string().length(16);
const bodySchema = z.object({
  format: z.literal(DOCUMENT_FORMAT),
  contentId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  issuedAt: iso,
  ttlMs: z.number().int().positive(),
  directoryCode: code,
  components: z.array(
    z.object({
      code,
      type: z.enum(COMPONENT_TYPES),
      organisation: z.string(),
      organisationCode: code,
      marketRoles: z.array(z.string()),
      urls: z.array(z.string()),
      contact: z.object({ person: z.string().optional(), email: z.string().optional(), phone: z.string().optional() }).optional(),
      status: z.enum(COMPONENT_STATUSES),
      createdAt: iso,
      updatedAt: iso,
    }),
  ),
  certificates: z.array(
    z.object({
      serial: z.string().min(1),
      componentCode: code,
      usage: z.enum(CERTIFICATE_USAGES),
      notBefore: iso,
      notAfter: iso,
      pem: z.string().min(1),
    }),
  ),
  revoked: z.array(z.object({ serial: z.string().min(1), revokedAt: iso, reason: z.enum(REVOCATION_REASONS) })),
  messagePaths: z.array(
    z.object({
      id: z.string().min(1),
      receiverCode: code,
      messageType: z.string().min(1),
      senders: z.union([z.literal('*'), z.array(code)]),
      path: z.union([z.literal('DIRECT'), z.object({ broker: code })]),
      validFrom: iso,
      validTo: iso.optional(),
    }),
  ),
});

export interface VerifyDocumentOptions {
  /** The contentId of the document already held: the new one must be greater. */
  readonly previousContentId?: number;
}

export interface VerifiedDirectoryDocument {
  readonly jws: string;
  readonly body: DirectoryDocumentBody;
  readonly contentId: number;
  readonly issuedAt: Date;
  /** issuedAt + ttlMs: after this the document must not be used. */
  readonly expiresAt: Date;
}

const invalid = (message: string, cause?: unknown) =>
  new HubError('DIRECTORY_DOCUMENT_INVALID', message, undefined, cause === undefined ? undefined : { cause });

/**
 * Verifies signature (ES256 by the CA key), body shape, the directory code (= the CA's CN) and the
 * contentId order. Throws DIRECTORY_DOCUMENT_INVALID with the reason.
 */
export async function verifyDirectoryDocument(
  jws: string,
  caCertificate: X509Certificate | string,
  options: VerifyDocumentOptions = {},
): Promise<VerifiedDirectoryDocument> {
  const ca = typeof caCertificate === 'string' ? new X509Certificate(caCertificate) : caCertificate;
  if (typeof jws !== 'string' || jws.split('.').length !== 3) throw invalid('the directory document is not a compact JWS');
  let verified: Awaited<ReturnType<typeof compactVerify>>;
  try {
    verified = await compactVerify(jws.trim(), ca.publicKey, { algorithms: ['ES256'] });
  } catch (e) {
    throw invalid(`the directory document signature does not verify with the directory CA key (${(e as Error).message})`, e);
  }
  if (verified.protectedHeader.typ !== DOCUMENT_MEDIA_TYPE) {
    throw invalid(`the signed object is a ${String(verified.protectedHeader.typ)}, not a ${DOCUMENT_MEDIA_TYPE} directory document`);
  }
  const payload = verified.payload;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch (e) {
    throw invalid('the directory document body is not JSON', e);
  }
  const checked = bodySchema.safeParse(parsed);
  if (!checked.success) {
    const issues = checked.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
    throw invalid(`the directory document body is malformed: ${issues.join('; ')}`);
  }
  const body = checked.data as DirectoryDocumentBody;
  const caCode = /(?:^|\n)CN=([^\n]*)/.exec(ca.subject)?.[1];
  if (body.directoryCode !== caCode) throw invalid(`the document is from directory ${body.directoryCode}, but the CA is ${caCode ?? '?'}`);
  if (options.previousContentId !== undefined && body.contentId <= options.previousContentId) {
    throw invalid(`contentId ${body.contentId} is not newer than the held ${options.previousContentId} (old or replayed document)`);
  }
  const issuedAt = new Date(body.issuedAt);
  return { jws: jws.trim(), body, contentId: body.contentId, issuedAt, expiresAt: new Date(issuedAt.getTime() + body.ttlMs) };
}

export interface CheckCertificateOptions {
  readonly usage: CertificateUsage;
  readonly componentCode?: string;
}

/**
 * What an endpoint or broker knows from one verified document: components, their certificates,
 * revocations, message paths; routing and certificate checks against them.
 */
export class DirectoryView {
  readonly document: VerifiedDirectoryDocument;
  private readonly componentsByCode: ReadonlyMap<string, Component>;
  private readonly pathsByReceiver: ReadonlyMap<string, MessagePath[]>;
  private readonly certificatesBySerial: ReadonlyMap<string, PublishedCertificate>;
  private readonly revoked: ReadonlyMap<string, RevocationEntry>;

  constructor(
    document: VerifiedDirectoryDocument,
    private readonly caCertificate: X509Certificate,
    private readonly clock: Clock,
  ) {
    this.document = document;
    const b = document.body;
    this.componentsByCode = new Map(b.components.map((c) => [c.code, c]));
    const paths = new Map<string, MessagePath[]>();
    for (const p of b.messagePaths) paths.set(p.receiverCode, [...(paths.get(p.receiverCode) ?? []), p]);
    this.pathsByReceiver = paths;
    this.certificatesBySerial = new Map(b.certificates.map((c) => [c.serial, c]));
    this.revoked = new Map(b.revoked.map((r) => [r.serial, { revokedAt: r.revokedAt, reason: r.reason }]));
  }

  get contentId(): number {
    return this.document.contentId;
  }

  component(code: string): Component | undefined {
    return this.componentsByCode.get(code);
  }

  components(): readonly Component[] {
    return this.document.body.components;
  }

  messagePaths(receiverCode?: string): readonly MessagePath[] {
    return receiverCode === undefined ? this.document.body.messagePaths : (this.pathsByReceiver.get(receiverCode) ?? []);
  }

  /** A published certificate by serial (valid or not; check it with checkCertificate). */
  certificateBySerial(serial: string): PublishedCertificate | undefined {
    return this.certificatesBySerial.get(serial);
  }

  /** The revocation of a certificate the document lists as revoked (no longer among its certificates). */
  revocationOf(serial: string): RevocationEntry | undefined {
    return this.revoked.get(serial);
  }

  /** Certificates of a component valid at `at` (default now), newest first. */
  certificates(componentCode: string, usage?: CertificateUsage, at: Date = this.clock.now()): PublishedCertificate[] {
    const t = at.getTime();
    return this.document.body.certificates
      .filter((c) => c.componentCode === componentCode && (usage === undefined || c.usage === usage))
      .filter((c) => Date.parse(c.notBefore) <= t && t <= Date.parse(c.notAfter) && !this.revoked.has(c.serial))
      .sort((a, b) => Date.parse(b.notBefore) - Date.parse(a.notBefore));
  }

  /** The certificate to use now for a component and usage (e.g. a receiver's encryption key): the newest valid one. */
  currentCertificate(componentCode: string, usage: CertificateUsage, at?: Date): PublishedCertificate | undefined {
    return this.certificates(componentCode, usage, at)[0];
  }

  /**
   * Checks a presented certificate (TLS peer, message signer) against the CA, this document's
   * revocations and its certificate list: CERT_INVALID / CERT_EXPIRED / CERT_REVOKED / CERT_UNKNOWN.
   */
  checkCertificate(input: CertificateInput, options: CheckCertificateOptions): Result<VerifiedCertificate, CertificateProblem> {
    return verifyCertificate(input, {
      caCertificate: this.caCertificate,
      revoked: this.revoked,
      clock: this.clock,
      expectedUsage: options.usage,
      ...(options.componentCode !== undefined ? { expectedComponentCode: options.componentCode } : {}),
      knownSerials: this.certificatesBySerial,
    });
  }

  routeFor(senderCode: string, receiverCode: string, messageType: string, at: Date = this.clock.now()): Result<Route, Rejection[]> {
    return resolveRoute(
      { component: (c) => this.component(c), pathsOf: (r) => this.messagePaths(r) },
      { senderCode, receiverCode, messageType, at },
    );
  }
}
