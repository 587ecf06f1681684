/**
 * The component directory's use cases (docs/directory.md): components, certificates (the
 * directory is the network's CA), receiver-declared message paths, routing, and publication of
 * the signed directory document.
 *
 * Every administrative change runs in one transaction and, when an `onChange` hook is given,
 * calls it inside that transaction with `{ action, subject, details }`, so an audit entry
 * (src/audit `AuditTrail.record`) commits or rolls back together with the change.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { issueCertificate as caIssue, type CertificateAuthority, type CertificateUsage, type IssuedCertificate } from '../crypto/ca.js';
import { readCertificate, type CertificateInput } from '../crypto/certificate-info.js';
import { verifyCertificate, type CertificateProblem, type VerifiedCertificate } from '../crypto/verify-certificate.js';
import type { Clock } from '../shared/clock.js';
import { HubError } from '../shared/errors.js';
import { randomIds, type IdGenerator } from '../shared/ids.js';
import { fail, type Rejection, type Result } from '../shared/result.js';
import type { Database, Queryable } from '../shared/sql.js';
import {
  attachPayload,
  contentHash,
  DEFAULT_TTL_MS,
  DOCUMENT_FORMAT,
  signDirectoryDocument,
  type DirectoryContent,
  type DirectoryDocumentBody,
} from './document.js';
import * as store from './directory-store.js';
import {
  Problems,
  validateComponentInput,
  validateComponentPatch,
  validateMessagePathInput,
  validateRevocationReason,
  validateUsage,
  type CertificateRecord,
  type Component,
  type ComponentPatch,
  type MessagePath,
  type MessagePathInput,
} from './model.js';
import { resolveRoute, type Route } from './routing.js';

export type DirectoryAction =
  | 'component.registered'
  | 'component.updated'
  | 'component.removed'
  | 'certificate.issued'
  | 'certificate.renewed'
  | 'certificate.revoked'
  | 'message_path.added'
  | 'message_path.removed'
  | 'message_paths.replaced'
  | 'document.published';

/**
 * One administrative change, shaped for src/audit `AuditEntry` (the hook adds the actor):
 * `action` follows the audit naming rule (dotted lower case; `component.registered`,
 * `certificate.revoked` are in AUDIT_ACTIONS), `details` is plain JSON.
 */
export interface DirectoryChange {
  readonly action: DirectoryAction;
  /** What changed: a component code, a certificate serial, a message path id, `document:<contentId>`. */
  readonly subject: string;
  /** The component codes the change concerns. */
  readonly parties: readonly string[];
  readonly details: Readonly<Record<string, unknown>>;
}

/** Called inside the transaction of every administrative change; throwing rolls the change back. */
export type DirectoryChangeHook = (tx: Queryable, change: DirectoryChange) => Promise<void>;

export interface DirectoryDeps {
  readonly db: Database;
  readonly clock: Clock;
  /** The CA, or a loader called on first use (listing and registering need no CA). */
  readonly ca?: CertificateAuthority | (() => Promise<CertificateAuthority>);
  readonly ids?: IdGenerator;
  readonly onChange?: DirectoryChangeHook;
}

export interface IssueRequest {
  readonly componentCode: string;
  readonly usage: CertificateUsage;
  /** The component's public key (KeyObject or SPKI PEM); it keeps the private key. */
  readonly publicKey: KeyObject | string;
  readonly validityDays?: number;
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
}

export interface RenewRequest {
  /** The new public key (renewal rotates the key). */
  readonly publicKey: KeyObject | string;
  readonly validityDays?: number;
  /** authentication: defaults to the old certificate's names. */
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
}

export interface PublishOptions {
  readonly ttlMs?: number;
}

export interface PublishIfChangedOptions extends PublishOptions {
  /** Publish even without changes when the latest document is at least this old (default 1 day). */
  readonly republishAfterMs?: number;
}

export interface PublishedDocument {
  readonly contentId: number;
  readonly issuedAt: string;
  readonly ttlMs: number;
  readonly expiresAt: string;
  /** Compact JWS, as served to endpoints and brokers. */
  readonly jws: string;
  /** False when `publishIfChanged` found nothing to publish and returned the latest one. */
  readonly published: boolean;
}

export interface CertificateListFilter {
  readonly componentCode?: string;
  readonly usage?: CertificateUsage;
  /** Only neither revoked nor expired now. */
  readonly activeOnly?: boolean;
}

