/**
 * Wires the ECP-style transport into a hub process (docs/transport.md): the hosted components'
 * identities, the cached directory view, the hop sender (queue jobs), the broker and the hosted
 * endpoints, the mutual-TLS server on TRANSPORT_PORT, and the periodic sweeps. The all-in-one
 * process runs exactly this, talking to itself over loopback HTTPS.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Server } from 'node:https';
import type { AuditTrail } from '../audit/record.js';
import { createBroker, type Broker } from '../broker/broker.js';
import type { Config } from '../config/config.js';
import { readCertificateAuthority } from '../crypto/ca.js';
import { createDirectory, type Directory } from '../directory/directory.js';
import { createDirectoryCache, fileCacheStore, type DirectoryCache } from '../directory/directory-cache.js';
import type { DirectoryView } from '../directory/document.js';
import { createEndpoints, type Endpoints } from '../endpoint/endpoint.js';
import type { Jobs } from '../infra/queue/jobs.js';
import type { Clock } from '../shared/clock.js';
import { HubError } from '../shared/errors.js';
import type { Database } from '../shared/sql.js';
import { createHopApp, type HopReceiver } from '../transport/hop.route.js';
import { createHopSender, type HopSender } from '../transport/hop-sender.js';
import { discoverHostedComponents, loadIdentity, type ComponentIdentity } from '../transport/identity.js';
import { createProtectionPool, defaultProtectionThreads, type ProtectionPool } from '../transport/protection-pool.js';
import { httpsUrlOf } from '../transport/routes.js';
import { createComponentClient, createComponentServer, type ComponentClient } from '../transport/tls.js';
import { TrustCache } from '../transport/trust.js';
import { DIRECTORY_PATH, MAX_BATCH_BYTES } from '../transport/wire.js';
import type { Logger } from './logger.js';

/** How often the directory publishes pending changes, and how often components look for a new document. */
export const DIRECTORY_PUBLISH_EVERY_MS = 5_000;
export const DIRECTORY_REFRESH_MS = 30_000;
const SWEEP_EVERY_MS = 1_000;
/** PostgreSQL notification channel on which deliveries announce the endpoints they stored messages for. */
export const INBOX_CHANNEL = 'tps_hub_inbox';
const HOUSEKEEPING_EVERY_MS = 30_000;
const EXPIRY_GRACE_MS = 60_000;
const DONE_RETENTION_MS = 24 * 3600_000;
const HOP_CONCURRENCY = 4;

export interface TransportNode {
  /** https://host:port of the component server. */
  readonly url: string;
  readonly hosted: readonly string[];
  readonly endpoints: Endpoints | undefined;
  readonly broker: Broker | undefined;
  readonly hops: HopSender;
  readonly cache: DirectoryCache;
  readonly directory: Directory | undefined;
  view(): Promise<DirectoryView>;
  /** Publishes directory changes now (directory role) and refreshes this node's view. */
  refreshDirectory(): Promise<void>;
  stop(): Promise<void>;
}

export interface TransportDeps {
  readonly config: Config;
  readonly db: Database;
  readonly jobs: Jobs;
  readonly audit: AuditTrail;
  readonly clock: Clock;
  readonly logger: Logger;
}

const wants = (config: Config) => ['directory', 'broker', 'endpoint'].some((r) => config.roles.includes(r as never));

