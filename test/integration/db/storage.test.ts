import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { migrate, readMigrations, type Migration } from '../../../src/infra/db/migrate.js';
import { openPglite } from '../../../src/infra/db/pglite.js';
import { openPostgres, STATEMENT_TIMEOUT_MS } from '../../../src/infra/db/postgres.js';
import { isHubError } from '../../../src/shared/errors.js';
import { eventually, openTestDatabase, realDatabaseUrl, storageName, uniqueName, type TestDatabase } from '../../support/backends.js';

const m = (version: number, name: string, sql: string): Migration => ({ version, name, sql, checksum: `c${version}-${sql.length}` });

describe(`storage on ${storageName}`, () => {
  let db: TestDatabase;
  before(async () => {
    db = await openTestDatabase();
  });
  after(() => db.close());

  it('applies the project migrations once, then reports the schema up to date', async () => {
    const first = await migrate(db);
    assert.deepEqual(
      first,
      readMigrations().map((x) => x.version),
    );
    assert.deepEqual(await migrate(db), []);
    const { rows } = await db.query<{ version: number }>('select version from schema_migrations order by version');
    assert.deepEqual(
      rows.map((r) => r.version),
      first,
    );
  });

  it('refuses to start when an applied migration was edited afterwards', async () => {
    const [first] = readMigrations();
    assert.ok(first);
    await assert.rejects(
      migrate(db, [{ ...first, checksum: 'edited' }]),
      (e) => isHubError(e, 'STORAGE_MIGRATION_FAILED') && /was changed after it was applied/.test(e.message),
    );
  });

  it('leaves nothing of a failing migration behind', async () => {
    const base = readMigrations();
    const broken = m(base.length + 1, 'broken', 'create table half_done (id int); select * from no_such_table;');
    await assert.rejects(migrate(db, [...base, broken]), (e) => isHubError(e, 'STORAGE_MIGRATION_FAILED') && /broken/.test(e.message));
    const { rows } = await db.query(`select 1 from information_schema.tables where table_name = 'half_done'`);
    assert.equal(rows.length, 0);
    const applied = await db.query('select 1 from schema_migrations where version = $1', [broken.version]);
    assert.equal(applied.rowCount, 0);
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    await db.exec('create table if not exists t_tx (v text primary key)');
    await db.transaction(async (tx) => {
      await tx.query('insert into t_tx values ($1)', ['kept']);
    });
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query('insert into t_tx values ($1)', ['lost']);
        throw new Error('business rule failed');
      }),
      /business rule failed/,
    );
    const { rows } = await db.query<{ v: string }>('select v from t_tx order by v');
    assert.deepEqual(
      rows.map((r) => r.v),
      ['kept'],
    );
  });

  it('reports row counts of changes', async () => {
    await db.exec('create table if not exists t_count (v int)');
    const ins = await db.query('insert into t_count select generate_series(1, 5)');
    assert.equal(ins.rowCount, 5);
    const upd = await db.query('update t_count set v = v + 1 where v > 2');
    assert.equal(upd.rowCount, 3);
  });

  it('answers a ping', async () => {
    await db.ping();
  });
});

describe('embedded PGlite on disk', () => {
  it('keeps committed data across a close and reopen (a restart)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pglite-'));
    const a = await openPglite(dir);
    await migrate(a);
    await a.query(`insert into outbox (queue, job_id, payload) values ('q', 'j1', '{"a":1}')`);
    await a.close();
    const b = await openPglite(dir);
    assert.deepEqual(await migrate(b), []);
    const { rows } = await b.query<{ payload: { a: number } }>(`select payload from outbox where job_id = 'j1'`);
    assert.deepEqual(rows[0]?.payload, { a: 1 });
    await b.close();
    await assert.rejects(b.ping(), (e) => isHubError(e, 'STORAGE_UNAVAILABLE'));
  });
});

