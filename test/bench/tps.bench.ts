/**
 * Benchmark of the Trade Permission System (prints figures, never fails on time), the hosted
 * platform in this process (REST backends, TPS, broker and every party's endpoint; embedded, or
 * PostgreSQL + Redis with BENCH_DATABASE_URL / BENCH_REDIS_URL):
 *  (a) a foreseen capacity limit affecting BENCH_A_ASSETS (10,000) assets of BENCH_AGGREGATORS (50)
 *      aggregators, from the DSO's POST until the last aggregator's long poll has returned its share;
 *  (b) the aggregators submit schedules (96 points) for BENCH_B_ASSETS (100,000) assets on the grids
 *      of BENCH_DSOS (5) DSOs, BENCH_B_PER_SCHEDULE (500) assets per schedule document; asset-schedules
 *      per second from the first POST until the DSOs' wait feeds have returned every series.
 *   npm run bench:tps
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test BENCH_REDIS_URL=redis://127.0.0.1:6379 npm run bench:tps
 * BENCH_PARTS=a or b runs one part.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditTrail } from '../../src/audit/index.js';
import { openStorage, startHub } from '../../src/app/hub.js';
import { createLogger } from '../../src/app/logger.js';
import { loadConfig } from '../../src/config/config.js';
import { eicCheckCharacter } from '../../src/directory/eic.js';
import { migrate } from '../../src/infra/db/migrate.js';
import { defaultEndpointCode } from '../../src/parties/registry.js';
import type { PartyRole } from '../../src/parties/roles.js';
import { issueToken, loadOrCreateTokenSigner } from '../../src/parties/tokens.js';
import { systemClock } from '../../src/shared/clock.js';
import { hostParty, initPlatform } from '../../src/tps/platform.js';
import { uniqueName } from '../support/backends.js';
import { gsrn } from '../support/tps-network.js';
import { dropNetworkSchema, freePort } from '../support/transport-network.js';

const AGGREGATORS = Number(process.env.BENCH_AGGREGATORS ?? 50);
const DSOS = Number(process.env.BENCH_DSOS ?? 5);
const A_ASSETS = Number(process.env.BENCH_A_ASSETS ?? 10_000);
const B_ASSETS = Number(process.env.BENCH_B_ASSETS ?? 100_000);
const PER_SCHEDULE = Number(process.env.BENCH_B_PER_SCHEDULE ?? 500);
const PARTS = (process.env.BENCH_PARTS ?? 'ab').split('');
const DATABASE_URL = process.env.BENCH_DATABASE_URL;
const REDIS_URL = process.env.BENCH_REDIS_URL;

interface P {
  code: string;
  role: PartyRole;
  token: string;
}

/** A valid EIC X code (and derivable endpoint code) for party number i of a kind. */
function partyCode(kind: 'A' | 'D', i: number): string {
  for (let salt = 0; ; salt++) {
    const first15 = `10X${kind}BENCH${String(salt).padStart(2, '0')}${String(i).padStart(4, '0')}`.slice(0, 15);
    const check = eicCheckCharacter(first15);
    if (check && defaultEndpointCode(first15 + check)) return first15 + check;
  }
}
const areaOf = (d: number) => {
  for (let salt = 0; ; salt++) {
    const first15 = `10YBENCH${String(salt).padStart(2, '0')}-${String(d).padStart(3, '0')}-`.slice(0, 15);
    const check = eicCheckCharacter(first15);
    if (check) return first15 + check;
  }
};

