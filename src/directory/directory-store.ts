/**
 * SQL for the directory tables (migration 0003_directory.sql), through the `Queryable` port so
 * every statement runs inside the caller's transaction. Identical on PGlite and PostgreSQL.
 */
import type { CertificateUsage } from '../crypto/ca.js';
import type { Queryable } from '../shared/sql.js';
import type { CertificateRecord, Component, ComponentStatus, ComponentType, Contact, MessagePath, RevocationReason } from './model.js';

const iso = (v: unknown): string => (v instanceof Date ? v : new Date(String(v))).toISOString();
const json = (v: unknown): string => JSON.stringify(v);

interface ComponentRow {
  code: string;
  type: ComponentType;
  organisation: string;
  organisation_code: string;
  market_roles: string[];
  urls: string[];
  contact: Contact | null;
  status: ComponentStatus;
  created_at: Date | string;
  updated_at: Date | string;
}

const toComponent = (r: ComponentRow): Component => ({
  code: r.code,
  type: r.type,
  organisation: r.organisation,
  organisationCode: r.organisation_code,
  marketRoles: r.market_roles,
  urls: r.urls,
  ...(r.contact ? { contact: r.contact } : {}),
  status: r.status,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

export async function insertComponent(tx: Queryable, c: Component): Promise<boolean> {
  const r = await tx.query(
    `insert into directory_components (code, type, organisation, organisation_code, market_roles, urls, contact, status, created_at, updated_at)
     values ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::jsonb, $8, $9, $10) on conflict (code) do nothing`,
    [
      c.code,
      c.type,
      c.organisation,
      c.organisationCode,
      json(c.marketRoles),
      json(c.urls),
      c.contact ? json(c.contact) : null,
      c.status,
      c.createdAt,
      c.updatedAt,
    ],
  );
  return r.rowCount === 1;
}

export async function updateComponentRow(tx: Queryable, c: Component): Promise<void> {
  await tx.query(
    `update directory_components set type = $2, organisation = $3, organisation_code = $4, market_roles = $5::jsonb, urls = $6::jsonb,
       contact = $7::jsonb, status = $8, updated_at = $9 where code = $1`,
    [
      c.code,
      c.type,
      c.organisation,
      c.organisationCode,
      json(c.marketRoles),
      json(c.urls),
      c.contact ? json(c.contact) : null,
      c.status,
      c.updatedAt,
    ],
  );
}

export async function deleteComponent(tx: Queryable, code: string): Promise<void> {
  await tx.query('delete from directory_components where code = $1', [code]);
}

export async function selectComponent(tx: Queryable, code: string, forUpdate = false): Promise<Component | undefined> {
  const { rows } = await tx.query<ComponentRow>(`select * from directory_components where code = $1${forUpdate ? ' for update' : ''}`, [
    code,
  ]);
  return rows[0] ? toComponent(rows[0]) : undefined;
}

export async function selectComponentsIn(tx: Queryable, codes: readonly string[]): Promise<Component[]> {
  const { rows } = await tx.query<ComponentRow>(
    'select * from directory_components where code in (select jsonb_array_elements_text($1::jsonb)) order by code',
    [json(codes)],
  );
  return rows.map(toComponent);
}

export async function selectComponents(tx: Queryable): Promise<Component[]> {
  const { rows } = await tx.query<ComponentRow>('select * from directory_components order by code');
  return rows.map(toComponent);
}

interface CertificateRow {
  serial: string;
  component_code: string;
  usage: CertificateUsage;
  pem: string;
  fingerprint_sha256: string;
  not_before: Date | string;
  not_after: Date | string;
  issued_at: Date | string;
  revoked_at: Date | string | null;
  revocation_reason: RevocationReason | null;
  replaces_serial: string | null;
}

const toCertificate = (r: CertificateRow): CertificateRecord => ({
  serial: r.serial,
  componentCode: r.component_code,
  usage: r.usage,
  pem: r.pem,
  fingerprint256: r.fingerprint_sha256,
  notBefore: iso(r.not_before),
  notAfter: iso(r.not_after),
  issuedAt: iso(r.issued_at),
  ...(r.revoked_at !== null ? { revokedAt: iso(r.revoked_at) } : {}),
  ...(r.revocation_reason !== null ? { revocationReason: r.revocation_reason } : {}),
  ...(r.replaces_serial !== null ? { replacesSerial: r.replaces_serial } : {}),
});

export async function insertCertificate(tx: Queryable, c: CertificateRecord): Promise<void> {
  await tx.query(
    `insert into directory_certificates (serial, component_code, usage, pem, fingerprint_sha256, not_before, not_after, issued_at, replaces_serial)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [c.serial, c.componentCode, c.usage, c.pem, c.fingerprint256, c.notBefore, c.notAfter, c.issuedAt, c.replacesSerial ?? null],
  );
}

/** Revokes if not yet revoked; returns the row as it is afterwards (undefined: no such serial). */
export async function revokeCertificateRow(
  tx: Queryable,
  serial: string,
  at: string,
  reason: RevocationReason,
): Promise<CertificateRecord | undefined> {
  await tx.query('update directory_certificates set revoked_at = $2, revocation_reason = $3 where serial = $1 and revoked_at is null', [
    serial,
    at,
    reason,
  ]);
  return selectCertificate(tx, serial);
}

export async function selectCertificate(tx: Queryable, serial: string, forUpdate = false): Promise<CertificateRecord | undefined> {
  const { rows } = await tx.query<CertificateRow>(
    `select * from directory_certificates where serial = $1${forUpdate ? ' for update' : ''}`,
    [serial],
  );
  return rows[0] ? toCertificate(rows[0]) : undefined;
}

export interface CertificateFilter {
  readonly componentCode?: string;
  readonly usage?: CertificateUsage;
  /** Only certificates neither revoked nor expired at this instant. */
  readonly activeAt?: Date;
  /** Only revoked certificates not yet expired at this instant. */
  readonly revokedAndUnexpiredAt?: Date;
}

export async function selectCertificates(tx: Queryable, f: CertificateFilter = {}): Promise<CertificateRecord[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.componentCode !== undefined) add('component_code = ?', f.componentCode);
  if (f.usage !== undefined) add('usage = ?', f.usage);
  if (f.activeAt !== undefined) {
    add('not_after >= ?', f.activeAt.toISOString());
    where.push('revoked_at is null');
  }
  if (f.revokedAndUnexpiredAt !== undefined) {
    add('not_after >= ?', f.revokedAndUnexpiredAt.toISOString());
    where.push('revoked_at is not null');
  }
  const { rows } = await tx.query<CertificateRow>(
    `select * from directory_certificates${where.length ? ` where ${where.join(' and ')}` : ''} order by component_code, usage, not_before, serial`,
    params,
  );
  return rows.map(toCertificate);
}

interface PathRow {
  id: string;
  receiver_code: string;
  message_type: string;
  senders: '*' | string[];
  broker_code: string | null;
  valid_from: Date | string;
  valid_to: Date | string | null;
}

const toPath = (r: PathRow): MessagePath => ({
  id: r.id,
  receiverCode: r.receiver_code,
  messageType: r.message_type,
  senders: r.senders,
  path: r.broker_code === null ? 'DIRECT' : { broker: r.broker_code },
  validFrom: iso(r.valid_from),
  ...(r.valid_to !== null ? { validTo: iso(r.valid_to) } : {}),
});

export async function insertMessagePath(tx: Queryable, p: MessagePath, createdAt: string): Promise<void> {
  await tx.query(
    `insert into directory_message_paths (id, receiver_code, message_type, senders, broker_code, valid_from, valid_to, created_at)
     values ($1, $2, $3, $4::jsonb, $5, $6, $7, $8)`,
    [
      p.id,
      p.receiverCode,
      p.messageType,
      json(p.senders),
      p.path === 'DIRECT' ? null : p.path.broker,
      p.validFrom,
      p.validTo ?? null,
      createdAt,
    ],
  );
}

export async function deleteMessagePath(tx: Queryable, id: string): Promise<MessagePath | undefined> {
  const { rows } = await tx.query<PathRow>('delete from directory_message_paths where id = $1 returning *', [id]);
  return rows[0] ? toPath(rows[0]) : undefined;
}

export async function deleteMessagePathsOf(tx: Queryable, receiverCode: string): Promise<number> {
  const r = await tx.query('delete from directory_message_paths where receiver_code = $1', [receiverCode]);
  return r.rowCount;
}

export async function selectMessagePaths(tx: Queryable, receiverCode?: string): Promise<MessagePath[]> {
  const { rows } =
    receiverCode === undefined
      ? await tx.query<PathRow>('select * from directory_message_paths order by receiver_code, valid_from, id')
      : await tx.query<PathRow>('select * from directory_message_paths where receiver_code = $1 order by valid_from, id', [receiverCode]);
  return rows.map(toPath);
}

export interface DocumentRow {
  readonly contentId: number;
  readonly issuedAt: string;
  readonly ttlMs: number;
  readonly body: string;
  readonly signature: string;
  readonly contentHash: string;
}

interface RawDocumentRow {
  content_id: number | string;
  issued_at: Date | string;
  ttl_ms: number | string;
  body: string;
  signature: string;
  content_hash: string;
}

const toDocument = (r: RawDocumentRow): DocumentRow => ({
  contentId: Number(r.content_id),
  issuedAt: iso(r.issued_at),
  ttlMs: Number(r.ttl_ms),
  body: r.body,
  signature: r.signature,
  contentHash: r.content_hash,
});

/** Serialises publications: taken at the start of a publishing transaction. */
export async function lockDocuments(tx: Queryable): Promise<void> {
  // Arbitrary constant: "tps-hub directory document".
  await tx.query('select pg_advisory_xact_lock($1)', [7_263_003]);
}

export async function insertDocument(tx: Queryable, d: DocumentRow): Promise<void> {
  await tx.query(
    'insert into directory_documents (content_id, issued_at, ttl_ms, body, signature, content_hash) values ($1, $2, $3, $4, $5, $6)',
    [d.contentId, d.issuedAt, d.ttlMs, d.body, d.signature, d.contentHash],
  );
}

export async function selectLatestDocument(tx: Queryable): Promise<DocumentRow | undefined> {
  const { rows } = await tx.query<RawDocumentRow>('select * from directory_documents order by content_id desc limit 1');
  return rows[0] ? toDocument(rows[0]) : undefined;
}
