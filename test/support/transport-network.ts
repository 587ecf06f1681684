/**
 * A small transport network for tests and benchmarks, provisioned the way an operator would
 * (directory CA, registered components, certificates issued by the directory, keys in
 * DATA_DIR/keys/<code>, receiver-declared message paths, a published document): a broker and
 * endpoints, all reachable at https://127.0.0.1:<TRANSPORT_PORT>.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../src/app/hub.js';
import { loadConfig } from '../../src/config/config.js';
import { createCertificateAuthority, writeCertificateAuthority } from '../../src/crypto/ca.js';
import { issueComponentKeys } from '../../src/directory/provision.js';
import { createDirectory, type Directory } from '../../src/directory/directory.js';
import { migrate } from '../../src/infra/db/migrate.js';
import { systemClock } from '../../src/shared/clock.js';
import type { Database } from '../../src/shared/sql.js';
import { realDatabaseUrl, realRedisUrl, uniqueName } from './backends.js';

export const DIRECTORY_CODE = '10V1001C--000438';
export const BROKER_CODE = '10V1001C--000470';
export const AGR_CODE = '10V1001C--000454';
export const DSO_CODE = '10V1001C--000446';
export const BRP_CODE = '10V1001C--000462';
const ORG = '10X1001A1001A450';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export { issueComponentKeys };

export interface TestNetwork {
  /** Environment for startHub / a hub process (embedded or the real servers, like the other tests). */
  readonly env: Record<string, string>;
  readonly dataDir: string;
  readonly port: number;
}

export interface NetworkOptions {
  readonly endpoints?: readonly string[];
  readonly env?: Record<string, string>;
  /** Extra setup in the directory before the first document is published. */
  readonly setup?: (directory: Directory, db: Database) => Promise<void>;
  /** Components served by another hub process: their own transport port (default: the network's). */
  readonly ports?: Readonly<Record<string, number>>;
}

export async function provisionNetwork(options: NetworkOptions = {}): Promise<TestNetwork> {
  const endpoints = options.endpoints ?? [AGR_CODE, DSO_CODE];
  const dataDir = mkdtempSync(join(tmpdir(), 'tps-net-'));
  let port = await freePort();
  const taken = new Set(Object.values(options.ports ?? {}));
  while (taken.has(port)) port = await freePort();
  const env: Record<string, string> = {
    PORT: '0',
    TRANSPORT_PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...(realDatabaseUrl ? { DATABASE_URL: realDatabaseUrl, DATABASE_SCHEMA: uniqueName('net') } : {}),
    ...(realRedisUrl ? { REDIS_URL: realRedisUrl, QUEUE_PREFIX: uniqueName('net') } : {}),
    ...options.env,
  };
  const { db, lock } = await openStorage(loadConfig(env));
  try {
    await migrate(db);
    const ca = await createCertificateAuthority({ code: DIRECTORY_CODE, organisation: 'Test directory' });
    writeCertificateAuthority(join(dataDir, 'keys', 'ca'), ca);
    const directory = createDirectory({ db, clock: systemClock, ca });
    const urlOf = (code: string) => `https://127.0.0.1:${options.ports?.[code] ?? port}`;
    await directory.registerComponent({
      code: BROKER_CODE,
      type: 'BROKER',
      organisation: 'Broker org',
      organisationCode: ORG,
      urls: [urlOf(BROKER_CODE)],
    });
    await issueComponentKeys(directory, dataDir, BROKER_CODE);
    for (const code of endpoints) {
      await directory.registerComponent({
        code,
        type: 'ENDPOINT',
        organisation: `Org ${code.slice(-3)}`,
        organisationCode: ORG,
        marketRoles: ['A52'],
        urls: [urlOf(code)],
      });
      await issueComponentKeys(directory, dataDir, code);
      await directory.addMessagePath({ receiverCode: code, messageType: '*', senders: '*', path: { broker: BROKER_CODE } });
    }
    await options.setup?.(directory, db);
    await directory.publishDocument();
  } finally {
    await db.close();
    lock?.release();
  }
  return { env, dataDir, port };
}

/**
 * Environment for a second hub process that hosts only `codes` (its own DATA_DIR holding their
 * keys and the CA certificate, its own schema and queue prefix), fetching the directory from the
 * first hub. `suffix` names the schema and prefix (`<network's>_<suffix>`) when there are several.
 */
export function secondHubEnv(net: TestNetwork, codes: readonly string[], port: number, suffix = 'b'): Record<string, string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tps-net2-'));
  for (const code of codes) cpSync(join(net.dataDir, 'keys', code), join(dataDir, 'keys', code), { recursive: true });
  return {
    ...net.env,
    DATA_DIR: dataDir,
    TRANSPORT_PORT: String(port),
    CA_CERT: join(net.dataDir, 'keys', 'ca', 'ca.crt'),
    DIRECTORY_URL: `https://127.0.0.1:${net.port}`,
    HOSTED_COMPONENTS: codes.join(','),
    ROLES: 'api,endpoint,worker',
    ...(net.env.DATABASE_SCHEMA ? { DATABASE_SCHEMA: `${net.env.DATABASE_SCHEMA}_${suffix}` } : {}),
    // its own database, so its own queue: a hop job taken by a process with another database finds nothing to send
    ...(net.env.QUEUE_PREFIX ? { QUEUE_PREFIX: `${net.env.QUEUE_PREFIX}_${suffix}` } : {}),
  };
}

/** Drops the PostgreSQL schemas a network used, its own and its other hubs' (no-op on the embedded database). */
export async function dropNetworkSchema(network: TestNetwork): Promise<void> {
  const schema = network.env.DATABASE_SCHEMA;
  const url = network.env.DATABASE_URL; // the benchmark passes its own (BENCH_DATABASE_URL)
  if (!schema || !url) return;
  const { openPostgres } = await import('../../src/infra/db/postgres.js');
  const db = await openPostgres({ url });
  try {
    const { rows } = await db.query<{ name: string }>(
      `select schema_name as name from information_schema.schemata where schema_name = $1 or starts_with(schema_name, $1 || '_')`,
      [schema],
    );
    for (const { name } of rows) await db.query(`drop schema if exists ${name} cascade`);
  } finally {
    await db.close();
  }
}
