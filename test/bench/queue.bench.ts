/**
 * Benchmark (prints figures, never fails on time): durable jobs per second through the outbox
 * — committed in a transaction, dispatched, handled, marked completed — on each storage and
 * queue combination available here. Real PostgreSQL/Redis are used when BENCH_DATABASE_URL /
 * BENCH_REDIS_URL (or DATABASE_URL / REDIS_URL) are set.
 *   npm run bench:queue            (N=2000 jobs by default; BENCH_JOBS to change)
 */
import { randomBytes } from 'node:crypto';
import { migrate } from '../../src/infra/db/migrate.js';
import { openPglite } from '../../src/infra/db/pglite.js';
import { openPostgres } from '../../src/infra/db/postgres.js';
import { createBullmqQueue } from '../../src/infra/queue/bullmq.js';
import { createInProcessQueue } from '../../src/infra/queue/in-process.js';
import { createJobs } from '../../src/infra/queue/jobs.js';
import type { Database } from '../../src/shared/sql.js';
import type { QueueDriver } from '../../src/shared/queue.js';

const N = Number(process.env.BENCH_JOBS ?? 2000);
const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
const redisUrl = process.env.BENCH_REDIS_URL ?? process.env.REDIS_URL;
const quiet = { warn: () => undefined, info: () => undefined };

async function run(label: string, db: Database, driver: QueueDriver, cleanup: () => Promise<void>) {
  await migrate(db);
  const jobs = createJobs(db, driver, quiet, { pollMs: 5, batchSize: 500 });
  let done = 0;
  let finish: () => void = () => undefined;
  const allDone = new Promise<void>((r) => (finish = r));
  jobs.register(
    'bench',
    async () => {
      done += 1;
      if (done === N) finish();
    },
    { concurrency: 8 },
  );
  jobs.dispatcher.start();
  const t0 = performance.now();
  for (let i = 0; i < N; i += 50) {
    await db.transaction(async (tx) => {
      for (let k = i; k < Math.min(i + 50, N); k++) await jobs.add(tx, 'bench', `job-${k}`, { k, pad: 'x'.repeat(200) });
    });
    jobs.dispatcher.nudge();
  }
  const tCommitted = performance.now();
  await allDone;
  const tHandled = performance.now();
  // completion marks are written after the handler; wait for the last of them
  for (;;) {
    const { rows } = await db.query<{ n: string }>('select count(*) as n from outbox where completed_at is null');
    if (Number(rows[0]?.n) === 0) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const tMarked = performance.now();
  await jobs.dispatcher.stop();
  await driver.close();
  await cleanup();
  const rate = (ms: number) => Math.round((N / ms) * 1000);
  console.log(
    `${label.padEnd(28)} ${String(N).padStart(6)} jobs  commit ${rate(tCommitted - t0)}/s  handled ${rate(tHandled - t0)}/s  completed ${rate(tMarked - t0)}/s  (${Math.round(tMarked - t0)} ms)`,
  );
}

const prefix = `bench-${randomBytes(4).toString('hex')}`;
console.log(`outbox → queue → handler → completed, ${N} jobs of ~250 bytes, batches of 50 per transaction, concurrency 8`);
await run('PGlite + in-process', await openPglite(undefined), createInProcessQueue(), async () => undefined);
if (redisUrl) {
  const db = await openPglite(undefined);
  await run('PGlite + BullMQ', db, createBullmqQueue({ url: redisUrl, prefix }), () => db.close());
}
if (pgUrl) {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const open = () => openPostgres({ url: pgUrl, schema });
  const a = await open();
  await run('PostgreSQL + in-process', a, createInProcessQueue(), async () => {
    await a.query(`drop schema ${schema} cascade`);
    await a.close();
  });
  if (redisUrl) {
    const b = await open();
    await run('PostgreSQL + BullMQ', b, createBullmqQueue({ url: redisUrl, prefix: `${prefix}-pg` }), async () => {
      await b.query(`drop schema ${schema} cascade`);
      await b.close();
    });
  }
}
console.log(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
