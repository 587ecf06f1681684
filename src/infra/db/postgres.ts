/**
 * PostgreSQL storage through a `pg` pool, for deployments that scale out: any number of hub
 * processes share one database. `schema` (tests, multi-tenant installs) sets the search_path of
 * every pooled connection and is created if missing.
 */
import pg from 'pg';
import { HubError } from '../../shared/errors.js';
import type { Database, Queryable, QueryResult } from '../../shared/sql.js';

export interface PostgresOptions {
  readonly url: string;
  readonly schema?: string;
  readonly maxConnections?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Longest a single statement may run or wait (PostgreSQL statement_timeout). */
export const STATEMENT_TIMEOUT_MS = 60_000;

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<R>(text: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const r = await client.query(text, [...params]);
      return { rows: r.rows as R[], rowCount: r.rowCount ?? r.rows.length };
    },
    async exec(script: string): Promise<void> {
      await client.query(script); // no parameters: simple query protocol, several statements allowed
    },
  };
}

export async function openPostgres(opts: PostgresOptions): Promise<Database> {
  if (opts.schema !== undefined && !SCHEMA_NAME.test(opts.schema)) {
    throw new HubError('CONFIG_INVALID', `database schema name ${JSON.stringify(opts.schema)} must match ${SCHEMA_NAME.source}`);
  }
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.maxConnections ?? 10,
    connectionTimeoutMillis: 5_000,
    // A statement that waits (a lock, a stuck peer) fails after a minute instead of holding its
    // caller — and every caller queued behind it — forever; so does a transaction left idle.
    statement_timeout: STATEMENT_TIMEOUT_MS,
    idle_in_transaction_session_timeout: 2 * STATEMENT_TIMEOUT_MS,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  });
  // An idle client that loses its server emits 'error' on the pool; without a listener the process dies.
  pool.on('error', () => undefined);
  try {
    if (opts.schema) await pool.query(`create schema if not exists ${opts.schema}`);
    else await pool.query('select 1');
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new HubError('STORAGE_UNAVAILABLE', `PostgreSQL cannot be reached: ${(e as Error).message}`, undefined, { cause: e });
  }
  const root = wrap(pool);
  return {
    kind: 'postgres',
    query: (text, params) => root.query(text, params),
    exec: (script) => root.exec(script),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn(wrap(client));
        await client.query('commit');
        return result;
      } catch (e) {
        await client.query('rollback').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    async ping() {
      try {
        await pool.query('select 1');
      } catch (e) {
        throw new HubError('STORAGE_UNAVAILABLE', `PostgreSQL cannot be reached: ${(e as Error).message}`, undefined, { cause: e });
      }
    },
    close: () => pool.end(),
  };
}
