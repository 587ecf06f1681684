/**
 * Embedded storage: PGlite (PostgreSQL 17 in WebAssembly) persisted in a data directory.
 * One connection per process; PGlite serialises queries and holds an exclusive lock for the
 * length of a transaction, so callers get PostgreSQL's semantics with a single writer.
 * Durability: committed data survives a process crash (measured: docs/adr/0004); for power-loss
 * durability and several processes, run PostgreSQL (`DATABASE_URL`).
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { HubError } from '../../shared/errors.js';
import type { Database, Queryable, QueryResult } from '../../shared/sql.js';

interface PgliteLike {
  query<T>(q: string, params?: unknown[]): Promise<{ rows: T[]; affectedRows?: number }>;
  exec(q: string): Promise<unknown>;
}

function wrap(conn: PgliteLike): Queryable {
  return {
    async query<R>(text: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const r = await conn.query<R>(text, [...params]);
      return { rows: r.rows, rowCount: r.rows.length > 0 ? r.rows.length : (r.affectedRows ?? 0) };
    },
    async exec(script: string): Promise<void> {
      await conn.exec(script);
    },
  };
}

/** Opens (creating if needed) the embedded database; `dir` undefined = in memory (tests). */
export async function openPglite(dir: string | undefined): Promise<Database> {
  if (dir !== undefined) mkdirSync(dir, { recursive: true });
  let pg: PGlite;
  try {
    pg = dir === undefined ? await PGlite.create() : await PGlite.create(dir);
  } catch (e) {
    throw new HubError(
      'STORAGE_UNAVAILABLE',
      `embedded database in ${dir ?? 'memory'} cannot be opened: ${(e as Error).message}`,
      undefined,
      { cause: e },
    );
  }
  const root = wrap(pg);
  return {
    kind: 'pglite',
    query: (text, params) => root.query(text, params),
    exec: (script) => root.exec(script),
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx as unknown as PgliteLike))),
    async ping() {
      if (pg.closed) throw new HubError('STORAGE_UNAVAILABLE', 'embedded database is closed');
      await pg.query('select 1');
    },
    async close() {
      if (!pg.closed) await pg.close();
    },
  };
}