/** Starts the transport, or returns undefined (logged) when this process has nothing to host yet. */
export async function startTransport(deps: TransportDeps): Promise<TransportNode | undefined> {
  const { config, db, jobs, audit, clock, logger } = deps;
  if (!wants(config)) return undefined;
  const keysDir = join(config.dataDir, 'keys');
  const caPath = config.transport.caCert ?? join(keysDir, 'ca', 'ca.crt');
  if (!existsSync(caPath)) {
    logger.info({ caPath }, 'transport not started: no directory CA certificate (tps-hub certs init-ca, or set CA_CERT)');
    return undefined;
  }
  const caPem = readFileSync(caPath, 'utf8');
  const codes = config.transport.hostedComponents.length ? [...config.transport.hostedComponents] : discoverHostedComponents(keysDir);
  if (codes.length === 0) {
    logger.info({ keysDir }, 'transport not started: no hosted component has keys (tps-hub certs issue --component V …)');
    return undefined;
  }
  const identities = new Map<string, ComponentIdentity>(codes.map((c) => [c, loadIdentity(keysDir, c, caPem)]));
  const first = identities.values().next().value as ComponentIdentity;

  // --- directory view ------------------------------------------------------------------------
  const runsDirectory = config.roles.includes('directory') && existsSync(join(keysDir, 'ca', 'ca.key'));
  const directory = runsDirectory ? createDirectory({ db, clock, ca: () => readCertificateAuthority(join(keysDir, 'ca')) }) : undefined;
  if (!directory && !config.transport.directoryUrl)
    throw new HubError(
      'CONFIG_INVALID',
      'DIRECTORY_URL is required when this process does not run the directory role (with the CA in DATA_DIR/keys/ca)',
    );
  const trust = new TrustCache();
  let latest: DirectoryView | undefined;
  const peerCheck = (cert: import('node:crypto').X509Certificate) =>
    latest ? trust.peer(latest, cert) : { ok: false as const, code: 'DIRECTORY_STALE', message: 'no directory document held yet' };
  const clients = new Map<string, ComponentClient>();
  const clientOf = (code: string): ComponentClient => {
    let c = clients.get(code);
    if (!c) {
      const id = identities.get(code);
      if (!id) throw new HubError('TRANSPORT_IDENTITY_MISSING', `component ${code} is not hosted here`);
      c = createComponentClient({ identity: id.tls, checkServer: peerCheck });
      clients.set(code, c);
    }
    return c;
  };
  // The document is signed by the CA and verified by the cache, so the directory's TLS identity
  // needs no further check here (and there is no view to check it against before the first fetch).
  const directoryClient = directory
    ? undefined
    : createComponentClient({ identity: first.tls, checkServer: () => ({ ok: true, componentCode: 'directory' }) });
  const fetchDocument = directory
    ? async () => (await directory.publishIfChanged()).jws
    : async () => {
        const res = await (directoryClient as ComponentClient).request(`${config.transport.directoryUrl}${DIRECTORY_PATH}`);
        if (res.status !== 200)
          throw new HubError('DIRECTORY_STALE', `the directory answered ${res.status}: ${res.body.toString('utf8').slice(0, 200)}`);
        return res.body.toString('utf8');
      };
  const cache = createDirectoryCache({
    caCertificate: caPem,
    fetch: fetchDocument,
    store: fileCacheStore(join(config.dataDir, 'directory-cache.jws')),
    clock,
    refreshIntervalMs: DIRECTORY_REFRESH_MS,
    retryAfterMs: 2_000,
    logger,
  });
  await cache.load();
  const view = async () => (latest = await cache.current());
  const startView = await view();

  // --- hosted components -----------------------------------------------------------------------
  const typeOf = (code: string) => startView.component(code)?.type;
  const brokerIds = [...identities.values()].filter((i) => typeOf(i.code) === 'BROKER' && config.roles.includes('broker'));
  const endpointIds = new Map([...identities].filter(([c]) => typeOf(c) === 'ENDPOINT' && config.roles.includes('endpoint')));
  for (const c of codes)
    if (!typeOf(c))
      logger.warn({ component: c }, 'hosted component is not in the directory document; it is not served until it is registered');

  let broker: Broker | undefined;
  let endpoints: Endpoints | undefined;
  const hops = createHopSender({
    db,
    driver: jobs.driver,
    clock,
    logger,
    clientOf,
    async urlOf(to) {
      const u = httpsUrlOf(await view(), to);
      if (!u) throw new HubError('TRANSPORT_UNREACHABLE', `the directory lists no https URL for ${to}`);
      return u;
    },
    async onOutcomes(tx, from, to, outcomes) {
      if (broker && from === broker.code) return broker.onOutcomes(tx, to, outcomes);
      if (endpoints) await endpoints.onOutcomes(tx, from, outcomes);
      return undefined;
    },
  });
  const kick = (from: string, to: string) => hops.kick(from, to);
  const maxPayloadChars = Math.ceil(config.transport.maxContentBytes * 1.34) + 16 * 1024;
  const brokerId = brokerIds[0];
  if (brokerIds.length > 1) logger.warn({ brokers: brokerIds.map((b) => b.code) }, 'one broker per process: only the first is served');
  if (brokerId) broker = createBroker({ db, clock, audit, identity: brokerId, view, kick, maxPayloadChars });
  let protection: ProtectionPool | undefined;
  if (endpointIds.size) {
    protection = createProtectionPool(config.transport.cryptoThreads ?? defaultProtectionThreads(availableParallelism()), {
      onWorkerLost: (reason, tasks) => logger.warn({ reason, tasks }, 'sealing/opening worker replaced; its tasks run again on a new one'),
    });
    endpoints = createEndpoints({
      db,
      clock,
      audit,
      identities: endpointIds,
      trust,
      protection,
      view,
      kick,
      maxContentBytes: config.transport.maxContentBytes,
      ...(db.listen ? { inboxChannel: INBOX_CHANNEL } : {}),
    });
  }
  // Processes sharing the database wake each other's long polls at once (otherwise within the
  // 1 s re-check). Without the listener (it could not connect) the re-check still finds everything.
  let unlisten: (() => Promise<void>) | undefined;
  if (endpoints && db.listen && config.roles.includes('api')) {
    const woken = endpoints;
    unlisten = await db
      .listen(INBOX_CHANNEL, (payload) => {
        for (const code of payload.split(',')) if (endpointIds.has(code)) woken.wake(code);
      })
      .catch((e: unknown) => {
        logger.warn({ err: (e as Error).message }, 'inbox notifications unavailable; long polls re-check every second');
        return undefined;
      });
  }
  const serving = [...(brokerId ? [brokerId.code] : []), ...endpointIds.keys()];
  const receiverOf = (code: string): HopReceiver | undefined =>
    broker && code === broker.code ? broker : endpointIds.has(code) ? endpoints : undefined;

  // --- server ----------------------------------------------------------------------------------
  const serverIdentity = brokerId ?? first;
  const server: Server = createComponentServer({
    identity: serverIdentity.tls,
    checkPeer: peerCheck,
    handler: createHopApp({
      receiverOf,
      // a batch of up to MAX_BATCH_BYTES, or one item as large as the largest allowed content
      maxBodyBytes: Math.max(MAX_BATCH_BYTES, maxPayloadChars) + 64 * 1024,
      hosted: () => serving,
      logger,
      ...(directory ? { directoryDocument: async () => (await directory.latestDocument())?.jws } : {}),
    }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.transport.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const url = `https://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;

  // --- work ------------------------------------------------------------------------------------
  const worker = config.roles.includes('worker');
  if (worker) hops.register(serving, HOP_CONCURRENCY);
  const timers: NodeJS.Timeout[] = [];
  const guard = (what: string, p: () => Promise<unknown>) => () => {
    p().catch((e: unknown) => logger.warn({ err: (e as Error).message, code: (e as HubError).code }, `${what} failed; retried`));
  };
  if (worker) {
    timers.push(
      setInterval(
        guard('transport sweep', () => hops.sweep(serving)),
        SWEEP_EVERY_MS,
      ),
    );
    timers.push(
      setInterval(
        guard('transport housekeeping', async () => {
          if (endpoints) await endpoints.expireOverdue(EXPIRY_GRACE_MS);
          await hops.purge(DONE_RETENTION_MS);
        }),
        HOUSEKEEPING_EVERY_MS,
      ),
    );
  }
  if (directory && worker)
    timers.push(
      setInterval(
        guard('directory publication', () => cache.refresh()),
        DIRECTORY_PUBLISH_EVERY_MS,
      ),
    );
  logger.info(
    {
      url,
      hosted: serving,
      broker: brokerId?.code,
      endpoints: [...endpointIds.keys()],
      directory: directory ? 'local' : config.transport.directoryUrl,
      cryptoThreads: protection?.threads,
      contentId: startView.contentId,
    },
    'transport listening (mutual TLS)',
  );

  return {
    url,
    hosted: serving,
    endpoints,
    broker,
    hops,
    cache,
    directory,
    view,
    async refreshDirectory() {
      await cache.refresh();
      await view();
    },
    async stop() {
      for (const t of timers) clearInterval(t);
      await unlisten?.();
      endpoints?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      for (const c of clients.values()) c.close();
      directoryClient?.close();
      await protection?.close();
    },
  };
}
