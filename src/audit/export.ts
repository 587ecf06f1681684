/**
 * Export for regulators ("regulators must be able to inspect who sent what to whom and when"):
 * sealed entries as JSON Lines, filtered by seq range, party, action, subject and time, read in
 * pages by seq so an export of any size runs in constant memory. Each line is the canonical JSON
 * (canonical-json.ts) of {seq, at, actor, action, subject, parties, details, prev_hash, hash,
 * sealed_at}; without filters an export is the whole chain, which a regulator can verify
 * independently (docs/audit.md). Events not yet sealed (seconds old) are not included.
 */
import type { Queryable } from '../shared/sql.js';
import { canonicalJson } from './canonical-json.js';
import { LOG_COLUMNS, paged, readCheckpoints, toEntry, type AuditLogEntry } from './rows.js';

export interface ExportFilter {
  readonly fromSeq?: number;
  readonly toSeq?: number;
  /** Entries whose parties include this one. */
  readonly party?: string;
  /** An action name, or a prefix ending in `*` (`message.state.*`). */
  readonly action?: string;
  readonly subject?: string;
  /** at ≥ from */
  readonly from?: Date;
  /** at < to */
  readonly to?: Date;
  /** Entries read per query (default 1000). */
  readonly pageSize?: number;
}

/** The matching entries in seq order. */
export function readAuditLog(db: Queryable, f: ExportFilter = {}): AsyncIterable<AuditLogEntry> {
  const pageSize = f.pageSize ?? 1000;
  const where: string[] = ['seq > $1'];
  const params: unknown[] = [0];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (f.fromSeq !== undefined) add((p) => `seq >= ${p}`, f.fromSeq);
  if (f.toSeq !== undefined) add((p) => `seq <= ${p}`, f.toSeq);
  if (f.party !== undefined) add((p) => `parties @> array[${p}::text]`, f.party);
  if (f.action !== undefined) {
    if (f.action.endsWith('*')) add((p) => `left(action, length(${p})) = ${p}`, f.action.slice(0, -1));
    else add((p) => `action = ${p}`, f.action);
  }
  if (f.subject !== undefined) add((p) => `subject = ${p}`, f.subject);
  if (f.from !== undefined) add((p) => `at >= ${p}::timestamptz`, f.from.toISOString());
  if (f.to !== undefined) add((p) => `at < ${p}::timestamptz`, f.to.toISOString());
  params.push(pageSize);
  const sql = `select ${LOG_COLUMNS} from audit_log where ${where.join(' and ')} order by audit_log.seq limit $${params.length}`;
  return paged(
    async (after) => {
      params[0] = after;
      const { rows } = await db.query<Parameters<typeof toEntry>[0]>(sql, params);
      return rows.map(toEntry);
    },
    pageSize,
    Number.MIN_SAFE_INTEGER,
  );
}

/** The matching entries as JSON lines (no trailing newline). */
export async function* exportAuditLog(db: Queryable, f: ExportFilter = {}): AsyncGenerator<string> {
  for await (const e of readAuditLog(db, f)) yield canonicalJson(e);
}

/** Every checkpoint as a JSON line {seq, hash, at, keyId, signature}: what to publish as external anchors. */
export async function* exportAuditCheckpoints(db: Queryable, pageSize = 1000): AsyncGenerator<string> {
  for await (const c of paged((after) => readCheckpoints(db, after, pageSize), pageSize, Number.MIN_SAFE_INTEGER)) yield canonicalJson(c);
}
