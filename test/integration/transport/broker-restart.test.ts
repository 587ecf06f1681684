/**
 * Fault: the broker restarts with messages in flight. The broker runs as its own `tps-hub serve`
 * process (its own data, schema, queue and port); the sending endpoint (with the directory) and
 * the receiving endpoint run in two other hubs. The broker is stopped with SIGTERM twice: first
 * while it holds messages in its queue for a receiver that is not up yet (and the sender keeps
 * sending), then in the middle of a live flow of messages and acknowledgements. Every message
 * reaches the receiving application exactly once and ends RECEIVED at the sender.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHub, type Hub } from '../../../src/app/hub.js';
import { createLogger } from '../../../src/app/logger.js';
import { loadConfig } from '../../../src/config/config.js';
import type { Endpoints } from '../../../src/endpoint/endpoint.js';
import { eventually, queueName, storageName } from '../../support/backends.js';
import { countStates, inProcessInbox, ReceivingApp, sleep, stopHubProcess, tally, tallyLine } from '../../support/fault-run.js';
import { startHubProcess, type HubProcess } from '../../support/hub-process.js';
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

async function distinctPorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

const statesOf = (endpoints: Endpoints, ids: Iterable<string>) =>
  countStates(ids, async (id) => (await endpoints.status(AGR_CODE, id)).state);

describe(`broker restarted with messages in flight (${storageName}, ${queueName})`, { timeout: 120_000 }, () => {
  let net: TestNetwork;
  let hubA: Hub; // directory and the sending endpoint
  let hubC: Hub | undefined; // the receiving endpoint
  let broker: HubProcess | undefined;
  let app: ReceivingApp | undefined;
  let brokerEnv: Record<string, string>;
  let dsoPort: number;

  before(async () => {
    const [brokerPort, dso] = (await distinctPorts(2)) as [number, number];
    dsoPort = dso;
    net = await provisionNetwork({ ports: { [BROKER_CODE]: brokerPort, [DSO_CODE]: dsoPort } });
    hubA = await startHub(loadConfig({ ...net.env, HOSTED_COMPONENTS: AGR_CODE }), createLogger('silent'));
    brokerEnv = { ...secondHubEnv(net, [BROKER_CODE], brokerPort), ROLES: 'broker,worker', LOG_LEVEL: 'info' };
    broker = await startHubProcess(brokerEnv);
  });
  after(async () => {
    await app?.stop();
    await stopHubProcess(broker, 'SIGKILL');
    await hubC?.stop();
    await hubA?.stop();
    await dropNetworkSchema(net);
  });

  it('delivers every message once after two broker restarts, and every one ends RECEIVED at the sender', async () => {
    const sender = hubA.transport?.endpoints;
    assert.ok(sender);
    const sent = new Map<string, string>();
    const send = async (label: string) => {
      const content = `${label} ${sent.size}`;
      const r = await sender.send(AGR_CODE, { receiverCode: DSO_CODE, businessType: 'A67', content: Buffer.from(content) });
      assert.equal(r.state, 'ACCEPTED');
      sent.set(r.messageId, content);
      return r.messageId;
    };

    // 1. The receiver is not up yet: 20 messages end up in the broker's queue (TRANSPORTED: the broker has them durably).
    const queued: string[] = [];
    for (let i = 0; i < 20; i++) queued.push(await send('queued at the broker'));
    await eventually(async () => (await statesOf(sender, queued)).TRANSPORTED === queued.length, 'the broker holds all 20', 15_000);

    // 2. First restart: SIGTERM while it holds them. Meanwhile the sender keeps sending; the receiver comes up with the broker.
    assert.equal(await stopHubProcess(broker, 'SIGTERM'), 0, 'the broker stops cleanly on SIGTERM');
    const whileDown: string[] = [];
    for (let i = 0; i < 20; i++) whileDown.push(await send('sent while the broker was down'));
    await sleep(500);
    assert.deepEqual(await statesOf(sender, whileDown), { ACCEPTED: 20 }, 'messages sent while the broker is down wait at the sender');
    assert.deepEqual(await statesOf(sender, queued), { TRANSPORTED: 20 }, 'the queued ones are not delivered yet');
    const [c, b] = await Promise.allSettled([
      startHub(loadConfig(secondHubEnv(net, [DSO_CODE], dsoPort, 'c')), createLogger('silent')),
      startHubProcess(brokerEnv),
    ]);
    if (c.status === 'fulfilled') hubC = c.value;
    if (b.status === 'fulfilled') broker = b.value;
    for (const r of [c, b]) if (r.status === 'rejected') throw r.reason;
    assert.ok(hubC);
    const receiver = hubC.transport?.endpoints;
    assert.ok(receiver);
    const running = (app = new ReceivingApp(inProcessInbox(receiver, DSO_CODE)).start());

    // 3. Second restart in the middle of a live flow: messages are sent, delivered, confirmed and acknowledged while it stops.
    const flowing = (async () => {
      for (let i = 0; i < 20; i++) {
        await send('sent during the second restart');
        await sleep(100);
      }
    })();
    await eventually(() => running.got.size >= 5, 'the receiver gets messages from the restarted broker', 30_000);
    const atStop = { received: running.got.size, states: await statesOf(sender, sent.keys()) };
    assert.ok(atStop.received < sent.size, 'the broker stops while messages are still on their way');
    assert.equal(await stopHubProcess(broker, 'SIGTERM'), 0, 'the broker stops cleanly on SIGTERM with work in flight');
    await sleep(500);
    broker = await startHubProcess(brokerEnv);
    await flowing;

    // 4. Everything arrives once and is acknowledged back.
    await eventually(() => running.got.size >= sent.size, `all ${sent.size} messages received`, 60_000);
    await eventually(
      async () => (await statesOf(sender, sent.keys())).RECEIVED === sent.size,
      'every message RECEIVED at the sender',
      30_000,
    );
    await sleep(1_000); // a late re-delivery would show up here
    await running.stop();
    const t = tally(sent, running);
    console.log(
      tallyLine(
        'broker restart',
        t,
        `20 queued at the broker at the first SIGTERM, 20 sent while it was down; at the second SIGTERM ${atStop.received} received, sender states ${JSON.stringify(atStop.states)}`,
      ),
    );
    assert.equal(t.sent, 60);
    assert.equal(t.foreign, 0, 'only the messages sent, with their content');
    assert.equal(t.lost, 0, 'none lost');
    assert.equal(t.duplicated, 0, 'none handed to the application twice');
  });
});
