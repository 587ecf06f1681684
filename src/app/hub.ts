/**
 * The composition root: the only place that builds adapters and wires contexts together.
 * `startHub` opens storage (PGlite or PostgreSQL) and applies migrations, opens the queue
 * (in-process or BullMQ), starts the outbox dispatcher and the HTTP server, and returns a handle
 * whose `stop()` shuts down gracefully: readiness off, stop accepting, drain requests and jobs,
 * close storage.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Config } from '../config/config.js';
import { describeConfig } from '../config/config.js';
import { createHttpApp } from '../http/app.js';
import type { HealthReport } from '../http/health.route.js';
import type { Database } from '../shared/sql.js';
import type { QueueDriver } from '../shared/queue.js';
import { migrate } from '../infra/db/migrate.js';
import { openPglite } from '../infra/db/pglite.js';
import { openPostgres } from '../infra/db/postgres.js';
import { createBullmqQueue } from '../infra/queue/bullmq.js';
import { createInProcessQueue } from '../infra/queue/in-process.js';
import { createJobs, type Jobs } from '../infra/queue/jobs.js';
import { countOpen } from '../infra/queue/outbox.js';
import { AUDIT_ACTIONS, auditKeyPath, createAuditTrail, createSealer, loadOrCreateAuditKey, type AuditTrail } from '../audit/index.js';
import { systemClock } from '../shared/clock.js';
import { lockDataDir, type DirLock } from './data-dir-lock.js';
import type { Logger } from './logger.js';
import { VERSION } from './version.js';
import { startTransport, type TransportNode } from './transport-node.js';
import { endpointApiRoutes } from '../endpoint/api.route.js';
import { TokenVerifier } from '../endpoint/tokens.js';
import { startTps, type TpsNode } from './tps-node.js';
import { initPlatform } from '../tps/platform.js';
import { existsSync } from 'node:fs';

/** How often pending audit events are chained (docs/audit.md). */
const AUDIT_SEAL_INTERVAL_MS = 2_000;

export interface Hub {
  readonly url: string;
  readonly db: Database;
  readonly jobs: Jobs;
  readonly audit: AuditTrail;
  readonly config: Config;
  /** The component transport, when this process hosts directory, broker or endpoints with keys. */
  readonly transport: TransportNode | undefined;
  /** The Trade Permission System backends, when the platform is set up and this process hosts endpoints. */
  readonly tps: TpsNode | undefined;
  stop(): Promise<void>;
}

export async function openStorage(config: Config): Promise<{ db: Database; lock?: DirLock }> {
  if (config.databaseUrl) {
    return {
      db: await openPostgres({
        url: config.databaseUrl,
        ...(config.databaseSchema ? { schema: config.databaseSchema } : {}),
        preparedStatements: config.databasePreparedStatements,
      }),
    };
  }
  const lock = lockDataDir(config.dataDir);
  try {
    return { db: await openPglite(join(config.dataDir, 'pglite')), lock };
  } catch (e) {
    lock.release();
    throw e;
  }
}

export function openQueue(config: Config): QueueDriver {
  return config.redisUrl ? createBullmqQueue({ url: config.redisUrl, prefix: config.queuePrefix }) : createInProcessQueue();
}

export interface StartOptions {
  /**
   * Sets the platform up (directory CA, broker, TPS endpoint: `tps-hub platform init`) when this
   * process runs the directory, has no CA yet and knows its transport port. `tps-hub serve` asks
   * for it, so that `npm start` on a fresh clone is a working, empty hub.
   */
  readonly initPlatform?: boolean;
}