if (realDatabaseUrl) {
  describe('PostgreSQL with several hub processes', () => {
    it('applies each migration exactly once when processes start together', async () => {
      const db = await openTestDatabase();
      try {
        const others = await Promise.all([db.reopen(), db.reopen(), db.reopen()]);
        const results = await Promise.all([db, ...others].map((d) => migrate(d)));
        const total = results.flat();
        assert.deepEqual(
          total.sort(),
          readMigrations().map((x) => x.version),
        );
      } finally {
        await db.close();
      }
    });

    it('prepares a repeated parameterised statement once per connection and gives the same answers as unprepared ones', async () => {
      const db = await openTestDatabase();
      try {
        await db.exec('create table t_prep (id int primary key, v text)');
        const insert = 'insert into t_prep (id, v) values ($1, $2) returning id';
        for (let i = 1; i <= 3; i++) assert.deepEqual((await db.query(insert, [i, `v${i}`])).rows, [{ id: i }]);
        await db.transaction(async (tx) => {
          assert.equal((await tx.query(insert, [4, 'v4'])).rowCount, 1);
          // this session holds the statement under its digest name, with exactly its text
          const { rows } = await tx.query<{ name: string; statement: string }>(
            'select name, statement from pg_prepared_statements where statement = $1',
            [insert],
          );
          assert.equal(rows.length, 1);
          assert.match(rows[0]?.name ?? '', /^tps_[0-9a-f]{24}$/);
        });
        // a failing execution leaves the prepared statement usable
        await assert.rejects(db.query(insert, [1, 'again']), /duplicate key/);
        assert.equal((await db.query(insert, [5, 'v5'])).rowCount, 1);
        const { rows } = await db.query<{ n: string }>('select count(*)::text as n from t_prep where v like $1', ['v%']);
        assert.equal(rows[0]?.n, '5');
      } finally {
        await db.close();
      }
    });

    it('prepares nothing when prepared statements are switched off (a pooler in transaction mode)', async () => {
      const schema = uniqueName('t');
      const db = await openPostgres({ url: realDatabaseUrl as string, schema, preparedStatements: false });
      try {
        await db.exec('create table t_noprep (id int primary key)');
        for (let i = 1; i <= 3; i++) await db.query('insert into t_noprep (id) values ($1)', [i]);
        await db.transaction(async (tx) => {
          await tx.query('insert into t_noprep (id) values ($1)', [4]);
          const { rows } = await tx.query('select name from pg_prepared_statements where statement like $1', ['%t_noprep%']);
          assert.deepEqual(rows, []);
        });
        assert.equal((await db.query<{ n: number }>('select count(*)::int as n from t_noprep where id > $1', [0])).rows[0]?.n, 4);
      } finally {
        await db.query(`drop schema if exists ${schema} cascade`);
        await db.close();
      }
    });

    it('delivers notifications committed by another connection to a listener, none from a rollback, and resumes after its connection is cut', async () => {
      const db = await openTestDatabase();
      const other = await db.reopen();
      const channel = uniqueName('chan');
      const got: string[] = [];
      const stop = await (db.listen as NonNullable<typeof db.listen>)(channel, (p) => got.push(p));
      try {
        await other.transaction(async (tx) => {
          await tx.query('select pg_notify($1, $2)', [channel, 'committed']);
          await new Promise((r) => setTimeout(r, 200));
          assert.deepEqual(got, [], 'nothing before the commit');
        });
        await eventually(() => got.includes('committed'), 'the committed notification');
        await assert.rejects(
          other.transaction(async (tx) => {
            await tx.query('select pg_notify($1, $2)', [channel, 'rolled back']);
            throw new Error('abort');
          }),
          /abort/,
        );
        await other.query('select pg_notify($1, $2)', [channel, 'after']);
        await eventually(() => got.includes('after'), 'the next notification');
        assert.ok(!got.includes('rolled back'), 'a rolled-back notification is never delivered');
        // the listening connection is cut by the server: it reconnects and listens again by itself
        const cut = await other.query<{ n: number }>(
          `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where query = $1`,
          [`listen ${channel}`],
        );
        assert.equal(cut.rows[0]?.n, 1);
        await eventually(
          async () => {
            await other.query('select pg_notify($1, $2)', [channel, 'again']);
            return got.includes('again');
          },
          'a notification after the reconnect',
          15_000,
        );
        await assert.rejects(
          (db.listen as NonNullable<typeof db.listen>)('Bad Channel; drop table x', () => undefined),
          TypeError,
        );
        await stop();
        const before = got.length;
        await other.query('select pg_notify($1, $2)', [channel, 'stopped']);
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(got.length, before, 'nothing after stop');
      } finally {
        await stop();
        await db.close();
      }
    });

    it('bounds every statement and every idle transaction, so nothing waits on a lock forever', async () => {
      const db = await openTestDatabase();
      try {
        const setting = async (name: string) => (await db.query<Record<string, string>>(`show ${name}`)).rows[0]?.[name];
        assert.equal(await setting('statement_timeout'), `${STATEMENT_TIMEOUT_MS / 60_000}min`);
        assert.equal(await setting('idle_in_transaction_session_timeout'), `${(2 * STATEMENT_TIMEOUT_MS) / 60_000}min`);
        // and inside a transaction too (the same pooled sessions)
        await db.transaction(async (tx) => {
          assert.equal((await tx.query<{ statement_timeout: string }>('show statement_timeout')).rows[0]?.statement_timeout, '1min');
        });
      } finally {
        await db.close();
      }
    });
  });
}
