/**
 * DIRECT message paths (IEC 62325-503 MADES: a receiver may declare that a sender hands it
 * messages of a type itself, without a broker), over the real mutual-TLS component servers of
 * two hub processes: hub A runs the directory, the broker, AGR and BRP; hub B runs only DSO.
 * DSO declares DIRECT for AGR's A99 messages and its usual path via the broker for everything
 * else. A message on the DIRECT path never touches the broker, there or back; a sender that
 * takes a path the receiver did not declare is refused with the reason the code gives.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startHub, type Hub } from '../../../src/app/hub.js';
import { createLogger } from '../../../src/app/logger.js';
import { loadConfig } from '../../../src/config/config.js';
import type { Endpoints } from '../../../src/endpoint/endpoint.js';
import type { Database } from '../../../src/shared/sql.js';
import { seal } from '../../../src/transport/protection.js';
import type { HopResult } from '../../../src/transport/wire.js';
import { eventually, queueName, storageName } from '../../support/backends.js';
import { envelopeOf, hostilePeer, messageItem, recipientOf, rowCounts, traces, type HostilePeer } from '../../support/hostile-peer.js';
import {
  AGR_CODE,
  BROKER_CODE,
  BRP_CODE,
  DSO_CODE,
  dropNetworkSchema,
  freePort,
  provisionNetwork,
  secondHubEnv,
  type TestNetwork,
} from '../../support/transport-network.js';

const DIRECT_TYPE = 'A99';

describe(`DIRECT message paths between two hubs (${storageName}, ${queueName})`, () => {
  let net: TestNetwork;
  let hubA: Hub;
  let hubB: Hub;
  let directPathId: string;
  let agr: HostilePeer;
  let brp: HostilePeer;

  const endpointsOf = (hub: Hub): Endpoints => {
    assert.ok(hub.transport?.endpoints);
    return hub.transport.endpoints;
  };
  const urlOf = (hub: Hub): string => {
    assert.ok(hub.transport);
    return hub.transport.url;
  };
  const resultsOf = (answer: { status: number; body: { results?: HopResult[] } }): HopResult[] => {
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.ok(answer.body.results);
    return answer.body.results;
  };
  const settled = (db: Database) =>
    eventually(
      async () =>
        Number((await db.query<{ n: string }>('select count(*) as n from transport_queue where done_at is null')).rows[0]?.n) === 0,
      'every queued item handed on',
      15_000,
    );
  /** Rows of a hub's transport_queue that carry `messageId` or acknowledge it, with their hop. */
  const hopsOf = async (db: Database, messageId: string) =>
    (
      await db.query<{ from_code: string; to_code: string; kind: string }>(
        `select from_code, to_code, kind from transport_queue where message_id = $1 or (kind = 'ack' and payload like '%' || $1 || '%')
          order by id`,
        [messageId],
      )
    ).rows.map((r) => `${r.kind} ${r.from_code} → ${r.to_code}`);
  const assertAlive = async (hub: Hub, hosted: string[]) => {
    const ping = await agr.request(urlOf(hub), '/transport/v1/ping');
    assert.equal(ping.status, 200);
    assert.deepEqual((JSON.parse(ping.body.toString('utf8')) as { hosted: string[] }).hosted.sort(), [...hosted].sort());
  };
  const sealedBy = (peer: HostilePeer, businessType: string, content = 'x') => {
    const envelope = envelopeOf(peer.code, DSO_CODE, businessType);
    return { envelope, payload: seal(envelope, Buffer.from(content), peer.identity.signer, recipientOf(net, DSO_CODE)) };
  };

  before(async () => {
    const dsoPort = await freePort();
    net = await provisionNetwork({
      endpoints: [AGR_CODE, DSO_CODE, BRP_CODE],
      ports: { [DSO_CODE]: dsoPort },
      async setup(directory) {
        const p = await directory.addMessagePath({ receiverCode: DSO_CODE, messageType: DIRECT_TYPE, senders: [AGR_CODE], path: 'DIRECT' });
        directPathId = p.id;
      },
    });
    hubA = await startHub(
      loadConfig({ ...net.env, HOSTED_COMPONENTS: [BROKER_CODE, AGR_CODE, BRP_CODE].join(',') }),
      createLogger('silent'),
    );
    // hub B has its own database, so its own queue too: a hop job taken by the other process would find no rows there
    const envB = secondHubEnv(net, [DSO_CODE], dsoPort);
    hubB = await startHub(
      loadConfig({ ...envB, ...(envB.QUEUE_PREFIX ? { QUEUE_PREFIX: `${envB.QUEUE_PREFIX}_b` } : {}) }),
      createLogger('silent'),
    );
    agr = hostilePeer(net, AGR_CODE);
    brp = hostilePeer(net, BRP_CODE);
  });
  after(async () => {
    agr?.close();
    brp?.close();
    await hubB?.stop();
    await hubA?.stop();
    await dropNetworkSchema(net);
  });

  it('carries AGR → DSO on the DIRECT path to RECEIVED, with the trace, without the broker there or back', async () => {
    const sender = endpointsOf(hubA);
    const receiver = endpointsOf(hubB);
    const content = randomBytes(2048);
    const sent = await sender.send(AGR_CODE, { receiverCode: DSO_CODE, businessType: DIRECT_TYPE, content, baMessageId: 'direct-1' });
    const id = sent.messageId;
    assert.equal((await sender.status(AGR_CODE, id)).nextHop, DSO_CODE, 'the sender hands it to the receiver itself');

    const got = await receiver.receive(DSO_CODE, { waitMs: 10_000 });
    assert.deepEqual(
      got.map((m) => [m.messageId, m.senderCode, m.businessType, m.baMessageId]),
      [[id, AGR_CODE, DIRECT_TYPE, 'direct-1']],
    );
    assert.deepEqual(got[0]?.content, content);
    await eventually(async () => (await sender.status(AGR_CODE, id)).state === 'DELIVERED', 'DELIVERED at the sender');
    await receiver.confirm(DSO_CODE, [id]);
    await eventually(async () => (await sender.status(AGR_CODE, id)).state === 'RECEIVED', 'RECEIVED at the sender');
    const status = await sender.status(AGR_CODE, id);
    assert.deepEqual(
      status.trace.map((t) => `${t.state} ${t.by}`),
      [`ACCEPTED ${AGR_CODE}`, `TRANSPORTED ${DSO_CODE}`, `DELIVERED ${DSO_CODE}`, `RECEIVED ${DSO_CODE}`],
    );
    await settled(hubA.db);
    await settled(hubB.db);
    // the hops: the message AGR → DSO at hub A, the acknowledgements DSO → AGR at hub B; the broker nowhere
    assert.deepEqual(await hopsOf(hubA.db, id), [`message ${AGR_CODE} → ${DSO_CODE}`]);
    assert.deepEqual(await hopsOf(hubB.db, id), [`ack ${DSO_CODE} → ${AGR_CODE}`, `ack ${DSO_CODE} → ${AGR_CODE}`]);
    const via = await hubB.db.query<{ via_code: string }>('select via_code from endpoint_inbox where message_id = $1', [id]);
    assert.deepEqual(
      via.rows.map((r) => r.via_code),
      [AGR_CODE],
    );
    const audit = [...(await traces(hubA.db, id)).audit, ...(await traces(hubB.db, id)).audit];
    assert.ok(!audit.some((a) => a.startsWith(BROKER_CODE)), audit.join(', '));
    assert.ok(
      audit.includes(`${DSO_CODE} message.state.received`) && audit.includes(`${AGR_CODE} message.state.received`),
      audit.join(', '),
    );
  });

  it('refuses a sender that skips the broker its receiver requires, or takes a DIRECT path declared for another sender', async () => {
    const before = await rowCounts(hubB.db);
    const viaBrokerType = sealedBy(agr, 'A67'); // DSO takes A67 from AGR via the broker only
    const notForBrp = sealedBy(brp, DIRECT_TYPE); // DSO's DIRECT path for A99 names AGR, not BRP
    const a = resultsOf(await agr.hop(urlOf(hubB), [messageItem(DSO_CODE, viaBrokerType.envelope, viaBrokerType.payload)]));
    const b = resultsOf(await brp.hop(urlOf(hubB), [messageItem(DSO_CODE, notForBrp.envelope, notForBrp.payload)]));
    assert.deepEqual(
      [...a, ...b].map((r) => [r.status, r.reason]),
      [
        ['rejected', 'no_message_path'],
        ['rejected', 'no_message_path'],
      ],
    );
    assert.match(a[0]?.detail ?? '', new RegExp(`broker ${BROKER_CODE}`));
    for (const m of [viaBrokerType, notForBrp])
      assert.deepEqual(await traces(hubB.db, m.envelope.messageId), { queue: 0, messages: 0, inbox: 0, audit: [] });
    assert.deepEqual(await rowCounts(hubB.db), before);
    assert.deepEqual(await endpointsOf(hubB).receive(DSO_CODE), []);
    await assertAlive(hubB, [DSO_CODE]);
  });

  it('refuses at the broker a message whose receiver declared a DIRECT path for it (no_message_path)', async () => {
    const before = await rowCounts(hubA.db);
    const m = sealedBy(agr, DIRECT_TYPE);
    const r = resultsOf(await agr.hop(urlOf(hubA), [messageItem(BROKER_CODE, m.envelope, m.payload)]));
    assert.deepEqual(
      r.map((x) => [x.status, x.reason]),
      [['rejected', 'no_message_path']],
    );
    assert.match(r[0]?.detail ?? '', new RegExp(`goes DIRECT, not through broker ${BROKER_CODE}`));
    assert.deepEqual(await traces(hubA.db, m.envelope.messageId), { queue: 0, messages: 0, inbox: 0, audit: [] });
    assert.deepEqual(await rowCounts(hubA.db), before);
    await assertAlive(hubA, [BROKER_CODE, AGR_CODE, BRP_CODE]);
  });

  it('answers a re-sent message ID on the DIRECT path duplicate, in one batch and the next; DSO’s application gets it once', async () => {
    const m = sealedBy(agr, DIRECT_TYPE, 'once only');
    const item = messageItem(DSO_CODE, m.envelope, m.payload);
    assert.deepEqual(
      resultsOf(await agr.hop(urlOf(hubB), [item, item])).map((r) => r.status),
      ['accepted', 'duplicate'],
    );
    assert.deepEqual(
      resultsOf(await agr.hop(urlOf(hubB), [item])).map((r) => r.status),
      ['duplicate'],
    );
    const other = seal(m.envelope, Buffer.from('replaced?'), agr.identity.signer, recipientOf(net, DSO_CODE));
    assert.deepEqual(
      resultsOf(await agr.hop(urlOf(hubB), [messageItem(DSO_CODE, m.envelope, other)])).map((r) => r.status),
      ['duplicate'],
    );
    const got = await endpointsOf(hubB).receive(DSO_CODE, { limit: 500 });
    assert.deepEqual(
      got.map((g) => [g.messageId, g.content.toString()]),
      [[m.envelope.messageId, 'once only']],
    );
    await endpointsOf(hubB).confirm(DSO_CODE, [m.envelope.messageId]);
    const t = await traces(hubB.db, m.envelope.messageId);
    assert.equal(t.inbox, 1);
    assert.deepEqual(
      t.audit.filter((a) => a.endsWith('delivered')),
      [`${DSO_CODE} message.state.delivered`],
    );
    await settled(hubB.db);
  });

  it('follows the receiver when it withdraws the DIRECT path: direct hand-overs are refused, the sender goes via the broker', async () => {
    assert.ok(hubA.transport?.directory && hubB.transport);
    await hubA.transport.directory.removeMessagePath(directPathId);
    await hubA.transport.refreshDirectory();
    await hubB.transport.refreshDirectory();
    assert.ok(
      (await hubB.transport.view()).messagePaths(DSO_CODE).every((p) => p.path !== 'DIRECT'),
      'hub B holds the new document',
    );

    const m = sealedBy(agr, DIRECT_TYPE);
    const r = resultsOf(await agr.hop(urlOf(hubB), [messageItem(DSO_CODE, m.envelope, m.payload)]));
    assert.deepEqual(
      r.map((x) => [x.status, x.reason]),
      [['rejected', 'no_message_path']],
    );

    const sender = endpointsOf(hubA);
    const sent = await sender.send(AGR_CODE, {
      receiverCode: DSO_CODE,
      businessType: DIRECT_TYPE,
      content: Buffer.from('via the broker now'),
    });
    assert.equal((await sender.status(AGR_CODE, sent.messageId)).nextHop, BROKER_CODE);
    const got = await endpointsOf(hubB).receive(DSO_CODE, { waitMs: 10_000 });
    assert.deepEqual(
      got.map((g) => g.messageId),
      [sent.messageId],
    );
    await endpointsOf(hubB).confirm(DSO_CODE, [sent.messageId]);
    await eventually(async () => (await sender.status(AGR_CODE, sent.messageId)).state === 'RECEIVED', 'RECEIVED');
    assert.deepEqual(
      (await sender.status(AGR_CODE, sent.messageId)).trace.map((t) => `${t.state} ${t.by}`),
      [`ACCEPTED ${AGR_CODE}`, `TRANSPORTED ${BROKER_CODE}`, `DELIVERED ${DSO_CODE}`, `RECEIVED ${DSO_CODE}`],
    );
  });
});
