/**
 * Acting as a hostile (or merely buggy) component against a real hub: the tests hold every
 * component's keys in DATA_DIR/keys, so they can speak the hop protocol with any registered TLS
 * identity, seal payloads with any signing key for any encryption certificate, and run a
 * component's "home" server (the real hop app) to see what the hub sends back to it.
 */
import { randomUUID, type KeyObject, type X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readCertificate } from '../../src/crypto/certificate-info.js';
import { privateKeyPem } from '../../src/crypto/keys.js';
import type { DirectoryView } from '../../src/directory/document.js';
import type { Database } from '../../src/shared/sql.js';
import { openAcks, type Acknowledgement } from '../../src/transport/ack.js';
import type { Envelope } from '../../src/transport/envelope.js';
import { createHopApp } from '../../src/transport/hop.route.js';
import { loadIdentity, type ComponentIdentity } from '../../src/transport/identity.js';
import type { Recipient } from '../../src/transport/protection.js';
import { createComponentClient, createComponentServer, type ComponentClient, type ComponentResponse } from '../../src/transport/tls.js';
import { TrustCache } from '../../src/transport/trust.js';
import { HOP_PATH, type HopItem, type HopResult } from '../../src/transport/wire.js';
import type { TestNetwork } from './transport-network.js';

export const caPemOf = (net: TestNetwork): string => readFileSync(join(net.dataDir, 'keys', 'ca', 'ca.crt'), 'utf8');

/** A registered component's identity (keys and certificates) as the hub would load it. */
export const identityOf = (net: TestNetwork, code: string): ComponentIdentity =>
  loadIdentity(join(net.dataDir, 'keys'), code, caPemOf(net));

/** The encryption certificate of `code` as a seal recipient. */
export function recipientOf(net: TestNetwork, code: string): Recipient {
  const info = readCertificate(readFileSync(join(net.dataDir, 'keys', code, 'encryption.crt'), 'utf8'));
  return { key: info.publicKey, serial: info.serial };
}

/** The serial of a component's certificate of one usage, as held in DATA_DIR/keys. */
export const serialOf = (net: TestNetwork, code: string, usage: 'authentication' | 'signing' | 'encryption'): string =>
  readCertificate(readFileSync(join(net.dataDir, 'keys', code, `${usage}.crt`), 'utf8')).serial;

export function envelopeOf(senderCode: string, receiverCode: string, businessType: string, extra: Partial<Envelope> = {}): Envelope {
  const now = Date.now();
  return {
    messageId: randomUUID(),
    senderCode,
    receiverCode,
    businessType,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 3600_000).toISOString(),
    ...extra,
  };
}

export const messageItem = (to: string, envelope: Envelope, payload: string): HopItem => ({ kind: 'message', to, envelope, payload });

export interface HopAnswer {
  readonly status: number;
  readonly body: { results?: HopResult[]; error?: { code: string; message: string } };
}

export interface HostilePeer {
  readonly code: string;
  readonly identity: ComponentIdentity;
  readonly client: ComponentClient;
  /** POST /transport/v1/messages with these items. */
  hop(baseUrl: string, items: readonly unknown[]): Promise<HopAnswer>;
  /** Any request, raw (for bodies that are not JSON). */
  request(baseUrl: string, path: string, init?: Parameters<ComponentClient['request']>[1]): Promise<ComponentResponse>;
  close(): void;
}

/** A client presenting `certPem` (with its `privateKey`) under the network's CA; it does not care who the server is. */
export const clientWithCertificate = (net: TestNetwork, certPem: string, privateKey: KeyObject): ComponentClient =>
  createComponentClient({
    identity: { certPem, keyPem: privateKeyPem(privateKey), caPem: caPemOf(net) },
    checkServer: () => ({ ok: true, componentCode: 'server' }),
  });