export const DEFAULT_REPUBLISH_AFTER_MS = 86_400_000;
const MAX_TTL_MS = 366 * 86_400_000;

export interface Directory {
  registerComponent(input: unknown): Promise<Component>;
  updateComponent(code: string, patch: unknown): Promise<Component>;
  /** Deletes the component and its message paths and revokes its certificates (cessationOfOperation). */
  removeComponent(code: string): Promise<{ readonly revokedSerials: readonly string[]; readonly removedPaths: number }>;
  getComponent(code: string): Promise<Component | undefined>;
  listComponents(): Promise<Component[]>;

  issueCertificate(request: IssueRequest): Promise<CertificateRecord>;
  renewCertificate(serial: string, request: RenewRequest): Promise<CertificateRecord>;
  /** `reason`: a RevocationReason (checked: DIRECTORY_INPUT_INVALID otherwise). */
  revokeCertificate(serial: string, reason: string): Promise<CertificateRecord>;
  getCertificate(serial: string): Promise<CertificateRecord | undefined>;
  listCertificates(filter?: CertificateListFilter): Promise<CertificateRecord[]>;
  /** Certificates that expire within `withinMs` and have no newer active certificate for the same component and usage. */
  certificatesDueForRenewal(withinMs: number): Promise<CertificateRecord[]>;
  /** A presented certificate against the CA and the directory's records: CERT_INVALID/EXPIRED/REVOKED/UNKNOWN. */
  checkCertificate(
    input: CertificateInput,
    expected: { usage: CertificateUsage; componentCode?: string },
  ): Promise<Result<VerifiedCertificate, CertificateProblem>>;

  addMessagePath(input: MessagePathInput): Promise<MessagePath>;
  /** Replaces all of a receiver's message paths. */
  setMessagePaths(receiverCode: string, inputs: readonly Omit<MessagePathInput, 'receiverCode'>[]): Promise<MessagePath[]>;
  removeMessagePath(id: string): Promise<MessagePath>;
  listMessagePaths(receiverCode?: string): Promise<MessagePath[]>;
  routeFor(senderCode: string, receiverCode: string, messageType: string, at?: Date): Promise<Result<Route, Rejection[]>>;

  publishDocument(options?: PublishOptions): Promise<PublishedDocument>;
  publishIfChanged(options?: PublishIfChangedOptions): Promise<PublishedDocument>;
  latestDocument(): Promise<PublishedDocument | undefined>;
  /** The CA certificate endpoints and brokers must be configured with (trust anchor). */
  caCertificatePem(): Promise<string>;
}

const pathParties = (p: MessagePath): string[] => [p.receiverCode, ...(p.path === 'DIRECT' ? [] : [p.path.broker])];

const unknownComponent = (code: string) => new HubError('DIRECTORY_COMPONENT_UNKNOWN', `no component ${code} is registered`, { code });

function sanOf(pem: string): { dnsNames: string[]; ipAddresses: string[] } {
  const san = new X509Certificate(pem).subjectAltName ?? '';
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  for (const part of san.split(', ')) {
    if (part.startsWith('DNS:')) dnsNames.push(part.slice(4));
    else if (part.startsWith('IP Address:')) ipAddresses.push(part.slice(11));
  }
  return { dnsNames, ipAddresses };
}

function toDocument(row: store.DocumentRow, published: boolean): PublishedDocument {
  return {
    contentId: row.contentId,
    issuedAt: row.issuedAt,
    ttlMs: row.ttlMs,
    expiresAt: new Date(Date.parse(row.issuedAt) + row.ttlMs).toISOString(),
    jws: attachPayload(row.body, row.signature),
    published,
  };
}

