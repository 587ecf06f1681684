/**
 * Versioned SQL migrations, applied at start-up, identical on PGlite and PostgreSQL.
 *
 * Files: `src/infra/db/migrations/NNNN_name.sql`, applied in version order, each in its own
 * transaction together with its row in `schema_migrations` — a failing migration leaves nothing
 * of itself behind. A transaction-scoped advisory lock makes concurrent start-ups of several hub
 * processes apply each migration exactly once. An applied migration whose file has changed stops
 * start-up (its checksum no longer matches): migrations are append-only.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HubError } from '../../shared/errors.js';
import { projectPath } from '../../shared/paths.js';
import type { Database } from '../../shared/sql.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;
/** Arbitrary constant key for pg_advisory_xact_lock: "tps-hub migrations". */
const LOCK_KEY = 7_263_001;

export const MIGRATIONS_DIR = projectPath('src', 'infra', 'db', 'migrations');

export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((file) => {
      const m = FILE.exec(file);
      if (!m) throw new HubError('STORAGE_MIGRATION_FAILED', `migration file ${file} must be named NNNN_name.sql`);
      const sql = readFileSync(join(dir, file), 'utf8');
      return { version: Number(m[1]), name: m[2] ?? '', sql, checksum: createHash('sha256').update(sql).digest('hex') };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new HubError('STORAGE_MIGRATION_FAILED', `migration versions must run 1, 2, 3…; found ${m.version} at position ${i + 1}`);
  });
  return migrations;
}

/** Applies what is missing; returns the versions applied now. */
export async function migrate(db: Database, migrations: readonly Migration[] = readMigrations()): Promise<number[]> {
  // Under the lock too: concurrent `create table if not exists` race on the catalog otherwise.
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await tx.query(`create table if not exists schema_migrations (
      version integer primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now())`);
  });
  const applied: number[] = [];
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [LOCK_KEY]);
      const { rows } = await tx.query<{ checksum: string }>('select checksum from schema_migrations where version = $1', [m.version]);
      const existing = rows[0];
      if (existing) {
        if (existing.checksum !== m.checksum) {
          throw new HubError(
            'STORAGE_MIGRATION_FAILED',
            `migration ${m.version} (${m.name}) was changed after it was applied; add a new migration instead`,
          );
        }
        return false;
      }
      try {
        await tx.exec(m.sql);
      } catch (e) {
        throw new HubError(
          'STORAGE_MIGRATION_FAILED',
          `migration ${m.version} (${m.name}) failed: ${(e as Error).message}`,
          { version: m.version },
          { cause: e },
        );
      }
      await tx.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [m.version, m.name, m.checksum]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}
