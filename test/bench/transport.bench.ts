/**
 * Benchmark (prints figures, never fails on time): N messages of 3 KB from a sending endpoint's
 * business application through the broker to a receiving endpoint whose application long-polls
 * and confirms them — signed and encrypted, over loopback HTTPS with mutual TLS — until the
 * sender holds RECEIVED for every one. The hub runs as real `tps-hub serve` processes; this
 * process plays both business applications over the REST API (raml/endpoint.raml).
 * Prints messages per second ACCEPTED→RECEIVED (wall clock until the sender's status says
 * RECEIVED for all) and the p50/p99 latency from the traces (sender ACCEPTED → receiver's
 * application confirmed, RECEIVED).
 *   npm run bench:transport                  embedded (PGlite + in-process queue)
 *   BENCH_DATABASE_URL=postgres://… BENCH_REDIS_URL=redis://… npm run bench:transport
 * BENCH_N (default 2000) messages, BENCH_CONCURRENCY (default 32) sends in flight, after BENCH_WARMUP
 * (default 1000) unmeasured ones through the same hub (steady state: JIT-compiled hot paths),
 * BENCH_TIMEOUT_S (default 600) ends a run that hangs, BENCH_PROCESSES 1 (default: one process, all roles), 2 (the endpoints in one
 * process, the broker in another) or 3 (sending endpoint | broker | receiving endpoint: three organisations' hubs), each
 * process with its own storage (schema or embedded database) and queue, as on separate hosts,
 * BENCH_NODE_ARGS (e.g. --cpu-prof) for the hub processes, BENCH_HUB_LOG=<file> appends their log lines there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { randomBytes } from 'node:crypto';
import { openSync, readdirSync, readFileSync } from 'node:fs';
import { openStorage } from '../../src/app/hub.js';
import { loadConfig } from '../../src/config/config.js';
import { createToken } from '../../src/endpoint/tokens.js';
import { migrate } from '../../src/infra/db/migrate.js';
import { uniqueName } from '../support/backends.js';
import { CLI } from '../support/hub-process.js';
import {
  AGR_CODE,
  BROKER_CODE,
  DSO_CODE,
  dropNetworkSchema,
  freePort,
  provisionNetwork,
  secondHubEnv,
} from '../support/transport-network.js';

const N = Number(process.env.BENCH_N ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
/** Messages sent and received before the measured run (0: none). */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1000);
const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 1);
const pgUrl = process.env.BENCH_DATABASE_URL;
const redisUrl = process.env.BENCH_REDIS_URL;
/** The run stops by itself after this long, whatever happened (hub processes are killed). */
const DEADLINE_S = Number(process.env.BENCH_TIMEOUT_S ?? 600);

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds a process has used (Linux /proc; utime + stime at 100 ticks per second). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Busy and total jiffies of the whole machine (/proc/stat), for its utilisation during the run. */
function machineTicks(): { busy: number; total: number } {
  const cpu = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - (cpu[3] ?? 0) - (cpu[4] ?? 0), total };
}

/** CPU seconds of the local PostgreSQL server processes, when this machine runs them (0 otherwise). */
function postgresSeconds(): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') total += cpuSeconds(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/**
 * The business applications' HTTP client: node:http with keep-alive (a fraction of fetch's CPU,
 * so the load generator takes less of the machine the hub runs on).
 */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; json: <T>() => T; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, text, json: <T>() => JSON.parse(text) as T });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

interface Proc {
  readonly child: ChildProcess;
  readonly url: string;
}

