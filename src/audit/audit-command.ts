/**
 * `tps-hub audit <verify|export|checkpoints|public-key>` (audit log requirement: "`tps-hub audit
 * verify` detects any edited, deleted or reordered entry and names the first bad one";
 * regulators "inspect who sent what to whom and when").
 *
 *   verify [--public-key FILE]... [--anchors FILE] [--json]
 *       Checks the whole chain and its checkpoints. Trusted keys: the --public-key files (SPKI
 *       PEM or base64 raw Ed25519), by default DATA_DIR/keys/audit-ed25519.pub.pem (or the
 *       public half of the key file next to it). --anchors: checkpoints published earlier (the
 *       output of `audit checkpoints`), which must all still be there. Prints `audit log intact: …` or
 *       `audit log broken at seq N: <reason> (<detail>)`; --json prints the result object.
 *   export [--party X] [--action A|PREFIX*] [--subject S] [--from ISO] [--to ISO]
 *          [--from-seq N] [--to-seq N]
 *       Sealed entries as JSON Lines on stdout.
 *   checkpoints   every signed checkpoint as JSON Lines (publish them: external anchors)
 *   public-key    the checkpoint public key: key id, raw base64, SPKI PEM
 *
 * Exit status: 0 intact / done; 1 tampering found (verify); 2 usage error, missing key,
 * unreachable database or missing audit tables (nothing can be said).
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { HubError, isHubError } from '../shared/errors.js';
import type { Database } from '../shared/sql.js';
import { parseAnchors } from './anchors.js';
import { auditKeyPath, publicKeyOfKeyFile, publicKeyPathFor, readPublicKeyFile, type AuditPublicKey } from './audit-key.js';
import { exportAuditCheckpoints, exportAuditLog, type ExportFilter } from './export.js';
import { verifyAuditLog, type VerifyResult } from './verify.js';

export interface AuditIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export interface AuditDeps {
  /** Opens the hub's database (closed by the command). Migrations are not applied here. */
  readonly openDatabase: () => Promise<Database>;
  readonly dataDir: string;
}

export const AUDIT_USAGE = `Usage: tps-hub audit verify [--public-key FILE]... [--anchors FILE] [--json]
       tps-hub audit export [--party X] [--action A|PREFIX*] [--subject S] [--from ISO] [--to ISO]
                            [--from-seq N] [--to-seq N]
       tps-hub audit checkpoints
       tps-hub audit public-key

  verify       check the hash chain and the signed checkpoints; names the first bad entry
  export       sealed audit entries as JSON Lines (for regulators)
  checkpoints  the signed checkpoints as JSON Lines (publish them as external anchors)
  public-key   the checkpoint public key (publish it; pass it to verify elsewhere)
  --public-key FILE  trusted public key (SPKI PEM or base64 raw Ed25519), repeatable;
                     default DATA_DIR/keys/audit-ed25519.pub.pem
  --anchors FILE     checkpoints published earlier (JSON lines from audit checkpoints):
                     each must still be in the database and the log must reach it
Exit status: 0 intact, 1 tampering found, 2 usage error or nothing can be checked.`;

class UsageError extends Error {}

async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

function readInput(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new HubError('INPUT_UNREADABLE', `${path} cannot be read: ${(e as Error).message}`, { path }, { cause: e });
  }
}

function defaultPublicKey(dataDir: string): AuditPublicKey {
  const keyPath = auditKeyPath(dataDir);
  try {
    return readPublicKeyFile(publicKeyPathFor(keyPath));
  } catch (e) {
    try {
      return publicKeyOfKeyFile(keyPath);
    } catch {
      throw e;
    }
  }
}

function describeResult(r: VerifyResult): string {
  const cps = `${r.checkpoints} checkpoint${r.checkpoints === 1 ? '' : 's'}`;
  if (r.firstBad) {
    return (
      `audit log broken at seq ${r.firstBad.seq}: ${r.firstBad.reason} (${r.firstBad.detail})\n` +
      `verified before it: ${r.entries} entries, ${cps}\n`
    );
  }
  const last = r.lastCheckpoint
    ? `; last checkpoint at seq ${r.lastCheckpoint.seq} (${r.lastCheckpoint.at}, key ${r.lastCheckpoint.keyId}); ${r.unanchored} later entries rest on the hash chain alone`
    : r.entries > 0
      ? '; no checkpoint yet: the entries rest on the hash chain alone'
      : '';
  return `audit log intact: ${r.entries} entries, ${cps}${last}\n`;
}

