/**
 * The transactional outbox: work committed with a business change reaches its handler at least
 * once, whatever happens to the queue in between; work rolled back never runs.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { migrate } from '../../../src/infra/db/migrate.js';
import { createJobs, type Jobs } from '../../../src/infra/queue/jobs.js';
import { countOpen } from '../../../src/infra/queue/outbox.js';
import { HubError } from '../../../src/shared/errors.js';
import type { QueueDriver } from '../../../src/shared/queue.js';
import {
  eventually,
  openTestDatabase,
  openTestQueue,
  queueName,
  silentLogger,
  storageName,
  uniqueName,
  type TestDatabase,
} from '../../support/backends.js';

/** The real driver, with a switch that makes enqueue fail as it does while Redis is down. */
function withOutageSwitch(inner: QueueDriver): QueueDriver & { down: boolean } {
  const d = {
    ...inner,
    down: false,
    enqueue: <T>(queue: string, data: T, opts?: Parameters<QueueDriver['enqueue']>[2]) =>
      d.down ? Promise.reject(new HubError('QUEUE_UNAVAILABLE', 'simulated outage')) : inner.enqueue(queue, data, opts),
    enqueueMany: (items: Parameters<QueueDriver['enqueueMany']>[0]) =>
      d.down ? Promise.reject(new HubError('QUEUE_UNAVAILABLE', 'simulated outage')) : inner.enqueueMany(items),
  };
  return d;
}

describe(`outbox on ${storageName} with ${queueName}`, () => {
  let db: TestDatabase;
  const opened: Jobs[] = [];
  const jobsOn = (driver: QueueDriver, leaseMs = 60_000) => {
    const j = createJobs(db, driver, silentLogger, { pollMs: 20, leaseMs, maxBackoffMs: 100 });
    opened.push(j);
    j.dispatcher.start();
    return j;
  };

  before(async () => {
    db = await openTestDatabase();
    await migrate(db);
  });
  afterEach(async () => {
    for (const j of opened.splice(0)) {
      await j.dispatcher.stop();
      await j.driver.close();
    }
    await db.query('delete from outbox');
  });
  after(() => db.close());

  it('delivers a job committed with a business change and marks its row completed', async () => {
    const jobs = jobsOn(openTestQueue());
    const seen: unknown[] = [];
    jobs.register('orders', async (job) => void seen.push(job.data));
    await db.exec('create table if not exists t_order (id text primary key)');
    await db.transaction(async (tx) => {
      await tx.query('insert into t_order values ($1)', ['o-1']);
      await jobs.add(tx, 'orders', 'o-1', { order: 'o-1' });
    });
    jobs.dispatcher.nudge();
    await eventually(() => seen.length === 1, 'delivery');
    assert.deepEqual(seen, [{ order: 'o-1' }]);
    await eventually(
      async () => (await db.query(`select 1 from outbox where job_id = 'o-1' and completed_at is not null`)).rowCount === 1,
      'completion mark',
    );
  });

  it('never runs a job whose transaction rolled back', async () => {
    const jobs = jobsOn(openTestQueue());
    let calls = 0;
    jobs.register('orders', async () => void (calls += 1));
    await assert.rejects(
      db.transaction(async (tx) => {
        await jobs.add(tx, 'orders', 'rolled-back', {});
        throw new Error('rule failed');
      }),
    );
    await jobs.dispatcher.runOnce();
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(calls, 0);
    assert.equal((await db.query('select 1 from outbox')).rowCount, 0);
  });

  it('keeps one row and one delivery when the same job is added twice', async () => {
    const jobs = jobsOn(openTestQueue());
    let calls = 0;
    jobs.register('orders', async () => void (calls += 1));
    await jobs.enqueue('orders', 'twice', { n: 1 });
    await jobs.enqueue('orders', 'twice', { n: 2 });
    await eventually(() => calls === 1, 'delivery');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(calls, 1);
    assert.equal((await db.query(`select 1 from outbox where job_id = 'twice'`)).rowCount, 1);
  });

  it('holds jobs in the outbox while the queue is down and delivers all of them when it is back', async () => {
    const driver = withOutageSwitch(openTestQueue());
    driver.down = true;
    const jobs = jobsOn(driver);
    const seen = new Set<string>();
    jobs.register('orders', async (job) => void seen.add(job.id));
    for (let i = 0; i < 50; i++) await jobs.enqueue('orders', `outage-${i}`, { i });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(seen.size, 0);
    assert.equal((await countOpen(db)).pending, 50);
    driver.down = false;
    await eventually(() => seen.size === 50, 'all 50 jobs after the outage');
    await eventually(async () => (await countOpen(db)).inFlight === 0, 'all rows completed');
  });

  it('dispatches again, after the lease, a job the queue lost (crash of the queue or its process)', async () => {
    // First process: hands the job to its queue and dies before any handler ran.
    const lost = createJobs(db, openTestQueue(uniqueName('lost')), silentLogger, { leaseMs: 300 });
    await lost.enqueue('orders', 'orphan', { v: 1 });
    assert.equal(await lost.dispatcher.runOnce(), 1);
    await lost.driver.close();
    // Second process, fresh queue: picks the unfinished row up once the lease has run out.
    const jobs = jobsOn(openTestQueue(), 300);
    const seen: string[] = [];
    jobs.register('orders', async (job) => void seen.push(job.id));
    await eventually(() => seen.length === 1, 're-dispatch after the lease', 5_000);
    assert.deepEqual(seen, ['orphan']);
  });

  it('waits for a delayed job to become due', async () => {
    const jobs = jobsOn(openTestQueue());
    let at = 0;
    const start = Date.now();
    jobs.register('orders', async () => void (at = Date.now()));
    await jobs.enqueue('orders', 'later', {}, { delayMs: 400 });
    await eventually(() => at > 0, 'the delayed job');
    assert.ok(at - start >= 380, `ran after ${at - start} ms`);
  });

  it('records a job that failed for good and does not dispatch it again', async () => {
    const jobs = jobsOn(openTestQueue(), 100);
    let calls = 0;
    jobs.register('orders', async () => {
      calls += 1;
      throw new Error('poison message');
    });
    await db.transaction((tx) => jobs.add(tx, 'orders', 'poison', {}, { attempts: 3, backoffMs: 50 }));
    await eventually(
      async () => (await db.query(`select 1 from outbox where job_id = 'poison' and failed_at is not null`)).rowCount === 1,
      'dead letter',
    );
    const { rows } = await db.query<{ last_error: string; attempts: number }>(
      `select last_error, attempts from outbox where job_id = 'poison'`,
    );
    assert.equal(rows[0]?.last_error, 'poison message');
    assert.equal(rows[0]?.attempts, 3);
    assert.equal(calls, 3);
    const before = calls;
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(calls, before);
    assert.equal((await countOpen(db)).failed, 1);
  });
});
