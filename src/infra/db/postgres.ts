/**
 * PostgreSQL storage through a `pg` pool, for deployments that scale out: any number of hub
 * processes share one database. `schema` (tests, multi-tenant installs) sets the search_path of
 * every pooled connection and is created if missing.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { HubError } from '../../shared/errors.js';
import type { Database, Queryable, QueryResult } from '../../shared/sql.js';

export interface PostgresOptions {
  readonly url: string;
  readonly schema?: string;
  readonly maxConnections?: number;
  /** Server-side prepared statements for repeated statements (default true; statementNamer). */
  readonly preparedStatements?: boolean;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Longest a single statement may run or wait (PostgreSQL statement_timeout). */
export const STATEMENT_TIMEOUT_MS = 60_000;

/** Statements longer than this are not prepared (multi-row inserts whose text changes with their row count). */
const PREPARE_MAX_CHARS = 4_000;
/** Distinct statements prepared per process at most (each connection keeps a plan for each it has run). */
const PREPARE_MAX_STATEMENTS = 300;

/**
 * Server-side prepared statements for the statements a process repeats: a parameterised statement
 * is parsed and analysed once per connection instead of at every call (PostgreSQL protocol:
 * named Parse, then Bind/Execute). The name is a digest of the text, so every connection and
 * process names the same statement alike; past the cap, or for long texts, statements stay unnamed.
 */
export function statementNamer(maxStatements = PREPARE_MAX_STATEMENTS, maxChars = PREPARE_MAX_CHARS) {
  const names = new Map<string, string>();
  return (text: string): string | undefined => {
    const known = names.get(text);
    if (known !== undefined || text.length > maxChars || names.size >= maxStatements) return known;
    const name = `tps_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
    return name;
  };
}

function wrap(client: pg.Pool | pg.PoolClient, nameOf: (text: string) => string | undefined): Queryable {
  return {
    async query<R>(text: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const name = params.length > 0 ? nameOf(text) : undefined;
      const r = name ? await client.query({ name, text, values: [...params] }) : await client.query(text, [...params]);
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
  const nameOf = opts.preparedStatements === false ? () => undefined : statementNamer();
  const root = wrap(pool, nameOf);
  return {
    kind: 'postgres',
    query: (text, params) => root.query(text, params),
    exec: (script) => root.exec(script),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn(wrap(client, nameOf));
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
    listen: (channel, onPayload) => listenOn(opts, channel, onPayload),
    close: () => pool.end(),
  };
}

/** A notification channel: a lower-case identifier PostgreSQL keeps whole (< 64 bytes). */
const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/** LISTEN on a dedicated connection; reconnects with back-off (0.5 s doubling to 10 s) until stopped. */
async function listenOn(opts: PostgresOptions, channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
  if (!CHANNEL.test(channel)) throw new TypeError(`listen: channel ${JSON.stringify(channel)} must match ${CHANNEL.source}`);
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let backoff = 500;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: opts.url, connectionTimeoutMillis: 5_000 });
    client = c;
    let lost = false;
    const reconnect = () => {
      if (lost || stopped) return;
      lost = true;
      c.removeAllListeners('notification');
      void c.end().catch(() => undefined);
      retry = setTimeout(() => void connect().catch(() => undefined), backoff);
      retry.unref();
      backoff = Math.min(backoff * 2, 10_000);
    };
    c.on('error', reconnect);
    c.on('end', reconnect);
    c.on('notification', (n) => {
      if (n.channel === channel && typeof n.payload === 'string') onPayload(n.payload);
    });
    try {
      await c.connect();
      await c.query(`listen ${channel}`);
      backoff = 500;
    } catch (e) {
      reconnect();
      throw e;
    }
  };
  try {
    await connect(); // the first connection must work: the caller learns at start-up if it cannot
  } catch (e) {
    stopped = true;
    clearTimeout(retry);
    throw e;
  }
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}
