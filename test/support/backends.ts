/**
 * The storage and queue a test runs against. With DATABASE_URL / REDIS_URL set (CI's second
 * pass, `.ci/run`), tests talk to the real PostgreSQL and Redis — each test file in its own
 * schema and key prefix, removed afterwards; without them, to embedded PGlite and the
 * in-process queue. No mocks of either.
 */
import { randomBytes } from 'node:crypto';
import { openPglite } from '../../src/infra/db/pglite.js';
import { openPostgres } from '../../src/infra/db/postgres.js';
import { createBullmqQueue } from '../../src/infra/queue/bullmq.js';
import { createInProcessQueue } from '../../src/infra/queue/in-process.js';
import type { Database } from '../../src/shared/sql.js';
import type { QueueDriver } from '../../src/shared/queue.js';

export const realDatabaseUrl = process.env.DATABASE_URL || undefined;
export const realRedisUrl = process.env.REDIS_URL || undefined;
export const storageName = realDatabaseUrl ? 'PostgreSQL' : 'PGlite';
export const queueName = realRedisUrl ? 'BullMQ/Redis' : 'in-process';

export const uniqueName = (prefix: string) => `${prefix}_${randomBytes(6).toString('hex')}`;

export interface TestDatabase extends Database {
  /** Another connection (pool) to the same database and schema, as a second hub process would have. */
  reopen(): Promise<Database>;
}

export async function openTestDatabase(): Promise<TestDatabase> {
  if (!realDatabaseUrl) {
    const db = await openPglite(undefined);
    return { ...db, reopen: () => Promise.reject(new Error('an in-memory PGlite has no second connection')) };
  }
  const schema = uniqueName('t');
  const db = await openPostgres({ url: realDatabaseUrl, schema });
  const others: Database[] = [];
  return {
    ...db,
    async reopen() {
      const other = await openPostgres({ url: realDatabaseUrl, schema });
      others.push(other);
      return other;
    },
    async close() {
      await Promise.allSettled(others.map((o) => o.close()));
      await db.query(`drop schema if exists ${schema} cascade`);
      await db.close();
    },
  };
}

export function openTestQueue(prefix = uniqueName('test')): QueueDriver {
  return realRedisUrl ? createBullmqQueue({ url: realRedisUrl, prefix }) : createInProcessQueue();
}

/** Waits until `check` returns true, polling; fails with `what` after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export const silentLogger = { warn: () => undefined, info: () => undefined, error: () => undefined, debug: () => undefined };