export function createDirectory(deps: DirectoryDeps): Directory {
  const { db, clock } = deps;
  const ids = deps.ids ?? randomIds;
  const record = async (tx: Queryable, change: DirectoryChange) => {
    if (deps.onChange) await deps.onChange(tx, change);
  };
  let caPromise: Promise<CertificateAuthority> | undefined;
  const ca = (): Promise<CertificateAuthority> => {
    if (!deps.ca)
      return Promise.reject(
        new HubError('KEY_UNREADABLE', 'the directory has no certificate authority configured; run tps-hub certs init-ca'),
      );
    if (typeof deps.ca !== 'function') return Promise.resolve(deps.ca);
    const load = deps.ca;
    caPromise ??= load().catch((e: unknown) => {
      caPromise = undefined;
      throw e;
    });
    return caPromise;
  };

  async function issueFor(
    component: Component,
    req: Omit<IssueRequest, 'componentCode'>,
    replaces?: CertificateRecord,
  ): Promise<{ issued: IssuedCertificate; record: CertificateRecord }> {
    if (component.status !== 'ACTIVE') {
      throw new HubError('DIRECTORY_INPUT_INVALID', `component ${component.code} is suspended; no certificates are issued to it`);
    }
    const now = clock.now();
    const issued = await caIssue(await ca(), {
      componentCode: component.code,
      organisation: component.organisation,
      usage: req.usage,
      publicKey: req.publicKey,
      now,
      ...(req.validityDays !== undefined ? { validityDays: req.validityDays } : {}),
      ...(req.dnsNames !== undefined ? { dnsNames: req.dnsNames } : {}),
      ...(req.ipAddresses !== undefined ? { ipAddresses: req.ipAddresses } : {}),
    });
    const rec: CertificateRecord = {
      serial: issued.serial,
      componentCode: component.code,
      usage: issued.usage,
      pem: issued.pem,
      fingerprint256: issued.fingerprint256,
      notBefore: issued.notBefore.toISOString(),
      notAfter: issued.notAfter.toISOString(),
      issuedAt: now.toISOString(),
      ...(replaces ? { replacesSerial: replaces.serial } : {}),
    };
    return { issued, record: rec };
  }

  async function buildContent(tx: Queryable, now: Date): Promise<DirectoryContent> {
    const authority = await ca();
    // one after the other: a transaction's connection runs one statement at a time
    const components = await store.selectComponents(tx);
    const active = await store.selectCertificates(tx, { activeAt: now });
    const revoked = await store.selectCertificates(tx, { revokedAndUnexpiredAt: now });
    const paths = await store.selectMessagePaths(tx);
    const t = now.getTime();
    return {
      directoryCode: authority.code,
      components,
      certificates: active.map((c) => ({
        serial: c.serial,
        componentCode: c.componentCode,
        usage: c.usage,
        notBefore: c.notBefore,
        notAfter: c.notAfter,
        pem: c.pem,
      })),
      revoked: revoked
        .map((c) => ({ serial: c.serial, revokedAt: c.revokedAt ?? '', reason: c.revocationReason ?? 'unspecified' }))
        .sort((a, b) => (a.serial < b.serial ? -1 : 1)),
      messagePaths: paths.filter((p) => p.validTo === undefined || Date.parse(p.validTo) > t),
    };
  }

  async function publishIn(
    tx: Queryable,
    content: DirectoryContent,
    hash: string,
    now: Date,
    ttlMs: number,
    previous: store.DocumentRow | undefined,
  ) {
    // strictly increasing; never below the clock in seconds, so a database restored from an old
    // backup does not hand out contentIds that holders have already seen
    const contentId = Math.max((previous?.contentId ?? 0) + 1, Math.floor(now.getTime() / 1000));
    const body: DirectoryDocumentBody = { format: DOCUMENT_FORMAT, contentId, issuedAt: now.toISOString(), ttlMs, ...content };
    const signed = await signDirectoryDocument(body, await ca());
    const row: store.DocumentRow = {
      contentId,
      issuedAt: body.issuedAt,
      ttlMs,
      body: signed.body,
      signature: signed.detachedSignature,
      contentHash: hash,
    };
    await store.insertDocument(tx, row);
    await record(tx, {
      action: 'document.published',
      subject: `document:${contentId}`,
      parties: [],
      details: {
        contentId,
        ttlMs,
        contentHash: hash,
        components: content.components.length,
        certificates: content.certificates.length,
        revoked: content.revoked.length,
        messagePaths: content.messagePaths.length,
      },
    });
    return toDocument(row, true);
  }

  function checkTtl(ttlMs: number): void {
    if (!Number.isInteger(ttlMs) || ttlMs < 60_000 || ttlMs > MAX_TTL_MS) {
      throw new HubError('DIRECTORY_INPUT_INVALID', `ttlMs must be an integer between 60000 (1 minute) and ${MAX_TTL_MS} (366 days)`);
    }
  }

  async function validatePathReferences(tx: Queryable, path: Omit<MessagePath, 'id'>, p: Problems, prefix: string): Promise<void> {
    const receiver = await store.selectComponent(tx, path.receiverCode);
    if (!receiver) throw unknownComponent(path.receiverCode);
    if (receiver.type !== 'ENDPOINT')
      p.add(`${prefix}receiverCode`, `${path.receiverCode} is a ${receiver.type}; message paths are declared by endpoints`);
    if (path.path !== 'DIRECT') {
      const broker = await store.selectComponent(tx, path.path.broker);
      if (!broker) p.add(`${prefix}path.broker`, `no component ${path.path.broker} is registered`);
      else if (broker.type !== 'BROKER') p.add(`${prefix}path.broker`, `${path.path.broker} is a ${broker.type}, not a BROKER`);
    }
  }

  const directory: Directory = {
    async registerComponent(input) {
      const v = validateComponentInput(input);
      const now = clock.now().toISOString();
      const component: Component = {
        code: v.code,
        type: v.type,
        organisation: v.organisation.trim(),
        organisationCode: v.organisationCode,
        marketRoles: [...(v.marketRoles ?? [])],
        urls: [...(v.urls ?? [])],
        ...(v.contact ? { contact: v.contact } : {}),
        status: v.status ?? 'ACTIVE',
        createdAt: now,
        updatedAt: now,
      };
      return db.transaction(async (tx) => {
        if (!(await store.insertComponent(tx, component))) {
          throw new HubError('DIRECTORY_COMPONENT_EXISTS', `component ${component.code} is already registered`, { code: component.code });
        }
        await record(tx, { action: 'component.registered', subject: component.code, parties: [component.code], details: { component } });
        return component;
      });
    },

    async updateComponent(code, patch) {
      return db.transaction(async (tx) => {
        const current = await store.selectComponent(tx, code, true);
        if (!current) throw unknownComponent(code);
        const p: ComponentPatch = validateComponentPatch(patch, current);
        const { contact, ...rest } = p;
        const next: Component = {
          ...current,
          ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
          ...(contact === null ? { contact: undefined } : contact !== undefined ? { contact } : {}),
          ...(p.organisation !== undefined ? { organisation: p.organisation.trim() } : {}),
          updatedAt: clock.now().toISOString(),
        };
        if (next.contact === undefined) delete (next as { contact?: unknown }).contact;
        const changed: Record<string, { from: unknown; to: unknown }> = {};
        for (const key of ['type', 'organisation', 'organisationCode', 'marketRoles', 'urls', 'contact', 'status'] as const) {
          if (JSON.stringify(current[key]) !== JSON.stringify(next[key]))
            changed[key] = { from: current[key] ?? null, to: next[key] ?? null };
        }
        if (Object.keys(changed).length === 0) return current;
        await store.updateComponentRow(tx, next);
        await record(tx, { action: 'component.updated', subject: code, parties: [code], details: { changed } });
        return next;
      });
    },

    async removeComponent(code) {
      return db.transaction(async (tx) => {
        const current = await store.selectComponent(tx, code, true);
        if (!current) throw unknownComponent(code);
        const now = clock.now().toISOString();
        const active = await store.selectCertificates(tx, { componentCode: code, activeAt: clock.now() });
        for (const c of active) await store.revokeCertificateRow(tx, c.serial, now, 'cessationOfOperation');
        const removedPaths = await store.deleteMessagePathsOf(tx, code);
        await store.deleteComponent(tx, code);
        const revokedSerials = active.map((c) => c.serial);
        await record(tx, {
          action: 'component.removed',
          subject: code,
          parties: [code],
          details: { component: current, revokedSerials, removedPaths },
        });
        return { revokedSerials, removedPaths };
      });
    },

    getComponent: (code) => store.selectComponent(db, code),
    listComponents: () => store.selectComponents(db),

    async issueCertificate(request) {
      const usage = validateUsage(request.usage);
      const component = await store.selectComponent(db, request.componentCode);
      if (!component) throw unknownComponent(request.componentCode);
      const { record: rec } = await issueFor(component, { ...request, usage });
      return db.transaction(async (tx) => {
        // the component may have been removed while the certificate was being signed
        if (!(await store.selectComponent(tx, component.code, true))) throw unknownComponent(component.code);
        await store.insertCertificate(tx, rec);
        await record(tx, {
          action: 'certificate.issued',
          subject: rec.serial,
          parties: [rec.componentCode],
          details: {
            componentCode: rec.componentCode,
            usage: rec.usage,
            notBefore: rec.notBefore,
            notAfter: rec.notAfter,
            fingerprint256: rec.fingerprint256,
          },
        });
        return rec;
      });
    },

    async renewCertificate(serial, request) {
      const old = await store.selectCertificate(db, serial);
      if (!old) throw new HubError('CERT_UNKNOWN', `no certificate ${serial} was issued by this directory`, { serial });
      if (old.revokedAt)
        throw new HubError(
          'CERT_REVOKED',
          `certificate ${serial} was revoked at ${old.revokedAt} (${old.revocationReason ?? ''}); issue a new one instead`,
          { serial },
        );
      const component = await store.selectComponent(db, old.componentCode);
      if (!component) throw unknownComponent(old.componentCode);
      const san = old.usage === 'authentication' ? sanOf(old.pem) : undefined;
      const { record: rec } = await issueFor(
        component,
        {
          usage: old.usage,
          publicKey: request.publicKey,
          ...(request.validityDays !== undefined ? { validityDays: request.validityDays } : {}),
          ...(san ? { dnsNames: request.dnsNames ?? san.dnsNames, ipAddresses: request.ipAddresses ?? san.ipAddresses } : {}),
        },
        old,
      );
      return db.transaction(async (tx) => {
        if (!(await store.selectComponent(tx, component.code, true))) throw unknownComponent(component.code);
        await store.insertCertificate(tx, rec);
        await record(tx, {
          action: 'certificate.renewed',
          subject: rec.serial,
          parties: [rec.componentCode],
          details: {
            replacesSerial: old.serial,
            componentCode: rec.componentCode,
            usage: rec.usage,
            notBefore: rec.notBefore,
            notAfter: rec.notAfter,
            fingerprint256: rec.fingerprint256,
          },
        });
        return rec;
      });
    },

    async revokeCertificate(serial, reason) {
      const why = validateRevocationReason(reason);
      return db.transaction(async (tx) => {
        const current = await store.selectCertificate(tx, serial, true);
        if (!current) throw new HubError('CERT_UNKNOWN', `no certificate ${serial} was issued by this directory`, { serial });
        if (current.revokedAt) return current; // idempotent: revoked once, at the first time
        const after = await store.revokeCertificateRow(tx, serial, clock.now().toISOString(), why);
        if (!after) throw new HubError('CERT_UNKNOWN', `certificate ${serial} disappeared`, { serial });
        await record(tx, {
          action: 'certificate.revoked',
          subject: serial,
          parties: [after.componentCode],
          details: { componentCode: after.componentCode, usage: after.usage, reason: why, revokedAt: after.revokedAt },
        });
        return after;
      });
    },

    getCertificate: (serial) => store.selectCertificate(db, serial),

    listCertificates: (filter = {}) =>
      store.selectCertificates(db, {
        ...(filter.componentCode !== undefined ? { componentCode: filter.componentCode } : {}),
        ...(filter.usage !== undefined ? { usage: filter.usage } : {}),
        ...(filter.activeOnly ? { activeAt: clock.now() } : {}),
      }),

    async certificatesDueForRenewal(withinMs) {
      const now = clock.now();
      const active = await store.selectCertificates(db, { activeAt: now });
      const horizon = now.getTime() + withinMs;
      const latest = new Map<string, CertificateRecord>();
      for (const c of active) {
        const key = `${c.componentCode}|${c.usage}`;
        const seen = latest.get(key);
        if (!seen || Date.parse(c.notAfter) > Date.parse(seen.notAfter)) latest.set(key, c);
      }
      return [...latest.values()].filter((c) => Date.parse(c.notAfter) <= horizon);
    },

    async checkCertificate(input, expected) {
      let serial: string;
      let fingerprint: string;
      try {
        const info = readCertificate(input);
        serial = info.serial;
        fingerprint = info.fingerprint256;
      } catch (e) {
        return fail({ code: 'CERT_INVALID', text: (e as Error).message });
      }
      const row = await store.selectCertificate(db, serial);
      const revoked = new Map(
        row?.revokedAt ? [[serial, { revokedAt: row.revokedAt, ...(row.revocationReason ? { reason: row.revocationReason } : {}) }]] : [],
      );
      return verifyCertificate(input, {
        caCertificate: (await ca()).certificate,
        revoked,
        clock,
        expectedUsage: expected.usage,
        ...(expected.componentCode !== undefined ? { expectedComponentCode: expected.componentCode } : {}),
        knownSerials: new Set(row && row.fingerprint256 === fingerprint ? [serial] : []),
      });
    },

    async addMessagePath(input) {
      const v = validateMessagePathInput(input, clock.now());
      return db.transaction(async (tx) => {
        const p = new Problems();
        await validatePathReferences(tx, v, p, '');
        p.throwIfAny('message path');
        const path: MessagePath = { id: ids.uuid(), ...v };
        await store.insertMessagePath(tx, path, clock.now().toISOString());
        await record(tx, { action: 'message_path.added', subject: path.id, parties: pathParties(path), details: { path } });
        return path;
      });
    },

    async setMessagePaths(receiverCode, inputs) {
      const now = clock.now();
      const p = new Problems();
      const valid: Omit<MessagePath, 'id'>[] = [];
      inputs.forEach((input, i) => {
        try {
          valid.push(validateMessagePathInput({ ...input, receiverCode }, now));
        } catch (e) {
          const problems = (e as HubError).details?.problems as { path: string; message: string }[] | undefined;
          if (!problems) throw e;
          for (const x of problems) p.add(`[${i}].${x.path}`, x.message);
        }
      });
      p.throwIfAny(`message paths of ${receiverCode}`);
      return db.transaction(async (tx) => {
        const receiver = await store.selectComponent(tx, receiverCode, true);
        if (!receiver) throw unknownComponent(receiverCode);
        for (const [i, v] of valid.entries()) await validatePathReferences(tx, v, p, `[${i}].`);
        p.throwIfAny(`message paths of ${receiverCode}`);
        const before = await store.selectMessagePaths(tx, receiverCode);
        await store.deleteMessagePathsOf(tx, receiverCode);
        const paths = valid.map((v) => ({ id: ids.uuid(), ...v }));
        for (const path of paths) await store.insertMessagePath(tx, path, now.toISOString());
        await record(tx, {
          action: 'message_paths.replaced',
          subject: receiverCode,
          parties: [receiverCode],
          details: { before, after: paths },
        });
        return paths;
      });
    },

    async removeMessagePath(id) {
      return db.transaction(async (tx) => {
        const removed = await store.deleteMessagePath(tx, id);
        if (!removed)
          throw new HubError('DIRECTORY_INPUT_INVALID', `no message path with id ${id}`, {
            problems: [{ path: 'id', message: 'unknown' }],
          });
        await record(tx, { action: 'message_path.removed', subject: id, parties: pathParties(removed), details: { path: removed } });
        return removed;
      });
    },

    listMessagePaths: (receiverCode) => store.selectMessagePaths(db, receiverCode),

    async routeFor(senderCode, receiverCode, messageType, at = clock.now()) {
      const paths = await store.selectMessagePaths(db, receiverCode);
      const codes = new Set([senderCode, receiverCode, ...paths.flatMap((p) => (p.path === 'DIRECT' ? [] : [p.path.broker]))]);
      const components = new Map((await store.selectComponentsIn(db, [...codes])).map((c) => [c.code, c]));
      return resolveRoute({ component: (c) => components.get(c), pathsOf: () => paths }, { senderCode, receiverCode, messageType, at });
    },

    async publishDocument(options = {}) {
      const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
      checkTtl(ttlMs);
      return db.transaction(async (tx) => {
        await store.lockDocuments(tx);
        const now = clock.now();
        const content = await buildContent(tx, now);
        return publishIn(tx, content, contentHash(content), now, ttlMs, await store.selectLatestDocument(tx));
      });
    },

    async publishIfChanged(options = {}) {
      const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
      checkTtl(ttlMs);
      const republishAfterMs = options.republishAfterMs ?? DEFAULT_REPUBLISH_AFTER_MS;
      return db.transaction(async (tx) => {
        await store.lockDocuments(tx);
        const now = clock.now();
        const content = await buildContent(tx, now);
        const hash = contentHash(content);
        const latest = await store.selectLatestDocument(tx);
        if (
          latest &&
          latest.contentHash === hash &&
          latest.ttlMs === ttlMs &&
          now.getTime() - Date.parse(latest.issuedAt) < republishAfterMs
        ) {
          return toDocument(latest, false);
        }
        return publishIn(tx, content, hash, now, ttlMs, latest);
      });
    },

    async latestDocument() {
      const row = await store.selectLatestDocument(db);
      return row ? toDocument(row, false) : undefined;
    },

    async caCertificatePem() {
      return (await ca()).certificatePem;
    },
  };
  return directory;
}
