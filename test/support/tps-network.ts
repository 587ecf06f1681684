/**
 * A hosted TPS platform for tests and benchmarks, set up the way an operator does
 * (`platform init`, `parties add`, `tokens issue`), then one hub process (in this test process)
 * serving it: the REST backends, the TPS, the broker and every party's endpoint, embedded or on
 * the real servers like the other tests.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditTrail } from '../../src/audit/index.js';
import { openStorage, startHub, type Hub } from '../../src/app/hub.js';
import { createLogger } from '../../src/app/logger.js';
import { loadConfig } from '../../src/config/config.js';
import { migrate } from '../../src/infra/db/migrate.js';
import type { PartyRole } from '../../src/parties/roles.js';
import { issueToken, loadOrCreateTokenSigner } from '../../src/parties/tokens.js';
import { systemClock } from '../../src/shared/clock.js';
import { hostParty, initPlatform } from '../../src/tps/platform.js';
import { realDatabaseUrl, realRedisUrl, uniqueName } from './backends.js';
import { dropNetworkSchema, freePort } from './transport-network.js';

export interface TestParty {
  readonly code: string;
  readonly role: PartyRole;
  readonly name: string;
  readonly endpointCode?: string;
  readonly token: string;
}

/** The JSON the backends answer with, loosely: what the tests read of it. */
export interface ApiBody {
  readonly error?: { readonly code: string; readonly message: string; readonly problems?: readonly ApiProblem[] };
  readonly state?: string;
  readonly requestId?: string;
  readonly assets?: readonly ApiAsset[];
  readonly connectionPoints?: readonly { readonly connectionPoint: string; readonly gridArea?: string }[];
  readonly schedules?: readonly unknown[];
  readonly limits?: readonly unknown[];
  readonly [key: string]: unknown;
}
export interface ApiProblem {
  readonly code?: string;
  readonly item?: number;
  readonly field?: string;
  readonly message?: string;
}
export interface ApiAsset {
  readonly assetId: string;
  readonly connectionPoint: string;
  readonly gridArea: string;
  readonly technology: string;
  readonly name?: string;
  readonly maxProductionKw?: number;
  readonly maxConsumptionKw?: number;
  readonly validFrom: string;
  readonly removed?: boolean;
}

export interface TpsNetwork {
  readonly hub: Hub;
  readonly url: string;
  readonly parties: { readonly [K in PartyKey]: TestParty };
  readonly tpsCode: string;
  /** fetch against the hub as `party` (no party: no Authorization header). */
  call(
    party: TestParty | undefined,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: ApiBody; text: string }>;
  /**
   * Resolves once every document sent so far has been processed and confirmed by its receiving
   * backend (every message RECEIVED or FAILED at its sender, twice in a row 100 ms apart).
   */
  settled(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Party codes of the standard test network (valid EIC X codes). */
export const PARTIES = {
  agr1: { code: '10X1001A1001A450', role: 'AGR', name: 'Aggregator One' },
  agr2: { code: '10XDE-RWENET---W', role: 'AGR', name: 'Aggregator Two' },
  brp1: { code: '10XAT-APG------Z', role: 'BRP', name: 'Balance One' },
  dso1: { code: '10XCZ-CEPS-GRIDE', role: 'DSO', name: 'Grid One' },
  dso2: { code: '10XFR-RTE------Q', role: 'DSO', name: 'Grid Two' },
  regulator: { code: '10X1001A1001A094', role: 'REGULATOR', name: 'Regulator' },
} as const satisfies Record<string, { code: string; role: PartyRole; name: string }>;

export type PartyKey = keyof typeof PARTIES;

export async function startTpsNetwork(env: Record<string, string> = {}): Promise<TpsNetwork> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tps-'));
  const port = await freePort();
  const fullEnv: Record<string, string> = {
    PORT: '0',
    TRANSPORT_PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.TPS_TEST_LOG ?? 'silent', // TPS_TEST_LOG=info shows the hub's log while a test runs
    ...(realDatabaseUrl ? { DATABASE_URL: realDatabaseUrl, DATABASE_SCHEMA: uniqueName('tps') } : {}),
    ...(realRedisUrl ? { REDIS_URL: realRedisUrl, QUEUE_PREFIX: uniqueName('tps') } : {}),
    ...env,
  };
  const config = loadConfig(fullEnv);
  const { db, lock } = await openStorage(config);
  const parties = {} as Record<PartyKey, TestParty>;
  let tpsCode: string;
  try {
    await migrate(db);
    const deps = {
      db,
      dataDir,
      clock: systemClock,
      transportUrl: config.transport.publicUrl,
      audit: createAuditTrail(systemClock),
      actor: 'test',
    };
    tpsCode = (await initPlatform(deps)).tps.code;
    const signer = await loadOrCreateTokenSigner(db, dataDir);
    for (const [key, p] of Object.entries(PARTIES) as [PartyKey, (typeof PARTIES)[PartyKey]][]) {
      const party = await hostParty(deps, p);
      const { token } = await issueToken(db, signer, { party: party.code, role: party.role, label: key });
      parties[key] = { ...p, ...(party.endpointCode ? { endpointCode: party.endpointCode } : {}), token };
    }
  } finally {
    await db.close();
    lock?.release();
  }
  const hub = await startHub(config, createLogger(config.logLevel));
  const call: TpsNetwork['call'] = async (party, method, path, body) => {
    const res = await fetch(`${hub.url}${path}`, {
      method,
      headers: {
        ...(party ? { authorization: `Bearer ${party.token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: ApiBody = {};
    try {
      parsed = JSON.parse(text) as ApiBody;
    } catch {
      // not JSON (e.g. ping's text/plain): the text is there
    }
    return { status: res.status, body: parsed, text };
  };
  return {
    hub,
    url: hub.url,
    parties,
    tpsCode,
    call,
    async settled(timeoutMs = 20_000) {
      const open = async () =>
        Number(
          (await hub.db.query<{ n: string }>(`select count(*)::text as n from endpoint_messages where state not in ('RECEIVED', 'FAILED')`))
            .rows[0]?.n ?? 0,
        );
      const until = Date.now() + timeoutMs;
      let quiet = 0;
      while (quiet < 2) {
        if (Date.now() > until) throw new Error(`documents still on their way after ${timeoutMs} ms`);
        quiet = (await open()) === 0 ? quiet + 1 : 0;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      await hub.stop();
      await dropNetworkSchema({ env: fullEnv, dataDir, port });
    },
  };
}

/** Valid GSRN/EAN-18 codes for tests: `gsrn(1)`, `gsrn(2)`, … */
export function gsrn(n: number): string {
  const body = `57131310000${String(n).padStart(6, '0')}`;
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return body + String((10 - (sum % 10)) % 10);
}

/** The asset IDs of an answer, in order. */
export const assetIds = (b: ApiBody): string[] => (b.assets ?? []).map((a) => a.assetId);
/** The reason or problem codes of an error answer. */
export const problemCodes = (b: ApiBody): (string | undefined)[] => (b.error?.problems ?? []).map((p) => p.code);
