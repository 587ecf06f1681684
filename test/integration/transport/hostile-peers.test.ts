/**
 * Hostile peers against a real hub (directory, broker and endpoints AGR, DSO, BRP in one process)
 * through its real mutual-TLS component server: the test speaks the hop protocol with the TLS
 * identities of registered components (it holds every key), with a certificate from another CA,
 * and with a revoked one. HOSTILE is a registered endpoint the hub does not host: its "home" is
 * the real hop app run by the test, so what the hub sends back to it (signed acknowledgements)
 * is seen and verified. Every refusal is checked for its exact status and reason, for leaving
 * nothing half-written, and for the hub answering afterwards.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest, Agent } from 'node:https';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startHub, type Hub } from '../../../src/app/hub.js';
import { createLogger } from '../../../src/app/logger.js';
import { loadConfig } from '../../../src/config/config.js';
import { createCertificateAuthority, issueCertificate, readCertificateAuthority } from '../../../src/crypto/ca.js';
import { generateKeyPair } from '../../../src/crypto/keys.js';
import type { DirectoryView } from '../../../src/directory/document.js';
import { HubError } from '../../../src/shared/errors.js';
import { signAcks, type Acknowledgement } from '../../../src/transport/ack.js';
import type { Envelope } from '../../../src/transport/envelope.js';
import { seal } from '../../../src/transport/protection.js';
import { ACK_BUSINESS_TYPE, HOP_PATH, type HopItem, type HopResult } from '../../../src/transport/wire.js';
import { eventually, queueName, storageName } from '../../support/backends.js';
import {
  caPemOf,
  clientWithCertificate,
  envelopeOf,
  homeServer,
  hostilePeer,
  identityOf,
  messageItem,
  recipientOf,
  rowCounts,
  serialOf,
  traces,
  type HomeServer,
  type HostilePeer,
} from '../../support/hostile-peer.js';
import {
  AGR_CODE,
  BROKER_CODE,
  BRP_CODE,
  DIRECTORY_CODE,
  DSO_CODE,
  dropNetworkSchema,
  freePort,
  provisionNetwork,
  type TestNetwork,
} from '../../support/transport-network.js';

/** A registered endpoint the hub does not host; the test plays it (and runs its home server). */
const HOSTILE_CODE = '10V1001C--00048Z';
/** A registered endpoint whose authentication certificate gets revoked. */
const REVOKED_CODE = '10V1001C--00049X';
/** A registered endpoint that gets suspended (status SUSPENDED), then re-activated. */
const SUSPENDED_CODE = '10V1001C--000519';
/** A code that is not in the directory at all. */
const STRANGER_CODE = '10V1001C--00050B';

