/**
 * Fault: the receiving endpoint runs in another hub process (its own host, data and schema) and
 * is down for a while. Messages wait in the broker's queue for it, then deliver once it is back;
 * none is lost, none reaches its application twice. Also: messages for it expire in the broker's
 * queue when it stays down past their expiry (FAILED expired, reported back to the sender).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHub, type Hub } from '../../../src/app/hub.js';
import { createLogger } from '../../../src/app/logger.js';
import { loadConfig } from '../../../src/config/config.js';
import { eventually, queueName, storageName } from '../../support/backends.js';
import {
  AGR_CODE,
  BROKER_CODE,
  DSO_CODE,
  dropNetworkSchema,
  freePort,
  provisionNetwork,
  secondHubEnv,
  type TestNetwork,
} from '../../support/transport-network.js';

describe(`receiving endpoint down, then back (${storageName}, ${queueName})`, () => {
  let net: TestNetwork;
  let hubA: Hub;
  let hubB: Hub | undefined;
  let dsoPort: number;
  const N = 40;

  before(async () => {
    dsoPort = await freePort();
    net = await provisionNetwork({ ports: { [DSO_CODE]: dsoPort } });
    hubA = await startHub(loadConfig({ ...net.env, HOSTED_COMPONENTS: `${BROKER_CODE},${AGR_CODE}` }), createLogger('silent'));
  });
  after(async () => {
    await hubB?.stop();
    await hubA?.stop();
    await dropNetworkSchema(net);
  });

  it('holds messages while the receiver is down and delivers each once when it returns', async () => {
    const endpoints = hubA.transport?.endpoints;
    assert.ok(endpoints);
    const ids: string[] = [];
    for (let i = 0; i < N; i++)
      ids.push(
        (await endpoints.send(AGR_CODE, { receiverCode: DSO_CODE, businessType: 'A67', content: Buffer.from(`message ${i}`) })).messageId,
      );
    const expiring = (
      await endpoints.send(AGR_CODE, {
        receiverCode: DSO_CODE,
        businessType: 'A67',
        content: Buffer.from('short-lived'),
        expiresAt: new Date(Date.now() + 1500),
      })
    ).messageId;
    // the broker has them (TRANSPORTED), the receiver is unreachable
    await eventually(async () => (await endpoints.status(AGR_CODE, ids[N - 1] as string)).state === 'TRANSPORTED', 'TRANSPORTED', 15_000);
    // all of them wait in the broker's queue for the receiver
    await eventually(
      async () =>
        Number(
          (
            await hubA.db.query<{ n: string }>(
              'select count(*) as n from transport_queue where from_code = $1 and to_code = $2 and kind = $3',
              [BROKER_CODE, DSO_CODE, 'message'],
            )
          ).rows[0]?.n,
        ) ===
        N + 1,
      'all messages queued at the broker',
    );
    await eventually(
      async () =>
        Number(
          (await hubA.db.query<{ t: string }>('select max(attempts) as t from transport_queue where to_code = $1', [DSO_CODE])).rows[0]?.t,
        ) >= 1,
      'a failed delivery attempt',
    );
    // the short-lived one expires in the broker's queue; the sender learns it as FAILED expired
    await eventually(async () => (await endpoints.status(AGR_CODE, expiring)).state === 'FAILED', 'FAILED expired', 30_000);
    assert.equal((await endpoints.status(AGR_CODE, expiring)).failureReason, 'expired');

    // the receiver comes back
    hubB = await startHub(loadConfig(secondHubEnv(net, [DSO_CODE], dsoPort)), createLogger('silent'));
    const receiver = hubB.transport?.endpoints;
    assert.ok(receiver);
    const got = new Map<string, number>();
    await eventually(
      async () => {
        for (const m of await receiver.receive(DSO_CODE, { limit: 500 })) {
          got.set(m.messageId, (got.get(m.messageId) ?? 0) + 1);
          await receiver.confirm(DSO_CODE, [m.messageId]);
        }
        return got.size >= N;
      },
      'all messages received',
      60_000,
    );
    assert.deepEqual([...got.keys()].sort(), [...ids].sort(), 'every message, and only those (the expired one never arrives)');
    assert.ok(
      [...got.values()].every((n) => n === 1),
      'none twice',
    );
    await eventually(
      async () => (await Promise.all(ids.map((id) => endpoints.status(AGR_CODE, id)))).every((s) => s.state === 'RECEIVED'),
      'RECEIVED at the sender',
      30_000,
    );
    const lost = ids.filter((id) => !got.has(id)).length;
    const duplicated = [...got.values()].filter((n) => n > 1).length;
    const expired = (await endpoints.status(AGR_CODE, expiring)).failureReason === 'expired' ? 1 : 0;
    console.log(
      `# receiver down: sent ${N + 1}, received ${got.size}, lost ${lost}, duplicated ${duplicated}, expired ${expired} (FAILED expired at the sender)`,
    );
  });
});
