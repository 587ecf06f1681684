/**
 * A real Redis outage: a private redis-server is killed while jobs flow through the outbox and
 * BullMQ, work keeps being committed, and Redis comes back empty (no persistence). Every job
 * committed before, during and after the outage reaches its handler; none is lost.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { migrate } from '../../../src/infra/db/migrate.js';
import { createBullmqQueue } from '../../../src/infra/queue/bullmq.js';
import { createJobs } from '../../../src/infra/queue/jobs.js';
import { countOpen } from '../../../src/infra/queue/outbox.js';
import { eventually, openTestDatabase, silentLogger, storageName, uniqueName, type TestDatabase } from '../../support/backends.js';
import { redisServerBinary, startPrivateRedis } from '../../support/redis-server.js';

describe(
  `Redis outage with the outbox on ${storageName}`,
  { skip: redisServerBinary ? false : 'redis-server is not installed (CI installs it)' },
  () => {
    let db: TestDatabase;
    before(async () => {
      db = await openTestDatabase();
      await migrate(db);
    });
    after(() => db.close());

    // bounded: a hang fails here, by name, instead of holding the test process until CI's deadline
    it('delivers every job committed before, during and after Redis was killed and restarted empty', { timeout: 120_000 }, async () => {
      const redis = await startPrivateRedis();
      const driver = createBullmqQueue({ url: redis.url, prefix: uniqueName('outage') });
      const jobs = createJobs(db, driver, silentLogger, { pollMs: 20, leaseMs: 1_000, maxBackoffMs: 200 });
      const seen = new Map<string, number>();
      jobs.register(
        'work',
        async (job) => {
          seen.set(job.id, (seen.get(job.id) ?? 0) + 1);
          await new Promise((r) => setTimeout(r, 5));
        },
        { concurrency: 4 },
      );
      jobs.dispatcher.start();
      try {
        for (let i = 0; i < 100; i++) await jobs.enqueue('work', `before-${i}`, { i });
        await eventually(() => seen.size >= 20, 'some jobs handled before the outage');

        await redis.kill();
        for (let i = 0; i < 100; i++) await jobs.enqueue('work', `during-${i}`, { i });
        const during = await countOpen(db);
        assert.ok(
          during.pending + during.inFlight >= 100,
          `work committed during the outage is held in the outbox (${JSON.stringify(during)})`,
        );
        assert.equal((await driver.health()).ok, false);

        await redis.start();
        for (let i = 0; i < 100; i++) await jobs.enqueue('work', `after-${i}`, { i });
        await eventually(() => seen.size === 300, `all 300 jobs handled (have ${seen.size})`, 30_000);
        await eventually(
          async () => {
            const c = await countOpen(db);
            return c.pending === 0 && c.inFlight === 0;
          },
          'every outbox row completed',
          10_000,
        );
        const lost = 300 - seen.size;
        const duplicates = [...seen.values()].filter((n) => n > 1).length;
        console.log(
          `redis outage: 300 committed, ${seen.size} handled, ${lost} lost, ${duplicates} handled more than once (at-least-once)`,
        );
        assert.equal(lost, 0);
      } finally {
        await jobs.dispatcher.stop();
        await driver.close();
        await redis.kill();
      }
    });
  },
);