async function withDatabase<T>(deps: AuditDeps, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await deps.openDatabase();
  try {
    const { rows } = await db.query<{ t: string | null }>(`select to_regclass('audit_log')::text as t`);
    if (!rows[0]?.t) throw new Error('the audit tables do not exist in this database; run tps-hub migrate first');
    return await fn(db);
  } finally {
    await db.close();
  }
}

function integer(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[1-9][0-9]{0,15}$/.test(v)) throw new UsageError(`${name} must be a positive integer`);
  return Number(v);
}

function instant(v: string | undefined, name: string): Date | undefined {
  if (v === undefined) return undefined;
  const d = new Date(v);
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) || Number.isNaN(d.getTime()))
    throw new UsageError(`${name} must be an ISO 8601 date or date-time, e.g. 2025-06-02T00:00:00Z`);
  return d;
}

async function verifyCommand(args: string[], io: AuditIo, deps: AuditDeps): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { 'public-key': { type: 'string', multiple: true }, anchors: { type: 'string' }, json: { type: 'boolean' } },
    strict: true,
  });
  const files = values['public-key'] ?? [];
  const publicKeys = files.length > 0 ? files.map(readPublicKeyFile) : [defaultPublicKey(deps.dataDir)];
  const anchors = values.anchors === undefined ? [] : parseAnchors(readInput(values.anchors), values.anchors);
  const result = await withDatabase(deps, (db) => verifyAuditLog(db, { publicKeys, anchors }));
  await write(io.stdout, values.json ? `${JSON.stringify(result)}\n` : describeResult(result));
  return result.ok ? 0 : 1;
}

async function exportCommand(args: string[], io: AuditIo, deps: AuditDeps): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      party: { type: 'string' },
      action: { type: 'string' },
      subject: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'from-seq': { type: 'string' },
      'to-seq': { type: 'string' },
    },
    strict: true,
  });
  const optional = <K extends keyof ExportFilter>(k: K, v: ExportFilter[K] | undefined) => (v === undefined ? {} : { [k]: v });
  const filter: ExportFilter = {
    ...optional('party', values.party),
    ...optional('action', values.action),
    ...optional('subject', values.subject),
    ...optional('from', instant(values.from, '--from')),
    ...optional('to', instant(values.to, '--to')),
    ...optional('fromSeq', integer(values['from-seq'], '--from-seq')),
    ...optional('toSeq', integer(values['to-seq'], '--to-seq')),
  };
  await withDatabase(deps, async (db) => {
    for await (const line of exportAuditLog(db, filter)) await write(io.stdout, `${line}\n`);
  });
  return 0;
}

async function checkpointsCommand(args: string[], io: AuditIo, deps: AuditDeps): Promise<number> {
  parseArgs({ args, options: {}, strict: true });
  await withDatabase(deps, async (db) => {
    for await (const line of exportAuditCheckpoints(db)) await write(io.stdout, `${line}\n`);
  });
  return 0;
}

async function publicKeyCommand(args: string[], io: AuditIo, deps: AuditDeps): Promise<number> {
  parseArgs({ args, options: {}, strict: true });
  const key = defaultPublicKey(deps.dataDir);
  await write(io.stdout, `key id: ${key.keyId}\nraw (base64): ${key.rawBase64}\n${key.pem.endsWith('\n') ? key.pem : `${key.pem}\n`}`);
  return 0;
}

export async function runAuditCommand(argv: readonly string[], io: AuditIo, deps: AuditDeps): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case 'verify':
        return await verifyCommand(rest, io, deps);
      case 'export':
        return await exportCommand(rest, io, deps);
      case 'checkpoints':
        return await checkpointsCommand(rest, io, deps);
      case 'public-key':
        return await publicKeyCommand(rest, io, deps);
      case 'help':
      case '--help':
      case '-h':
        await write(io.stdout, `${AUDIT_USAGE}\n`);
        return 0;
      default:
        throw new UsageError(sub === undefined ? 'a subcommand is required' : `unknown subcommand ${JSON.stringify(sub)}`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      await write(io.stderr, `tps-hub audit: ${(e as Error).message}\n\n${AUDIT_USAGE}\n`);
    } else if (isHubError(e)) {
      await write(io.stderr, `tps-hub audit: ${e.code}: ${e.message}\n`);
    } else {
      await write(io.stderr, `tps-hub audit: ${(e as Error).message}\n`);
    }
    return 2;
  }
}
