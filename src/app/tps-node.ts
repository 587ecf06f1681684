/**
 * Wires the Trade Permission System into a hub process (docs/tps.md): the inbox consumers of the
 * TPS backend and of every hosted party's backend (role `tps`), and the REST interfaces
 * /agr/v1 and /dso/v1 (role `api`). Needs the platform (`tps-hub platform init`, done by `serve`
 * on a fresh data directory) and the transport with the endpoints this process hosts.
 */
import type { Router } from 'express';
import { agrRouter } from '../backends/agr/routes.js';
import { AGR_APPLIERS } from '../backends/agr/inbox.js';
import { agrDocuments } from '../backends/agr/documents.js';
import { dsoRouter } from '../backends/dso/routes.js';
import { dsoDocuments, DSO_APPLIERS } from '../backends/dso/inbox.js';
import { createInboxConsumer, type InboxConsumer } from '../backends/inbox-consumer.js';
import { createPartyInbox } from '../backends/party-inbox.js';
import { Signals } from '../backends/signals.js';
import type { Config } from '../config/config.js';
import { listParties } from '../parties/registry.js';
import { backendOf } from '../parties/roles.js';
import { TokenVerifier } from '../parties/tokens.js';
import type { Clock } from '../shared/clock.js';
import type { Database } from '../shared/sql.js';
import { findPlatform } from '../tps/platform.js';
import { createTpsBackend } from '../tps/service.js';
import type { Logger } from './logger.js';
import type { TransportNode } from './transport-node.js';

export interface TpsNode {
  readonly routers: readonly Router[];
  /** Processes every document waiting in the hosted backends' inboxes now (tests, tools). */
  drain(): Promise<number>;
  /** Answers every long poll and ack wait now (called first on shutdown, so the server drains at once). */
  release(): void;
  stop(): Promise<void>;
}

export interface TpsDeps {
  readonly config: Config;
  readonly db: Database;
  readonly transport: TransportNode | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
}

export async function startTps(deps: TpsDeps): Promise<TpsNode | undefined> {
  const { config, db, transport, clock, logger } = deps;
  const endpoints = transport?.endpoints;
  if (!endpoints) return undefined;
  const platform = await findPlatform(db);
  if (!platform) {
    logger.info({}, 'TPS not started: the platform is not set up (tps-hub platform init)');
    return undefined;
  }
  const signals = new Signals();
  const consumers: InboxConsumer[] = [];
  if (config.roles.includes('tps')) {
    const common = { db, endpoints, logger };
    if (endpoints.codes.includes(platform.tpsEndpointCode)) {
      const tps = createTpsBackend({ tps: platform.tps, tpsEndpointCode: platform.tpsEndpointCode, clock });
      consumers.push(createInboxConsumer({ ...common, endpointCode: platform.tpsEndpointCode, ...tps }));
    }
    const inboxDeps = { tps: platform.tps, tpsEndpointCode: platform.tpsEndpointCode, clock, signals };
    for (const party of await listParties(db)) {
      if (!party.endpointCode || !endpoints.codes.includes(party.endpointCode)) continue;
      const backend = backendOf(party.role);
      if (backend === 'agr')
        consumers.push(
          createInboxConsumer({
            ...common,
            endpointCode: party.endpointCode,
            ...createPartyInbox({ ...inboxDeps, appliers: AGR_APPLIERS, documents: agrDocuments(signals) }, party),
          }),
        );
      if (backend === 'dso')
        consumers.push(
          createInboxConsumer({
            ...common,
            endpointCode: party.endpointCode,
            ...createPartyInbox({ ...inboxDeps, appliers: DSO_APPLIERS, documents: dsoDocuments(signals) }, party),
          }),
        );
    }
    for (const c of consumers) c.start();
  }
  const routers: Router[] = [];
  if (config.roles.includes('api')) {
    const shared = {
      db,
      endpoints,
      signals,
      tokens: new TokenVerifier(db),
      clock,
      tps: platform.tps,
      tpsEndpointCode: platform.tpsEndpointCode,
      ackWaitMs: config.tps.ackWaitMs,
    };
    routers.push(agrRouter(shared), dsoRouter(shared));
  }
  logger.info({ consumers: consumers.length, tps: platform.tps.code }, 'TPS started');
  return {
    routers,
    async drain() {
      let n = 0;
      for (const c of consumers) n += await c.drain();
      return n;
    },
    release() {
      signals.close();
    },
    async stop() {
      signals.close();
      await Promise.all(consumers.map((c) => c.stop()));
    },
  };
}