export async function startHub(config: Config, logger: Logger, options: StartOptions = {}): Promise<Hub> {
  const started = Date.now();
  logger.info({ config: describeConfig(config), version: VERSION }, 'starting tps-hub');
  const { db, lock } = await openStorage(config);
  let driver: QueueDriver | undefined;
  try {
    const applied = await migrate(db);
    logger.info({ storage: db.kind, applied }, applied.length ? 'migrations applied' : 'schema up to date');
    driver = openQueue(config);
  } catch (e) {
    await db.close().catch(() => undefined);
    lock?.release();
    throw e;
  }
  const jobs = createJobs(db, driver, logger);
  const audit = createAuditTrail(systemClock);
  // The audit sealer chains recorded events and signs checkpoints (docs/audit.md). Several
  // worker processes may run it: an advisory lock lets one seal at a time.
  const sealer = config.roles.includes('worker')
    ? createSealer({ db, clock: systemClock, signer: loadOrCreateAuditKey(auditKeyPath(config.dataDir)) })
    : undefined;
  let sealing: Promise<unknown> = Promise.resolve();
  const sealTimer = sealer
    ? setInterval(() => {
        sealing = sealer.sealAll().catch((e: unknown) => logger.warn({ err: (e as Error).message }, 'audit sealing failed; retried'));
      }, AUDIT_SEAL_INTERVAL_MS)
    : undefined;
  if (config.roles.includes('worker')) jobs.dispatcher.start();
  const lifecycle = (action: string) =>
    db.transaction((tx) =>
      audit.record(tx, {
        actor: 'system',
        action,
        details: { version: VERSION, roles: [...config.roles], storage: db.kind, queue: driver.kind, pid: process.pid },
      }),
    );
  await lifecycle(AUDIT_ACTIONS.hubStarted);
  let transport: TransportNode | undefined;
  let tps: TpsNode | undefined;
  try {
    if (options.initPlatform && wantsPlatform(config)) {
      const platform = await initPlatform({
        db,
        dataDir: config.dataDir,
        clock: systemClock,
        transportUrl: config.transport.publicUrl,
        audit,
        actor: 'system',
      });
      if (platform.created)
        logger.info({ tps: platform.tps.code, broker: platform.brokerCode, url: config.transport.publicUrl }, 'platform set up');
    }
    transport = await startTransport({ config, db, jobs, audit, clock: systemClock, logger });
    tps = await startTps({ config, db, transport, clock: systemClock, logger });
  } catch (e) {
    await tps?.stop();
    await transport?.stop();
    await jobs.dispatcher.stop();
    await jobs.driver.close();
    clearInterval(sealTimer);
    await db.close().catch(() => undefined);
    lock?.release();
    throw e;
  }

  let ready = false;
  const report = async (): Promise<HealthReport> => {
    const t = process.hrtime.bigint();
    let storage: HealthReport['storage'];
    let outbox: HealthReport['outbox'];
    try {
      await db.ping();
      storage = { ok: true, kind: db.kind, latencyMs: Number(process.hrtime.bigint() - t) / 1e6 };
      outbox = await countOpen(db);
    } catch (e) {
      storage = { ok: false, kind: db.kind, detail: (e as Error).message };
    }
    const queue = await jobs.driver.health();
    return {
      status: storage.ok && queue.ok ? 'ok' : 'degraded',
      version: VERSION,
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
      storage,
      queue,
      ...(outbox ? { outbox } : {}),
    };
  };

  const routes =
    transport?.endpoints && config.roles.includes('api')
      ? endpointApiRoutes({
          endpoints: transport.endpoints,
          tokens: new TokenVerifier(db),
          maxContentBytes: config.transport.maxContentBytes,
        })
      : [];
  const app = createHttpApp({ health: { report, isReady: () => ready }, logger, routes, routers: tps?.routers ?? [] });
  const server: Server = createServer(app);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${host}:${addr.port}`;
  ready = true;
  logger.info({ url, storage: db.kind, queue: driver.kind, ms: Date.now() - started }, 'tps-hub listening');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      ready = false;
      logger.info({ timeoutMs: config.shutdownTimeoutMs }, 'shutting down: no new connections, draining');
      tps?.release();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
      await closed;
      clearTimeout(timer);
      await tps?.stop();
      await transport?.stop();
      await jobs.dispatcher.stop();
      await jobs.driver.close();
      clearInterval(sealTimer);
      await lifecycle(AUDIT_ACTIONS.hubStopped).catch((e: unknown) =>
        logger.warn({ err: (e as Error).message }, 'could not record the stop in the audit log'),
      );
      await sealing;
      await sealer?.sealAll().catch((e: unknown) => logger.warn({ err: (e as Error).message }, 'final audit sealing failed'));
      await db.close();
      lock?.release();
      logger.info({}, 'tps-hub stopped');
    })());

  return { url, db, jobs, audit, config, transport, tps, stop };
}

/** A fresh all-in-one hub: runs the directory, has no CA yet, and its transport port is known. */
function wantsPlatform(config: Config): boolean {
  const ca = config.transport.caCert ?? join(config.dataDir, 'keys', 'ca', 'ca.crt');
  return config.roles.includes('directory') && !config.transport.directoryUrl && !existsSync(ca) && config.transport.port !== 0;
}
