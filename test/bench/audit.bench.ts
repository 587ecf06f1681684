/**
 * Benchmark (prints figures, never fails on time): the audit log on each storage available here
 * — PGlite always, PostgreSQL when BENCH_DATABASE_URL or DATABASE_URL is set.
 *   record   audit events appended inside business transactions, 1 and 50 per transaction
 *   seal     events chained per second (batches of 1000, checkpoint every 1000)
 *   verify   entries verified per second (streamed in pages of 2000)
 *   export   JSON lines per second
 *   npm run bench:audit      (BENCH_AUDIT_SINGLE=2000, BENCH_AUDIT_BATCHED=20000 by default)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditKeyPath, loadOrCreateAuditKey } from '../../src/audit/audit-key.js';
import { exportAuditLog } from '../../src/audit/export.js';
import { createAuditTrail } from '../../src/audit/record.js';
import { createSealer } from '../../src/audit/sealer.js';
import { verifyAuditLog } from '../../src/audit/verify.js';
import { migrate } from '../../src/infra/db/migrate.js';
import { openPglite } from '../../src/infra/db/pglite.js';
import { openPostgres } from '../../src/infra/db/postgres.js';
import { systemClock } from '../../src/shared/clock.js';
import type { Database } from '../../src/shared/sql.js';

const SINGLE = Number(process.env.BENCH_AUDIT_SINGLE ?? 2000);
const BATCHED = Number(process.env.BENCH_AUDIT_BATCHED ?? 20000);
const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;

const trail = createAuditTrail(systemClock);
const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en')}/s`;

async function record(db: Database, count: number, perTx: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < count; i += perTx) {
    await db.transaction(async (tx) => {
      for (let k = i; k < Math.min(i + perTx, count); k++) {
        await trail.record(tx, {
          actor: '10X1001A1001A450',
          action: 'message.state.accepted',
          subject: `c3d10496-b692-499d-af4a-${String(k).padStart(12, '0')}`,
          parties: ['10X1001A1001A450', '10XCZ-CEPS-GRIDE'],
          details: { from: '10X1001A1001A450', to: '10XCZ-CEPS-GRIDE', type: 'A65', bytes: 5120, state: 'accepted', previous: 'received' },
        });
      }
    });
  }
  return performance.now() - t0;
}

async function run(label: string, db: Database, cleanup: () => Promise<void>) {
  await migrate(db);
  const key = loadOrCreateAuditKey(auditKeyPath(mkdtempSync(join(tmpdir(), 'audit-bench-'))));
  const single = await record(db, SINGLE, 1);
  const batched = await record(db, BATCHED, 50);
  const total = SINGLE + BATCHED;
  const sealer = createSealer({ db, clock: systemClock, signer: key, batchSize: 1000, checkpointEvery: 1000 });
  let t0 = performance.now();
  const sealed = await sealer.sealAll();
  const sealMs = performance.now() - t0;
  t0 = performance.now();
  const r = await verifyAuditLog(db, { publicKeys: [key.publicKey] });
  const verifyMs = performance.now() - t0;
  if (!r.ok || r.entries !== total || sealed !== total) throw new Error(`bench: unexpected result ${JSON.stringify(r)} (sealed ${sealed})`);
  t0 = performance.now();
  let lines = 0;
  for await (const line of exportAuditLog(db)) lines += line.length > 0 ? 1 : 0;
  const exportMs = performance.now() - t0;
  await cleanup();
  console.log(
    `${label.padEnd(11)} record ${rate(SINGLE, single)} (1/tx), ${rate(BATCHED, batched)} (50/tx)  ` +
      `seal ${rate(total, sealMs)}  verify ${rate(total, verifyMs)} (${r.checkpoints} checkpoints)  export ${rate(lines, exportMs)}  [${total} entries]`,
  );
}

console.log(`audit log: ${SINGLE} events in transactions of 1, ${BATCHED} in transactions of 50; then seal, verify, export all`);
const lite = await openPglite(undefined);
await run('PGlite', lite, () => lite.close());
if (pgUrl) {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const pg = await openPostgres({ url: pgUrl, schema });
  await run('PostgreSQL', pg, async () => {
    await pg.query(`drop schema ${schema} cascade`);
    await pg.close();
  });
}
