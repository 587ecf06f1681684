/**
 * Benchmark (prints figures, never fails on time): N messages of 3 KB from a sending endpoint's
 * business application (REST API) through the broker to a receiving endpoint whose application
 * long-polls and confirms them — signed and encrypted, over loopback HTTPS with mutual TLS —
 * until the sender holds RECEIVED for every one. Prints messages per second ACCEPTED→RECEIVED
 * and the p50/p99 latency (sender ACCEPTED → sender RECEIVED).
 *   npm run bench:transport                  embedded (PGlite + in-process queue)
 *   BENCH_DATABASE_URL=postgres://… BENCH_REDIS_URL=redis://… npm run bench:transport
 * BENCH_N (default 2000) messages, BENCH_CONCURRENCY (default 32) sends in flight.
 */
import { randomBytes } from 'node:crypto';
import { startHub } from '../../src/app/hub.js';
import { createLogger } from '../../src/app/logger.js';
import { loadConfig } from '../../src/config/config.js';
import { createToken } from '../../src/endpoint/tokens.js';
import { uniqueName } from '../support/backends.js';
import { AGR_CODE, DSO_CODE, dropNetworkSchema, provisionNetwork } from '../support/transport-network.js';

const N = Number(process.env.BENCH_N ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const pgUrl = process.env.BENCH_DATABASE_URL;
const redisUrl = process.env.BENCH_REDIS_URL;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function main() {
  const net = await provisionNetwork({
    env: {
      ...(pgUrl ? { DATABASE_URL: pgUrl, DATABASE_SCHEMA: uniqueName('bench') } : {}),
      ...(redisUrl ? { REDIS_URL: redisUrl, QUEUE_PREFIX: uniqueName('bench') } : {}),
    },
  });
  const hub = await startHub(loadConfig(net.env), createLogger('silent'));
  const label = `${hub.db.kind} + ${hub.jobs.driver.kind}`;
  const agr = (await createToken(hub.db, AGR_CODE, 'bench')).token;
  const dso = (await createToken(hub.db, DSO_CODE, 'bench')).token;
  const content = randomBytes(3072).toString('base64');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();

  // receiving application: long poll, confirm each page
  let received = 0;
  const receiver = (async () => {
    while (received < N) {
      const r = await fetch(`${hub.url}/api/v1/endpoints/${DSO_CODE}/inbox?wait=5&limit=200`, {
        headers: { authorization: `Bearer ${dso}` },
      });
      const page = (await r.json()) as { messages: Array<{ messageId: string }> };
      if (page.messages.length === 0) continue;
      await fetch(`${hub.url}/api/v1/endpoints/${DSO_CODE}/inbox/confirm`, {
        method: 'POST',
        headers: { authorization: `Bearer ${dso}`, 'content-type': 'application/json' },
        body: JSON.stringify({ messageIds: page.messages.map((m) => m.messageId) }),
      });
      received += page.messages.length;
    }
  })();

  // sending application
  let next = 0;
  const sendOne = async () => {
    while (next < N) {
      next++;
      const r = await fetch(`${hub.url}/api/v1/endpoints/${AGR_CODE}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${agr}`, 'content-type': 'application/json' },
        body: JSON.stringify({ receiverCode: DSO_CODE, businessType: 'A67', content }),
      });
      if (r.status !== 201) throw new Error(`send failed: ${r.status} ${await r.text()}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, sendOne));
  const sentMs = performance.now() - t0;
  await receiver;
  // the sender holds RECEIVED for all
  for (;;) {
    const { rows } = await hub.db.query<{ n: string }>("select count(*) as n from endpoint_messages where state = 'RECEIVED'");
    if (Number(rows[0]?.n) >= N) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const totalMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const { rows } = await hub.db.query<{ ms: number }>(
    "select extract(epoch from (updated_at - created_at)) * 1000 as ms from endpoint_messages where state = 'RECEIVED'",
  );
  const lat = rows.map((r) => Number(r.ms)).sort((a, b) => a - b);
  const failed = (await hub.db.query<{ n: string }>("select count(*) as n from endpoint_messages where state = 'FAILED'")).rows[0]?.n;
  console.log(`transport bench — ${label}, ${N} messages × 3 KB, ${CONCURRENCY} sends in flight, one hub process (all roles)`);
  console.log(`  sent (201 ACCEPTED) ${(N / (sentMs / 1000)).toFixed(0)}/s over ${(sentMs / 1000).toFixed(2)} s`);
  console.log(
    `  ACCEPTED→RECEIVED   ${(N / (totalMs / 1000)).toFixed(0)} messages/s (all ${N} RECEIVED at the sender after ${(totalMs / 1000).toFixed(2)} s)`,
  );
  console.log(
    `  latency ACCEPTED→RECEIVED at the sender: p50 ${pct(lat, 50).toFixed(0)} ms, p99 ${pct(lat, 99).toFixed(0)} ms, max ${pct(lat, 100).toFixed(0)} ms`,
  );
  console.log(
    `  failed ${failed}; process CPU ${((cpu.user + cpu.system) / 1000 / N).toFixed(2)} ms per message; RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
  );
  await hub.stop();
  await dropNetworkSchema(net);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