/** A client speaking with `code`'s TLS identity; it does not care who the server is. */
export function hostilePeer(net: TestNetwork, code: string): HostilePeer {
  const identity = identityOf(net, code);
  const client = createComponentClient({ identity: identity.tls, checkServer: () => ({ ok: true, componentCode: 'server' }) });
  return {
    code,
    identity,
    client,
    hop: (baseUrl, items) => client.postJson<HopAnswer['body']>(`${baseUrl}${HOP_PATH}`, { items }),
    request: (baseUrl, path, init) => client.request(`${baseUrl}${path}`, init),
    close: () => client.close(),
  };
}

/** What a component's home server received: hop items, with the TLS peer that handed them over. */
export interface Received {
  readonly peer: string;
  readonly item: HopItem;
}

export interface HomeServer {
  readonly received: Received[];
  /** Acknowledgements received (opened and verified against `view`), with the component that signed them. */
  acks(view: DirectoryView): Array<Acknowledgement & { signer: string }>;
  close(): Promise<void>;
}

/**
 * The real hop app on `port` for a component the hub does not host (its "home"), with that
 * component's TLS identity; it accepts every item and records it. The peer check is the
 * directory's, on `view()`.
 */
export async function homeServer(net: TestNetwork, code: string, port: number, view: () => DirectoryView): Promise<HomeServer> {
  const identity = identityOf(net, code);
  const trust = new TrustCache();
  const received: Received[] = [];
  const server: Server = createComponentServer({
    identity: identity.tls,
    checkPeer: (cert: X509Certificate) => trust.peer(view(), cert),
    handler: createHopApp({
      receiverOf: (to) =>
        to === code
          ? {
              async accept(peer, items) {
                for (const item of items) received.push({ peer, item });
                return items.map((i) => ({ messageId: i.envelope.messageId, status: 'accepted' as const }));
              },
            }
          : undefined,
      hosted: () => [code],
      logger: { error: () => undefined },
    }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  if ((server.address() as AddressInfo).port !== port) throw new Error('home server is not on its port');
  return {
    received,
    acks(v) {
      const out: Array<Acknowledgement & { signer: string }> = [];
      for (const r of received) {
        if (r.item.kind !== 'ack') continue;
        const opened = openAcks(r.item.payload, r.item.envelope, new TrustCache().signerKey(v, Date.now()));
        if (!opened.ok) throw new Error(`an acknowledgement from ${r.item.envelope.senderCode} does not verify: ${opened.detail}`);
        for (const a of opened.acks) out.push({ ...a, signer: r.item.envelope.senderCode });
      }
      return out;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface RowCounts {
  readonly queue: number;
  readonly messages: number;
  readonly inbox: number;
  readonly audit: number;
}

/** Rows in the transport tables and the audit log (events not yet sealed, and sealed ones). */
export async function rowCounts(db: Database): Promise<RowCounts> {
  const n = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0]?.n);
  return {
    queue: await n('select count(*) as n from transport_queue'),
    messages: await n('select count(*) as n from endpoint_messages'),
    inbox: await n('select count(*) as n from endpoint_inbox'),
    audit: await n('select (select count(*) from audit_event) + (select count(*) from audit_log) as n'),
  };
}

/** Every row anywhere in the transport tables or the audit log that names `messageId`. */
export async function traces(
  db: Database,
  messageId: string,
): Promise<{ queue: number; messages: number; inbox: number; audit: string[] }> {
  const n = async (sql: string) => Number((await db.query<{ n: string }>(sql, [messageId])).rows[0]?.n);
  const { rows } = await db.query<{ actor: string; action: string }>(
    'select actor, action from audit_event where subject = $1 union all select actor, action from audit_log where subject = $1',
    [messageId],
  );
  return {
    queue: await n('select count(*) as n from transport_queue where message_id = $1'),
    messages: await n('select count(*) as n from endpoint_messages where message_id = $1'),
    inbox: await n('select count(*) as n from endpoint_inbox where message_id = $1'),
    audit: rows.map((r) => `${r.actor} ${r.action}`).sort(),
  };
}
