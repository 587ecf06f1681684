/**
 * Fault: Redis, which carries the hop jobs (BullMQ), dies in the middle of a flow of messages and
 * comes back empty (no persistence). Two hubs share a private redis-server (each with its own key
 * prefix): one with the directory, the broker and the sending endpoint, one with the receiving
 * endpoint. Sending goes on during the outage — the transport queue in the database holds the
 * messages and the sweeper re-kicks their hops once Redis is back. Every message reaches the
 * receiving application exactly once and ends RECEIVED at the sender.
 *
 * Runs on whatever database the suite uses (PGlite or PostgreSQL); the queue is always BullMQ on
 * the private Redis, since an outage of the in-process queue means nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHub, type Hub } from '../../../src/app/hub.js';
import { createLogger } from '../../../src/app/logger.js';
import { loadConfig } from '../../../src/config/config.js';
import type { Endpoints } from '../../../src/endpoint/endpoint.js';
import { eventually, storageName, uniqueName } from '../../support/backends.js';
import { countStates, inProcessInbox, ReceivingApp, sleep, tally, tallyLine } from '../../support/fault-run.js';
import { redisServerBinary, startPrivateRedis, type PrivateRedis } from '../../support/redis-server.js';
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

const statesOf = (endpoints: Endpoints, ids: Iterable<string>) =>
  countStates(ids, async (id) => (await endpoints.status(AGR_CODE, id)).state);

describe(
  `Redis outage during transport (${storageName}, BullMQ on a private redis-server)`,
  { skip: redisServerBinary ? false : 'redis-server is not installed (CI installs it)', timeout: 120_000 },
  () => {
    let redis: PrivateRedis;
    let net: TestNetwork;
    let hubA: Hub; // directory, broker, sending endpoint
    let hubB: Hub; // receiving endpoint
    let app: ReceivingApp | undefined;
    let redisDown = false;

    before(async () => {
      redis = await startPrivateRedis();
      const dsoPort = await freePort();
      net = await provisionNetwork({ ports: { [DSO_CODE]: dsoPort }, env: { REDIS_URL: redis.url, QUEUE_PREFIX: uniqueName('outage') } });
      hubA = await startHub(loadConfig({ ...net.env, HOSTED_COMPONENTS: `${BROKER_CODE},${AGR_CODE}` }), createLogger('silent'));
      hubB = await startHub(loadConfig(secondHubEnv(net, [DSO_CODE], dsoPort)), createLogger('silent'));
    });
    after(async () => {
      if (redisDown) await redis.start(); // the hubs close their queue connections cleanly
      await app?.stop();
      await hubB?.stop();
      await hubA?.stop();
      await redis?.kill();
      await dropNetworkSchema(net);
    });

    it('keeps accepting during the outage and delivers every message once when Redis is back empty', async () => {
      assert.equal(hubA.jobs.driver.kind, 'bullmq');
      assert.equal(hubB.jobs.driver.kind, 'bullmq');
      const sender = hubA.transport?.endpoints;
      const receiver = hubB.transport?.endpoints;
      assert.ok(sender && receiver);
      const running = (app = new ReceivingApp(inProcessInbox(receiver, DSO_CODE)).start());
      const sent = new Map<string, string>();
      const send = async (label: string) => {
        const content = `${label} ${sent.size}`;
        const r = await sender.send(AGR_CODE, { receiverCode: DSO_CODE, businessType: 'A67', content: Buffer.from(content) });
        assert.equal(r.state, 'ACCEPTED');
        sent.set(r.messageId, content);
        return r.messageId;
      };

      // 1. A flow of messages, then a burst: Redis dies while the hops of the burst are busy (their jobs die with it).
      for (let i = 0; i < 10; i++) {
        await send('sent before the outage');
        await sleep(100);
      }
      await eventually(() => running.got.size >= 5, 'messages flowing before the outage', 15_000);
      const burst: string[] = [];
      for (let i = 0; i < 10; i++) burst.push(await send('sent in a burst just before the outage'));
      const atKill = { sent: sent.size, received: running.got.size };
      await redis.kill();
      redisDown = true;
      const burstStates = await statesOf(sender, burst);

      // A flow of messages, one every 200 ms, goes on during and after the outage.
      let phase = 'during' as 'during' | 'after';
      const counts = { during: 0, after: 0 };
      const during: string[] = [];
      const flow = (async () => {
        while (sent.size < 60 || counts.after < 10) {
          const p = phase;
          const id = await send(`sent ${p} the outage`);
          counts[p]++;
          if (p === 'during') during.push(id);
          await sleep(200);
        }
      })();

      // 2. During the outage both hubs see the queue down, and sending goes on (ACCEPTED: held in the database).
      assert.equal((await hubA.jobs.driver.health()).ok, false, 'the sending hub sees Redis down');
      assert.equal((await hubB.jobs.driver.health()).ok, false, 'the receiving hub sees Redis down');
      await sleep(3_000);
      const duringOutage = { received: running.got.size, states: await statesOf(sender, during) };

      // 3. Redis comes back empty: no job survived; the hops are re-kicked from the database.
      await redis.start();
      redisDown = false;
      phase = 'after';
      await flow;
      await eventually(() => running.got.size >= sent.size, `all ${sent.size} messages received`, 60_000);
      await eventually(
        async () => (await statesOf(sender, sent.keys())).RECEIVED === sent.size,
        'every message RECEIVED at the sender',
        30_000,
      );
      assert.equal((await hubA.jobs.driver.health()).ok, true);
      await sleep(1_000); // a late re-delivery would show up here
      await running.stop();
      const t = tally(sent, running);
      console.log(
        tallyLine(
          'redis outage',
          t,
          `sent before/during/after the outage ${atKill.sent}/${counts.during}/${counts.after}; Redis killed with ${atKill.received} received, the last 10 sent then ${JSON.stringify(burstStates)}; at the end of the outage ${duringOutage.received} received, the ones sent during it ${JSON.stringify(duringOutage.states)}`,
        ),
      );
      assert.ok(counts.during >= 10, 'messages were sent during the outage');
      assert.equal(t.foreign, 0, 'only the messages sent, with their content');
      assert.equal(t.lost, 0, 'none lost');
      assert.equal(t.duplicated, 0, 'none handed to the application twice');
    });
  },
);