const dsoOf = (i: number) => Math.floor(i / AGGREGATORS) % DSOS;
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const cpu = () => process.cpuUsage();

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tps-bench-'));
  const port = await freePort();
  const env: Record<string, string> = {
    PORT: '0',
    TRANSPORT_PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.BENCH_LOG ?? 'error',
    TPS_ACK_WAIT_MS: '60000',
    XML_MAX_BYTES: String(64 * 1024 * 1024),
    TRANSPORT_MAX_CONTENT_BYTES: String(64 * 1024 * 1024),
    ...(DATABASE_URL ? { DATABASE_URL, DATABASE_SCHEMA: uniqueName('bench_tps') } : {}),
    ...(REDIS_URL ? { REDIS_URL, QUEUE_PREFIX: uniqueName('bench_tps') } : {}),
  };
  const config = loadConfig(env);
  const aggregators: P[] = [];
  const dsos: P[] = [];
  {
    const { db, lock } = await openStorage(config);
    try {
      await migrate(db);
      const deps = {
        db,
        dataDir,
        clock: systemClock,
        transportUrl: config.transport.publicUrl,
        audit: createAuditTrail(systemClock),
        actor: 'bench',
      };
      await initPlatform(deps);
      const signer = await loadOrCreateTokenSigner(db, dataDir);
      const add = async (code: string, role: PartyRole, list: P[]) => {
        await hostParty(deps, { code, role, name: `${role} ${code}` });
        list.push({ code, role, token: (await issueToken(db, signer, { party: code, role })).token });
      };
      for (let d = 0; d < DSOS; d++) await add(partyCode('D', d), 'DSO', dsos);
      for (let a = 0; a < AGGREGATORS; a++) await add(partyCode('A', a), 'AGR', aggregators);
    } finally {
      await db.close();
      lock?.release();
    }
  }
  const hub = await startHub(config, createLogger(config.logLevel));
  const call = async (p: P, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${hub.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${p.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  console.log(
    `tps bench: ${AGGREGATORS} aggregators, ${DSOS} DSOs, ${DATABASE_URL ? 'PostgreSQL' : 'PGlite'} + ${REDIS_URL ? 'BullMQ/Redis' : 'in-process queue'}`,
  );
  try {
    // Registration: assets i = 0..n-1, operated by aggregator i % AGGREGATORS, on the grid of DSO dsoOf(i): blocks of one
    // asset per aggregator rotate over the DSOs, so every DSO has assets of every aggregator.
    const n = Math.max(PARTS.includes('a') ? A_ASSETS : 0, PARTS.includes('b') ? B_ASSETS : 0);
    let t0 = process.hrtime.bigint();
    await Promise.all(
      dsos.map(async (dso, d) => {
        const cps = [];
        for (let i = 0; i < n; i++) if (dsoOf(i) === d) cps.push({ connectionPoint: gsrn(i + 1), gridArea: areaOf(d) });
        for (let k = 0; k < cps.length; k += 10_000) await call(dso, 'POST', '/dso/v1/connection-points', cps.slice(k, k + 10_000)); // batch limit
      }),
    );
    console.log(`setup: ${n} connection points registered in ${ms(t0).toFixed(0)} ms`);
    t0 = process.hrtime.bigint();
    for (let start = 0; start < AGGREGATORS; start += 10) {
      await Promise.all(
        aggregators.slice(start, start + 10).map((agr, k) => {
          const a = start + k;
          const assets = [];
          for (let i = a; i < n; i += AGGREGATORS)
            assets.push({
              assetId: `BA-${i}`,
              connectionPoint: gsrn(i + 1),
              gridArea: areaOf(dsoOf(i)),
              technology: 'solar',
              maxProductionKw: 5 + (i % 7),
            });
          return call(agr, 'POST', '/agr/v1/assets', assets);
        }),
      );
    }
    console.log(`setup: ${n} assets registered in ${ms(t0).toFixed(0)} ms`);
    await hub.tps?.drain();

    if (PARTS.includes('a')) {
      // (a) one foreseen limit on the first DSO, affecting A_ASSETS of its assets (of every aggregator)
      const dso = dsos[0] as P;
      const affected: string[] = [];
      for (let i = 0; affected.length < A_ASSETS && i < n; i++) if (dsoOf(i) === 0) affected.push(`BA-${i}`);
      const operators = new Set(affected.map((id) => Number(id.slice(3)) % AGGREGATORS));
      for (const agr of aggregators) await call(agr, 'GET', '/agr/v1/capacity-limits/wait?timeout=0');
      const polls = aggregators
        .filter((_, a) => operators.has(a))
        .map(async (agr) => {
          const got = await call(agr, 'GET', '/agr/v1/capacity-limits/wait?timeout=60000');
          return { at: process.hrtime.bigint(), shares: (got.limits as { assets: unknown[] }[]).reduce((s, l) => s + l.assets.length, 0) };
        });
      await new Promise((r) => setTimeout(r, 300)); // the polls are waiting
      const c0 = cpu();
      const a0 = process.hrtime.bigint();
      await call(dso, 'POST', '/dso/v1/capacity-limits', {
        kind: 'foreseen',
        direction: 'production',
        start: '2026-11-26T16:00Z',
        end: '2026-11-26T20:00Z',
        assets: affected,
        availableKw: 2500,
      });
      const acked = ms(a0);
      const done = await Promise.all(polls);
      const last = Math.max(...done.map((d) => Number(d.at - a0) / 1e6));
      const shares = done.reduce((s, d) => s + d.shares, 0);
      const used = cpu();
      console.log(
        `(a) limit on ${affected.length} assets of ${operators.size} aggregators: DSO's POST acknowledged after ${acked.toFixed(0)} ms; ` +
          `last aggregator's long poll returned after ${last.toFixed(0)} ms (target < 2000); ${shares} shares delivered; ` +
          `CPU ${((used.user - c0.user + used.system - c0.system) / 1000).toFixed(0)} ms`,
      );
    }

    if (PARTS.includes('b')) {
      // (b) every aggregator submits schedules for its assets, PER_SCHEDULE assets per document
      for (const dso of dsos) await call(dso, 'GET', '/dso/v1/schedules/wait?timeout=0');
      const points = Array.from({ length: 96 }, (_, k) => Math.round(Math.sin(k / 10) * 3000) / 1000);
      const received = new Map<string, number>();
      let stop = false;
      const feeds = dsos.map(async (dso) => {
        let count = 0;
        while (!stop && count < B_ASSETS / DSOS) {
          const got = await call(dso, 'GET', '/dso/v1/schedules/wait?timeout=5000');
          count += (got.schedules as unknown[]).length;
        }
        received.set(dso.code, count);
        return process.hrtime.bigint();
      });
      const c0 = cpu();
      const b0 = process.hrtime.bigint();
      let documents = 0;
      await Promise.all(
        aggregators.map(async (agr, a) => {
          const mine: string[] = [];
          for (let i = a; i < B_ASSETS; i += AGGREGATORS) mine.push(`BA-${i}`);
          for (let k = 0; k < mine.length; k += PER_SCHEDULE) {
            await call(agr, 'POST', '/agr/v1/schedules', {
              start: '2026-11-25T23:00Z',
              end: '2026-11-26T23:00Z',
              assets: mine.slice(k, k + PER_SCHEDULE).map((assetId) => ({ assetId, points })),
            });
            documents++;
          }
        }),
      );
      const accepted = ms(b0);
      const timer = setTimeout(() => (stop = true), 600_000);
      const ends = await Promise.all(feeds);
      clearTimeout(timer);
      const total = [...received.values()].reduce((s, x) => s + x, 0);
      const last = Math.max(...ends.map((t) => Number(t - b0) / 1e6));
      const used = cpu();
      console.log(
        `(b) ${B_ASSETS} asset-schedules (96 points) in ${documents} documents from ${AGGREGATORS} aggregators to ${DSOS} DSOs: ` +
          `all accepted after ${accepted.toFixed(0)} ms (${((B_ASSETS / accepted) * 1000).toFixed(0)}/s); ` +
          `${total} series at the DSOs after ${last.toFixed(0)} ms: ${((total / last) * 1000).toFixed(0)} asset-schedules/s end to end; ` +
          `CPU ${((used.user - c0.user + used.system - c0.system) / 1000).toFixed(0)} ms in this process`,
      );
    }
  } finally {
    await hub.stop();
    await dropNetworkSchema({ env, dataDir, port });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