/** `tps-hub serve` with warnings only on its log (no per-request lines), ready when /health/ready answers. */
async function serve(env: Record<string, string>): Promise<Proc> {
  const port = await freePort();
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []; // e.g. --cpu-prof
  const child = spawn(process.execPath, [...nodeArgs, CLI, 'serve'], {
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn' },
    // BENCH_HUB_LOG=<file>: the hub's log lines (warnings and errors) appended there
    stdio: ['ignore', process.env.BENCH_HUB_LOG ? openSync(process.env.BENCH_HUB_LOG, 'a') : 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`hub exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/health/ready`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return { child, url };
    await sleep(100);
  }
  throw new Error('hub did not become ready within 60 s');
}

/** The hub processes, killed whatever happens (also when the run fails). */
const procs: Proc[] = [];

async function main() {
  if (![1, 2, 3].includes(PROCESSES)) throw new Error('BENCH_PROCESSES: 1, 2 or 3');
  const brokerPort = PROCESSES > 1 ? await freePort() : undefined;
  let receiverPort = PROCESSES > 2 ? await freePort() : undefined;
  while (receiverPort !== undefined && receiverPort === brokerPort) receiverPort = await freePort();
  const tokens: Record<string, string> = {};
  const net = await provisionNetwork({
    env: {
      ...(pgUrl ? { DATABASE_URL: pgUrl, DATABASE_SCHEMA: uniqueName('bench') } : {}),
      ...(redisUrl ? { REDIS_URL: redisUrl, QUEUE_PREFIX: uniqueName('bench') } : {}),
    },
    ...(brokerPort ? { ports: { [BROKER_CODE]: brokerPort, ...(receiverPort ? { [DSO_CODE]: receiverPort } : {}) } } : {}),
    setup: async (_directory, db) => {
      for (const code of [AGR_CODE, DSO_CODE]) tokens[code] = (await createToken(db, code, 'bench')).token;
    },
  });
  const deadline = setTimeout(() => {
    console.error(`transport bench: gave up after ${DEADLINE_S} s`);
    for (const p of procs) p.child.kill('SIGKILL');
    process.exit(1);
  }, DEADLINE_S * 1000);
  const firstHosts = PROCESSES === 1 ? undefined : PROCESSES === 2 ? `${AGR_CODE},${DSO_CODE}` : AGR_CODE;
  procs.push(await serve(firstHosts ? { ...net.env, HOSTED_COMPONENTS: firstHosts } : net.env));
  if (brokerPort) procs.push(await serve({ ...secondHubEnv(net, [BROKER_CODE], brokerPort), ROLES: 'api,broker,worker' }));
  if (receiverPort) {
    const env = secondHubEnv(net, [DSO_CODE], receiverPort, 'c');
    // the receiving endpoint's token lives in its own hub's storage (an embedded one is the hub's alone once it runs)
    const { db, lock } = await openStorage(loadConfig(env));
    try {
      await migrate(db);
      tokens[DSO_CODE] = (await createToken(db, DSO_CODE, 'bench')).token;
    } finally {
      await db.close();
      lock?.release();
    }
    procs.push(await serve(env));
  }
  const hub = procs[0] as Proc;
  /** The hub the receiving application talks to. */
  const receiverHub = (receiverPort ? procs[2] : hub) as Proc;
  const label = `${pgUrl ? 'PostgreSQL' : 'PGlite'} + ${redisUrl ? 'BullMQ/Redis' : 'in-process queue'}`;
  const auth = (code: string) => ({ authorization: `Bearer ${tokens[code]}` });
  const content = randomBytes(3072).toString('base64');

  /** Sends `n` messages with CONCURRENCY in flight while the receiving application long-polls and confirms them. */
  const pass = async (n: number) => {
    const seen = new Map<string, number>();
    const receiver = (async () => {
      while (seen.size < n) {
        const r = await call(`${receiverHub.url}/api/v1/endpoints/${DSO_CODE}/inbox?wait=5&limit=200`, { headers: auth(DSO_CODE) });
        if (r.status !== 200) throw new Error(`receive failed: ${r.status} ${r.text}`);
        const page = r.json<{ messages: Array<{ messageId: string }> }>();
        if (page.messages.length === 0) continue;
        if (process.env.BENCH_DEBUG) console.error(`got ${page.messages.length}`);
        for (const m of page.messages) seen.set(m.messageId, (seen.get(m.messageId) ?? 0) + 1);
        await call(`${receiverHub.url}/api/v1/endpoints/${DSO_CODE}/inbox/confirm`, {
          method: 'POST',
          headers: { ...auth(DSO_CODE), 'content-type': 'application/json' },
          body: JSON.stringify({ messageIds: page.messages.map((m) => m.messageId) }),
        });
      }
    })();
    const ids: string[] = [];
    let next = 0;
    const sendOne = async () => {
      while (next < n) {
        next++;
        const r = await call(`${hub.url}/api/v1/endpoints/${AGR_CODE}/messages`, {
          method: 'POST',
          headers: { ...auth(AGR_CODE), 'content-type': 'application/json' },
          body: JSON.stringify({ receiverCode: DSO_CODE, businessType: 'A67', content }),
        });
        if (r.status !== 201) throw new Error(`send failed: ${r.status} ${r.text}`);
        ids.push(r.json<{ messageId: string }>().messageId);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, sendOne));
    if (process.env.BENCH_DEBUG) console.error(`sent ${ids.length}`);
    const sentAt = performance.now();
    await receiver;
    return { ids, seen, sentAt };
  };

  // warm-up (not measured): the hub's JIT compiles its hot paths, pools and caches fill
  if (WARMUP > 0) {
    await pass(WARMUP);
    await sleep(1000); // its last acknowledgements settle
  }

  const cpu0 = procs.map((p) => cpuSeconds(p.child.pid as number));
  const m0 = machineTicks();
  const pg0 = postgresSeconds();
  const self0 = process.cpuUsage();
  const t0 = performance.now();
  const { ids, seen, sentAt } = await pass(N);
  const sentMs = sentAt - t0;

  // the sender holds RECEIVED for all: the last ones sent first (cheap), then every one
  type Status = { state: string; trace: Array<{ state: string; at: string }> };
  const statusOf = async (id: string) =>
    (await call(`${hub.url}/api/v1/endpoints/${AGR_CODE}/messages/${id}`, { headers: auth(AGR_CODE) })).json<Status>();
  const done = new Map<string, Status>();
  /** Returns how many passes it took. */
  const untilReceived = async (list: readonly string[]) => {
    let passes = 0;
    for (let pending = list; pending.length > 0; passes++) {
      const still: string[] = [];
      for (let i = 0; i < pending.length; i += 16) {
        const page = pending.slice(i, i + 16);
        const states = await Promise.all(page.map(statusOf));
        states.forEach((s, j) => (s.state === 'RECEIVED' ? done.set(page[j] as string, s) : still.push(page[j] as string)));
      }
      pending = still;
      if (still.length) await sleep(20);
    }
    return passes;
  };
  await untilReceived(ids.slice(-32));
  let totalMs = performance.now() - t0;
  const cpu = procs.map((p, i) => cpuSeconds(p.child.pid as number) - (cpu0[i] as number));
  const m1 = machineTicks();
  const pgCpu = postgresSeconds() - pg0;
  const self = process.cpuUsage(self0);
  // a message sent earlier but still on its way moves the end to when it was seen RECEIVED
  if ((await untilReceived(ids.filter((id) => !done.has(id)))) > 1) totalMs = performance.now() - t0;
  const at = (s: Status, state: string) => Date.parse(s.trace.find((t) => t.state === state)?.at ?? '');
  const lat = [...done.values()].map((s) => at(s, 'RECEIVED') - at(s, 'ACCEPTED')).sort((a, b) => a - b);
  const duplicated = [...seen.values()].filter((n) => n > 1).length;

  console.log(
    `transport bench — ${label}, ${N} messages × 3 KB (after ${WARMUP} to warm up), ${CONCURRENCY} sends in flight, ` +
      (PROCESSES === 3
        ? 'three hub processes (sending endpoint | broker | receiving endpoint)'
        : PROCESSES === 2
          ? 'two hub processes (endpoints | broker)'
          : 'one hub process (all roles)'),
  );
  console.log(`  sent (201 ACCEPTED) ${(N / (sentMs / 1000)).toFixed(0)}/s over ${(sentMs / 1000).toFixed(2)} s`);
  console.log(
    `  ACCEPTED→RECEIVED   ${(N / (totalMs / 1000)).toFixed(0)} messages/s (all ${N} RECEIVED at the sender after ${(totalMs / 1000).toFixed(2)} s)`,
  );
  console.log(
    `  latency ACCEPTED→RECEIVED (trace): p50 ${pct(lat, 50).toFixed(0)} ms, p99 ${pct(lat, 99).toFixed(0)} ms, max ${pct(lat, 100).toFixed(0)} ms`,
  );
  console.log(`  received by the application ${seen.size}, duplicated ${duplicated}`);
  console.log(
    `  hub CPU per message: ${cpu.map((c) => ((c * 1000) / N).toFixed(2) + ' ms').join(' + ')}; ` +
      `machine busy ${((100 * (m1.busy - m0.busy)) / (m1.total - m0.total)).toFixed(0)} % of 2 cores (hub, database, queue and this load generator)`,
  );
  console.log(
    `  other CPU per message: PostgreSQL ${((pgCpu * 1000) / N).toFixed(2)} ms (local server processes), ` +
      `load generator ${((self.user + self.system) / 1000 / N).toFixed(2)} ms`,
  );
  for (const p of procs) p.child.kill('SIGTERM');
  await Promise.all(procs.map((p) => new Promise((r) => (p.child.exitCode !== null ? r(null) : p.child.once('exit', r)))));
  agent.destroy();
  await dropNetworkSchema(net);
  clearTimeout(deadline);
}

main().catch((e: unknown) => {
  console.error(e);
  for (const p of procs) p.child.kill('SIGKILL');
  process.exit(1);
});