describe(`hostile peers on the component server (${storageName}, ${queueName})`, () => {
  let net: TestNetwork;
  let hub: Hub;
  let base: string;
  let home: HomeServer;
  let view: DirectoryView;
  let hostile: HostilePeer;
  let agr: HostilePeer;
  const peers: HostilePeer[] = [];

  const peer = (code: string): HostilePeer => {
    const p = hostilePeer(net, code);
    peers.push(p);
    return p;
  };
  const transport = () => {
    assert.ok(hub.transport?.endpoints && hub.transport.directory);
    return { ...hub.transport, endpoints: hub.transport.endpoints, directory: hub.transport.directory };
  };
  const refreshView = async () => {
    await transport().refreshDirectory();
    view = await transport().view();
  };
  /** Waits until no hop has work left (acknowledgements included), so row counts are stable. */
  const settled = () =>
    eventually(
      async () =>
        Number((await hub.db.query<{ n: string }>('select count(*) as n from transport_queue where done_at is null')).rows[0]?.n) === 0,
      'every queued item handed on',
      15_000,
    );
  /** The hub still serves components and applications. */
  const assertAlive = async () => {
    const ping = await agr.request(base, '/transport/v1/ping');
    assert.equal(ping.status, 200);
    const body = JSON.parse(ping.body.toString('utf8')) as { hosted: string[]; peer: string };
    assert.equal(body.peer, AGR_CODE);
    assert.deepEqual([...body.hosted].sort(), [AGR_CODE, BROKER_CODE, BRP_CODE, DSO_CODE].sort());
    assert.equal((await fetch(`${hub.url}/health/ready`)).status, 200);
  };
  const resultsOf = (answer: { status: number; body: { results?: HopResult[] } }): HopResult[] => {
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.ok(answer.body.results);
    return answer.body.results;
  };
  /** A sound message from HOSTILE to DSO, sealed by HOSTILE for DSO. */
  const genuine = (content = `hello ${randomUUID()}`, extra: Partial<Envelope> = {}): { envelope: Envelope; payload: string } => {
    const envelope = envelopeOf(HOSTILE_CODE, DSO_CODE, 'A67', extra);
    return { envelope, payload: seal(envelope, Buffer.from(content), hostile.identity.signer, recipientOf(net, DSO_CODE)) };
  };
  /** Hands items to the broker as HOSTILE; each is accepted (the broker cannot look inside); waits for the acknowledgement of each at HOSTILE's home. */
  const throughBroker = async (items: HopItem[]): Promise<Map<string, Acknowledgement & { signer: string }>> => {
    const results = resultsOf(await hostile.hop(base, items));
    assert.deepEqual(
      results.map((r) => r.status),
      items.map(() => 'accepted'),
      JSON.stringify(results),
    );
    const ids = new Set(items.map((i) => i.envelope.messageId));
    const acks = new Map<string, Acknowledgement & { signer: string }>();
    await eventually(
      () => {
        for (const a of home.acks(view)) if (ids.has(a.messageId) && a.state !== 'RECEIVED') acks.set(a.messageId, a);
        return acks.size === ids.size;
      },
      'an acknowledgement of every message at the sender',
      15_000,
    );
    return acks;
  };
  const inboxOf = async (code: string) =>
    (await hub.db.query<{ message_id: string }>('select message_id from endpoint_inbox where endpoint_code = $1', [code])).rows.map(
      (r) => r.message_id,
    );
  const brokerRow = async (messageId: string) =>
    (
      await hub.db.query<{ to_code: string; outcome: string | null }>(
        'select to_code, outcome from transport_queue where from_code = $1 and message_id = $2',
        [BROKER_CODE, messageId],
      )
    ).rows;

  before(async () => {
    const homePort = await freePort();
    net = await provisionNetwork({
      endpoints: [AGR_CODE, DSO_CODE, BRP_CODE, HOSTILE_CODE, REVOKED_CODE, SUSPENDED_CODE],
      ports: { [HOSTILE_CODE]: homePort },
    });
    hub = await startHub(
      loadConfig({ ...net.env, HOSTED_COMPONENTS: [BROKER_CODE, AGR_CODE, DSO_CODE, BRP_CODE].join(',') }),
      createLogger('silent'),
    );
    base = transport().url;
    view = await transport().view();
    home = await homeServer(net, HOSTILE_CODE, homePort, () => view);
    hostile = peer(HOSTILE_CODE);
    agr = peer(AGR_CODE);
  });
  after(async () => {
    for (const p of peers) p.close();
    await home?.close();
    await hub?.stop();
    await dropNetworkSchema(net);
  });

  it('refuses items whose envelope names another sender than the TLS peer, at the broker and at an endpoint; stores nothing', async () => {
    await assertAlive();
    const before = await rowCounts(hub.db);
    const forged = envelopeOf(AGR_CODE, DSO_CODE, 'A67');
    const payload = seal(forged, Buffer.from('not from AGR'), hostile.identity.signer, recipientOf(net, DSO_CODE));
    const toEndpoint = envelopeOf(AGR_CODE, DSO_CODE, 'A67');
    // a FAILED acknowledgement that claims to come from the broker, handed over by HOSTILE itself
    const ackEnvelope = envelopeOf(BROKER_CODE, AGR_CODE, ACK_BUSINESS_TYPE);
    const forgedAck = signAcks(
      ackEnvelope,
      [{ messageId: randomUUID(), state: 'FAILED', at: new Date().toISOString(), reason: 'expired' }],
      hostile.identity.signer,
    );
    const items: HopItem[] = [
      messageItem(BROKER_CODE, forged, payload),
      messageItem(DSO_CODE, toEndpoint, seal(toEndpoint, Buffer.from('x'), hostile.identity.signer, recipientOf(net, DSO_CODE))),
      { kind: 'ack', to: AGR_CODE, envelope: ackEnvelope, payload: forgedAck },
      { kind: 'ack', to: BROKER_CODE, envelope: ackEnvelope, payload: forgedAck },
    ];
    const results = resultsOf(await hostile.hop(base, items));
    assert.deepEqual(
      results.map((r) => [r.messageId, r.status, r.reason]),
      items.map((i) => [i.envelope.messageId, 'rejected', 'sender_not_allowed']),
    );
    assert.match(results[0]?.detail ?? '', new RegExp(`TLS peer ${HOSTILE_CODE} is not the sender ${AGR_CODE}`));
    assert.match(results[1]?.detail ?? '', new RegExp(`${HOSTILE_CODE} is neither a broker nor the sender ${AGR_CODE}`));
    for (const i of items) assert.deepEqual(await traces(hub.db, i.envelope.messageId), { queue: 0, messages: 0, inbox: 0, audit: [] });
    assert.deepEqual(await rowCounts(hub.db), before);
    await assertAlive();
  });

  it('refuses items for components this server does not host, or whose envelope names another receiver', async () => {
    const before = await rowCounts(hub.db);
    const a = genuine();
    const b = genuine();
    const c = genuine();
    const items: HopItem[] = [
      messageItem(REVOKED_CODE, a.envelope, a.payload), // registered, not hosted here
      messageItem(STRANGER_CODE, b.envelope, b.payload), // not registered at all
      messageItem(BRP_CODE, c.envelope, c.payload), // hosted, but the envelope names DSO
    ];
    const results = resultsOf(await hostile.hop(base, items));
    assert.deepEqual(
      results.map((r) => [r.status, r.reason]),
      items.map(() => ['rejected', 'receiver_not_hosted']),
    );
    assert.match(results[0]?.detail ?? '', new RegExp(`${REVOKED_CODE} is not hosted here`));
    assert.match(results[2]?.detail ?? '', new RegExp(`${DSO_CODE} is not hosted by the server that hosts ${BRP_CODE}`));
    assert.deepEqual(await rowCounts(hub.db), before);
    await assertAlive();
  });

  it('answers malformed, oversize and misdirected hop requests with a 4xx and a stable code, and keeps running', async () => {
    const before = await rowCounts(hub.db);
    const a = genuine();
    const post = (body: string | Buffer, contentType = 'application/json') =>
      hostile.request(base, HOP_PATH, { method: 'POST', headers: { 'content-type': contentType }, body, timeoutMs: 30_000 });
    const errorOf = (res: { status: number; body: Buffer }) => {
      const parsed = JSON.parse(res.body.toString('utf8')) as { error: { code: string; message: string } };
      return [res.status, parsed.error.code, parsed.error.message] as const;
    };
    const cases: Array<[string, () => Promise<{ status: number; body: Buffer }>, number, string, RegExp?]> = [
      ['broken JSON', () => post('{"items": [ {"kind": "message",'), 400, 'HTTP_ENTITY_PARSE_FAILED'],
      [
        'JSON sent as text/plain',
        () => post(JSON.stringify({ items: [messageItem(DSO_CODE, a.envelope, a.payload)] }), 'text/plain'),
        400,
        'TRANSPORT_INPUT_INVALID',
        /body: must be/,
      ],
      ['no body', () => hostile.request(base, HOP_PATH, { method: 'POST' }), 400, 'TRANSPORT_INPUT_INVALID', /body: must be/],
      ['a JSON array', () => post('[]'), 400, 'TRANSPORT_INPUT_INVALID', /body: must be/],
      ['no items', () => post('{"items": []}'), 400, 'TRANSPORT_INPUT_INVALID', /items: must not be empty/],
      [
        '501 items',
        () =>
          post(
            JSON.stringify({
              items: Array.from({ length: 501 }, () => messageItem(DSO_CODE, envelopeOf(HOSTILE_CODE, DSO_CODE, 'A67'), 'x')),
            }),
          ),
        400,
        'TRANSPORT_INPUT_INVALID',
        /at most 500 per request/,
      ],
      [
        'items of the wrong shape',
        () => post(JSON.stringify({ items: [{ kind: 'evil', to: 'nobody', envelope: { messageId: 'NOT-A-UUID' }, payload: '' }, 7] })),
        400,
        'TRANSPORT_INPUT_INVALID',
        /items\[0\]\.kind.*items\[0\]\.to.*items\[0\]\.payload.*items\[0\]\.envelope\.messageId.*items\[1\]: must be an object/,
      ],
      [
        'a body over the limit (one largest sealed content, 10 MiB × 1.34)',
        () => post(Buffer.alloc(16 * 1024 * 1024, 0x20)),
        413,
        'HTTP_ENTITY_TOO_LARGE',
      ],
      ['GET on the hop path', () => hostile.request(base, HOP_PATH), 404, 'HTTP_NOT_FOUND'],
      ['PUT on the hop path', () => hostile.request(base, HOP_PATH, { method: 'PUT', body: '{}' }), 404, 'HTTP_NOT_FOUND'],
      ['an unknown path', () => hostile.request(base, '/transport/v2/messages', { method: 'POST', body: '{}' }), 404, 'HTTP_NOT_FOUND'],
    ];
    for (const [what, send, status, code, message] of cases) {
      const [gotStatus, gotCode, gotMessage] = errorOf(await send());
      assert.equal(gotStatus, status, `${what}: ${gotCode} ${gotMessage}`);
      assert.equal(gotCode, code, `${what}: ${gotMessage}`);
      if (message) assert.match(gotMessage, message, what);
    }
    // a sound request whose envelopes are not: answered per item, the others in it still taken
    const good = genuine('sound neighbour');
    const bad = (patch: Record<string, unknown>) => ({
      ...messageItem(DSO_CODE, a.envelope, a.payload),
      envelope: { ...genuine().envelope, ...patch },
    });
    const items = [
      bad({ createdAt: 'yesterday' }),
      bad({ colour: 'blue' }),
      bad({ senderCode: 'nobody' }),
      bad({ baMessageId: 'line\nbreak' }),
      messageItem(BROKER_CODE, good.envelope, good.payload),
    ];
    const results = resultsOf(await hostile.hop(base, items));
    assert.deepEqual(
      results.map((r) => [r.status, r.reason ?? null]),
      [...items.slice(0, 4).map(() => ['rejected', 'malformed_message']), ['accepted', null]],
    );
    assert.match(results[0]?.detail ?? '', /envelope\.createdAt/);
    assert.match(results[1]?.detail ?? '', /envelope\.colour: unknown field/);
    assert.match(results[2]?.detail ?? '', /envelope\.senderCode/);
    assert.match(results[3]?.detail ?? '', /envelope\.baMessageId/);
    for (const i of items.slice(0, 4)) assert.equal((await traces(hub.db, i.envelope.messageId)).queue, 0);
    await eventually(async () => (await inboxOf(DSO_CODE)).includes(good.envelope.messageId), 'the sound item delivered');
    await settled();
    const afterCounts = await rowCounts(hub.db);
    assert.equal(afterCounts.inbox, before.inbox + 1, 'only the sound item reached an inbox');
    await assertAlive();
  });

  it('refuses a client certificate from another CA, one the directory never recorded, and none, at the TLS or HTTP layer', async () => {
    const before = await rowCounts(hub.db);
    const caPem = caPemOf(net);
    // a self-made CA with the directory's own name, and an authentication certificate for AGR from it
    const rogueCa = await createCertificateAuthority({ code: DIRECTORY_CODE, organisation: 'Test directory' });
    const keys = generateKeyPair('ec-p256');
    const rogue = await issueCertificate(rogueCa, {
      componentCode: AGR_CODE,
      organisation: 'Org 454',
      usage: 'authentication',
      publicKey: keys.publicKey,
    });
    const rogueClient = clientWithCertificate(net, rogue.pem, keys.privateKey);
    const a = genuine();
    try {
      await assert.rejects(
        rogueClient.postJson(`${base}${HOP_PATH}`, { items: [messageItem(BROKER_CODE, a.envelope, a.payload)] }),
        (e: unknown) => e instanceof HubError && e.code === 'TRANSPORT_TLS',
      );
      await assert.rejects(
        rogueClient.request(`${base}/transport/v1/ping`),
        (e: unknown) => e instanceof HubError && e.code === 'TRANSPORT_TLS',
      );
    } finally {
      rogueClient.close();
    }
    // no client certificate at all
    await assert.rejects(
      new Promise((resolve, reject) => {
        const req = httpsRequest(`${base}/transport/v1/ping`, { ca: caPem, agent: false }, resolve);
        req.on('error', reject);
        req.end();
      }),
      (e: NodeJS.ErrnoException) => /ECONNRESET|socket hang up|certificate required|alert/i.test(`${e.code} ${e.message}`),
    );
    // the directory CA's key (it is in DATA_DIR) signs a certificate the directory never recorded: the chain is fine, the directory does not know it
    const ca = await readCertificateAuthority(`${net.dataDir}/keys/ca`);
    const offBook = await issueCertificate(ca, {
      componentCode: STRANGER_CODE,
      organisation: 'Nobody',
      usage: 'authentication',
      publicKey: keys.publicKey,
    });
    const offBookClient = clientWithCertificate(net, offBook.pem, keys.privateKey);
    try {
      const res = await offBookClient.postJson<{ error: { code: string; message: string } }>(`${base}${HOP_PATH}`, {
        items: [messageItem(BROKER_CODE, a.envelope, a.payload)],
      });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'CERT_UNKNOWN', res.body.error.message);
    } finally {
      offBookClient.close();
    }
    assert.deepEqual(await traces(hub.db, a.envelope.messageId), { queue: 0, messages: 0, inbox: 0, audit: [] });
    assert.deepEqual(await rowCounts(hub.db), before);
    await assertAlive();
  });

  it('refuses an expired client certificate from the directory CA at the TLS layer; takes nothing', async () => {
    const before = await rowCounts(hub.db);
    // issued by the network's own CA for a registered component, valid for one day ten days ago
    const ca = await readCertificateAuthority(`${net.dataDir}/keys/ca`);
    const keys = generateKeyPair('ec-p256');
    const expired = await issueCertificate(ca, {
      componentCode: AGR_CODE,
      organisation: 'Org 454',
      usage: 'authentication',
      publicKey: keys.publicKey,
      validityDays: 1,
      now: new Date(Date.now() - 10 * 86_400_000),
    });
    assert.ok(expired.notAfter.getTime() < Date.now(), 'the certificate has expired');
    const client = clientWithCertificate(net, expired.pem, keys.privateKey);
    const a = genuine();
    try {
      await assert.rejects(
        client.postJson(`${base}${HOP_PATH}`, { items: [messageItem(BROKER_CODE, a.envelope, a.payload)] }),
        // TLS 1.3: the server refuses the certificate after the client's side of the handshake; the client sees the reset
        (e: unknown) => e instanceof HubError && e.code === 'TRANSPORT_TLS' && /refused our client certificate|expired/i.test(e.message),
      );
    } finally {
      client.close();
    }
    // the control: the same key under a current certificate from the same CA passes TLS (and is then refused as
    // unknown to the directory at the HTTP layer), so expiry is what the TLS layer refused
    const current = await issueCertificate(ca, {
      componentCode: AGR_CODE,
      organisation: 'Org 454',
      usage: 'authentication',
      publicKey: keys.publicKey,
      validityDays: 1,
    });
    const control = clientWithCertificate(net, current.pem, keys.privateKey);
    try {
      const res = await control.postJson<{ error: { code: string } }>(`${base}${HOP_PATH}`, {
        items: [messageItem(BROKER_CODE, a.envelope, a.payload)],
      });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'CERT_UNKNOWN');
    } finally {
      control.close();
    }
    assert.deepEqual(await traces(hub.db, a.envelope.messageId), { queue: 0, messages: 0, inbox: 0, audit: [] });
    assert.deepEqual(await rowCounts(hub.db), before);
    await assertAlive();
  });

  it('refuses a revoked component with 401 CERT_REVOKED, and cuts its open keep-alive connection on the next request', async () => {
    const revokedId = identityOf(net, REVOKED_CODE);
    const agent = new Agent({
      keepAlive: true,
      maxSockets: 1,
      maxCachedSessions: 0,
      cert: revokedId.tls.certPem,
      key: revokedId.tls.keyPem,
      ca: revokedId.tls.caPem,
    });
    const get = (path: string) =>
      new Promise<{ status: number; headers: IncomingHttpHeaders; body: string; socket: Socket }>((resolve, reject) => {
        const req = httpsRequest(`${base}${path}`, { agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
              socket: req.socket as Socket,
            }),
          );
        });
        req.on('error', reject);
        req.end();
      });
    try {
      const first = await get('/transport/v1/ping');
      assert.equal(first.status, 200, first.body);
      assert.equal((JSON.parse(first.body) as { peer: string }).peer, REVOKED_CODE);
      const closed = once(first.socket, 'close');

      await transport().directory.revokeCertificate(serialOf(net, REVOKED_CODE, 'authentication'), 'keyCompromise');
      await refreshView();

      const second = await get('/transport/v1/ping');
      assert.equal(second.socket, first.socket, 'the request went over the connection opened before the revocation');
      assert.equal(second.status, 401);
      assert.equal((JSON.parse(second.body) as { error: { code: string } }).error.code, 'CERT_REVOKED');
      assert.equal(second.headers.connection, 'close');
      await closed; // the server cut it
    } finally {
      agent.destroy();
    }
    // a new connection: refused the same way, and nothing it hands over is taken
    const before = await rowCounts(hub.db);
    const revoked = peer(REVOKED_CODE);
    const envelope = envelopeOf(REVOKED_CODE, DSO_CODE, 'A67');
    const answer = await revoked.hop(base, [
      messageItem(BROKER_CODE, envelope, seal(envelope, Buffer.from('x'), revokedId.signer, recipientOf(net, DSO_CODE))),
    ]);
    assert.equal(answer.status, 401);
    assert.equal(answer.body.error?.code, 'CERT_REVOKED', answer.body.error?.message);
    assert.deepEqual(await rowCounts(hub.db), before);
    await assertAlive();
  });

  it('refuses a suspended component with 401 CERT_REVOKED and takes nothing from it; accepts it again once re-activated', async () => {
    const suspended = peer(SUSPENDED_CODE);
    const ping = await suspended.request(base, '/transport/v1/ping');
    assert.equal(ping.status, 200, 'the control: an active component is served');

    await transport().directory.updateComponent(SUSPENDED_CODE, { status: 'SUSPENDED' });
    await refreshView();
    const before = await rowCounts(hub.db);
    const id = identityOf(net, SUSPENDED_CODE);
    const envelope = envelopeOf(SUSPENDED_CODE, DSO_CODE, 'A67');
    const answer = await suspended.hop(base, [
      messageItem(BROKER_CODE, envelope, seal(envelope, Buffer.from('x'), id.signer, recipientOf(net, DSO_CODE))),
    ]);
    assert.equal(answer.status, 401);
    assert.equal(answer.body.error?.code, 'CERT_REVOKED', answer.body.error?.message);
    assert.match(answer.body.error?.message ?? '', /suspended/);
    assert.deepEqual(await rowCounts(hub.db), before);

    await transport().directory.updateComponent(SUSPENDED_CODE, { status: 'ACTIVE' });
    await refreshView();
    const again = await suspended.request(base, '/transport/v1/ping');
    assert.equal(again.status, 200, 'served again after re-activation');
    await assertAlive();
  });

  it('delivers a sound message from HOSTILE and signs the DELIVERED acknowledgement back to it (the control for what follows)', async () => {
    const m = genuine('the control');
    const acks = await throughBroker([messageItem(BROKER_CODE, m.envelope, m.payload)]);
    const ack = acks.get(m.envelope.messageId);
    assert.equal(ack?.state, 'DELIVERED');
    assert.equal(ack.signer, DSO_CODE);
    assert.ok((await inboxOf(DSO_CODE)).includes(m.envelope.messageId));
    const received = await transport().endpoints.receive(DSO_CODE, { limit: 500 });
    const got = received.find((r) => r.messageId === m.envelope.messageId);
    assert.equal(got?.content.toString(), 'the control');
    await transport().endpoints.confirm(
      DSO_CODE,
      received.map((r) => r.messageId),
    );
    await settled();
  });

  it('a tampered envelope reaches the receiver, which refuses it: FAILED tampered_envelope, signed by the broker back to the sender; never in the inbox', async () => {
    const tamper: Array<[string, (e: Envelope) => Envelope]> = [
      ['businessType', (e) => ({ ...e, businessType: 'A68' })],
      ['expiresAt', (e) => ({ ...e, expiresAt: new Date(Date.parse(e.expiresAt) + 86_400_000).toISOString() })],
      ['baMessageId', (e) => ({ ...e, baMessageId: 'inserted-by-someone' })],
      ['conversationId', (e) => ({ ...e, conversationId: undefined })],
    ];
    const items = tamper.map(([, change]) => {
      const m = genuine('sealed, then the envelope changed', { conversationId: 'conv-7' });
      return messageItem(BROKER_CODE, change(m.envelope), m.payload);
    });
    // the last one: the optional field removed (JSON drops undefined)
    const acks = await throughBroker(JSON.parse(JSON.stringify(items)) as HopItem[]);
    tamper.forEach(([field], i) => {
      const id = items[i]?.envelope.messageId as string;
      const ack = acks.get(id);
      assert.equal(ack?.state, 'FAILED', field);
      assert.equal(ack.reason, 'tampered_envelope', `${field}: ${ack.detail ?? ''}`);
      assert.equal(ack.signer, BROKER_CODE, field);
      assert.match(ack.detail ?? '', new RegExp(`^${DSO_CODE}: .*\\b${field}\\b`), field);
    });
    const inbox = await inboxOf(DSO_CODE);
    for (const i of items) {
      const id = i.envelope.messageId;
      assert.ok(!inbox.includes(id), 'not in the inbox');
      assert.deepEqual(await brokerRow(id), [{ to_code: DSO_CODE, outcome: 'rejected' }]);
      const t = await traces(hub.db, id);
      assert.deepEqual(t.audit, [`${BROKER_CODE} broker.message.failed`, `${BROKER_CODE} broker.message.queued`]);
      assert.equal(t.inbox, 0);
    }
    const { rows } = await hub.db.query<{ details: { reason: string } }>(
      "select details from audit_event where subject = $1 and action = 'broker.message.failed' union all select details from audit_log where subject = $1 and action = 'broker.message.failed'",
      [items[0]?.envelope.messageId],
    );
    assert.equal(rows[0]?.details.reason, 'tampered_envelope');
    assert.deepEqual(await transport().endpoints.receive(DSO_CODE), [], 'the application never sees them');
    await settled();
    await assertAlive();
  });

  it('a payload encrypted for another endpoint (BRP) under an envelope for DSO: FAILED rejected_signature, in nobody’s inbox', async () => {
    const envelope = envelopeOf(HOSTILE_CODE, DSO_CODE, 'A67');
    const forBrp = seal(envelope, Buffer.from('meant for BRP'), hostile.identity.signer, recipientOf(net, BRP_CODE));
    const acks = await throughBroker([messageItem(BROKER_CODE, envelope, forBrp)]);
    const ack = acks.get(envelope.messageId);
    assert.equal(ack?.state, 'FAILED');
    assert.equal(ack.reason, 'rejected_signature');
    assert.equal(ack.signer, BROKER_CODE);
    assert.match(
      ack.detail ?? '',
      new RegExp(`encrypted for certificate ${serialOf(net, BRP_CODE, 'encryption')}, which is not one of ours`),
    );
    assert.ok(!(await inboxOf(DSO_CODE)).includes(envelope.messageId));
    assert.ok(!(await inboxOf(BRP_CODE)).includes(envelope.messageId));
    // and handed to BRP itself, it is refused on the envelope before any decryption
    const toBrp = await hostile.hop(base, [messageItem(BRP_CODE, envelope, forBrp)]);
    assert.deepEqual(
      resultsOf(toBrp).map((r) => [r.status, r.reason]),
      [['rejected', 'receiver_not_hosted']],
    );
    assert.equal((await traces(hub.db, envelope.messageId)).inbox, 0);
    await settled();
    await assertAlive();
  });

  it('a forged acknowledgement signed by a third party moves nothing; one under another’s certificate or with a broken signature is refused', async () => {
    const endpoints = transport().endpoints;
    const sent = await endpoints.send(AGR_CODE, { receiverCode: DSO_CODE, businessType: 'A67', content: Buffer.from('real') });
    await eventually(async () => (await endpoints.status(AGR_CODE, sent.messageId)).state === 'DELIVERED', 'DELIVERED');
    await settled();
    const ack = (signer: typeof hostile.identity.signer, serial = signer.serial): { envelope: Envelope; payload: string } => {
      const envelope = envelopeOf(HOSTILE_CODE, AGR_CODE, ACK_BUSINESS_TYPE);
      const payload = signAcks(envelope, [{ messageId: sent.messageId, state: 'RECEIVED', at: new Date().toISOString() }], {
        key: signer.key,
        serial,
      });
      return { envelope, payload };
    };
    // HOSTILE's own, valid signature: taken, but HOSTILE is neither the message's receiver nor a broker
    const viaBroker = ack(hostile.identity.signer);
    const direct = ack(hostile.identity.signer);
    // under DSO's signing certificate (HOSTILE has no DSO key: it signs with its own)
    const underDso = ack(hostile.identity.signer, serialOf(net, DSO_CODE, 'signing'));
    // its own certificate, a signature that does not verify
    const broken = ack(hostile.identity.signer);
    const brokenPayload = JSON.parse(broken.payload) as { sig: string };
    brokenPayload.sig = Buffer.from(sign(null, Buffer.from('something else'), hostile.identity.signer.key)).toString('base64url');
    const results = resultsOf(
      await hostile.hop(base, [
        { kind: 'ack', to: BROKER_CODE, envelope: viaBroker.envelope, payload: viaBroker.payload },
        { kind: 'ack', to: AGR_CODE, envelope: direct.envelope, payload: direct.payload },
        { kind: 'ack', to: AGR_CODE, envelope: underDso.envelope, payload: underDso.payload },
        { kind: 'ack', to: AGR_CODE, envelope: broken.envelope, payload: JSON.stringify(brokenPayload) },
      ]),
    );
    assert.deepEqual(
      results.map((r) => [r.status, r.reason ?? null]),
      [
        ['accepted', null],
        ['accepted', null],
        ['rejected', 'rejected_certificate'],
        ['rejected', 'rejected_signature'],
      ],
    );
    await eventually(
      async () =>
        (await hub.db.query('select 1 from transport_queue where message_id = $1 and done_at is not null', [viaBroker.envelope.messageId]))
          .rows.length === 1,
      'the forged acknowledgement handed on by the broker',
    );
    await settled();
    let status = await endpoints.status(AGR_CODE, sent.messageId);
    assert.equal(status.state, 'DELIVERED', 'a third party cannot confirm receipt');
    assert.ok(!status.trace.some((t) => t.by === HOSTILE_CODE));
    // the real receiver can
    await endpoints.confirm(
      DSO_CODE,
      (await endpoints.receive(DSO_CODE)).map((m) => m.messageId),
    );
    await eventually(async () => (status = await endpoints.status(AGR_CODE, sent.messageId)).state === 'RECEIVED', 'RECEIVED');
    assert.equal(status.trace.at(-1)?.by, DSO_CODE);
    await settled();
  });

  it('a re-sent message ID is answered duplicate, in one batch and in the next; the application gets it once, with the first content', async () => {
    const m = genuine('first');
    const item = messageItem(BROKER_CODE, m.envelope, m.payload);
    const first = resultsOf(await hostile.hop(base, [item, item]));
    assert.deepEqual(
      first.map((r) => r.status),
      ['accepted', 'duplicate'],
    );
    assert.deepEqual(
      resultsOf(await hostile.hop(base, [item])).map((r) => r.status),
      ['duplicate'],
    );
    // the same ID with other content (sealed properly) does not replace what was taken
    const other = seal(m.envelope, Buffer.from('second'), hostile.identity.signer, recipientOf(net, DSO_CODE));
    assert.deepEqual(
      resultsOf(await hostile.hop(base, [messageItem(BROKER_CODE, m.envelope, other)])).map((r) => r.status),
      ['duplicate'],
    );
    await eventually(async () => (await inboxOf(DSO_CODE)).includes(m.envelope.messageId), 'delivered');
    await settled();
    const got = await transport().endpoints.receive(DSO_CODE, { limit: 500 });
    assert.deepEqual(
      got.map((g) => [g.messageId, g.content.toString()]),
      [[m.envelope.messageId, 'first']],
    );
    await transport().endpoints.confirm(DSO_CODE, [m.envelope.messageId]);
    const t = await traces(hub.db, m.envelope.messageId);
    assert.equal(t.inbox, 1);
    assert.equal(t.audit.filter((a) => a === `${BROKER_CODE} broker.message.queued`).length, 1, t.audit.join(', '));
    assert.equal(t.audit.filter((a) => a === `${DSO_CODE} message.state.delivered`).length, 1, t.audit.join(', '));
    assert.equal(home.acks(view).filter((a) => a.messageId === m.envelope.messageId && a.state === 'DELIVERED').length, 1);
  });

  it('refuses a payload signed under an unknown, a foreign, a revoked signing certificate, or with a signature that does not verify', async () => {
    const dso = recipientOf(net, DSO_CODE);
    const stranger = generateKeyPairSync('ed25519');
    const cases: Array<[string, (e: Envelope) => string, string, RegExp]> = [
      [
        'unknown certificate',
        (e) => seal(e, Buffer.from('x'), { key: stranger.privateKey, serial: '4'.repeat(32) }, dso),
        'rejected_certificate',
        /not in directory document/,
      ],
      [
        'AGR’s signing certificate',
        (e) => seal(e, Buffer.from('x'), identityOf(net, AGR_CODE).signer, dso),
        'rejected_certificate',
        new RegExp(AGR_CODE),
      ],
      [
        'HOSTILE’s serial, another key',
        (e) => seal(e, Buffer.from('x'), { key: stranger.privateKey, serial: hostile.identity.signer.serial }, dso),
        'rejected_signature',
        /does not verify/,
      ],
    ];
    const items = cases.map(([, make]) => {
      const envelope = envelopeOf(HOSTILE_CODE, DSO_CODE, 'A67');
      return messageItem(BROKER_CODE, envelope, make(envelope));
    });
    const acks = await throughBroker(items);
    cases.forEach(([what, , reason, detail], i) => {
      const ack = acks.get(items[i]?.envelope.messageId as string);
      assert.equal(ack?.state, 'FAILED', what);
      assert.equal(ack.reason, reason, `${what}: ${ack.detail ?? ''}`);
      assert.match(ack.detail ?? '', detail, what);
    });

    // HOSTILE's signing certificate revoked: its next message is refused by the receiver
    await transport().directory.revokeCertificate(hostile.identity.signer.serial, 'keyCompromise');
    await refreshView();
    const late = genuine('after the revocation');
    const lateAck = (await throughBroker([messageItem(BROKER_CODE, late.envelope, late.payload)])).get(late.envelope.messageId);
    assert.equal(lateAck?.state, 'FAILED');
    assert.equal(lateAck.reason, 'rejected_certificate');
    assert.match(lateAck.detail ?? '', /revoked/i);
    const inbox = await inboxOf(DSO_CODE);
    for (const id of [...items.map((i) => i.envelope.messageId), late.envelope.messageId]) assert.ok(!inbox.includes(id));
    assert.deepEqual(await transport().endpoints.receive(DSO_CODE), []);
    await settled();
    await assertAlive();
  });
});
