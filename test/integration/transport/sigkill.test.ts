/**
 * Fault: a hub process is killed with SIGKILL in the middle of delivery. The killed process is a
 * `tps-hub serve` child that hosts the broker and the sending endpoint (its business application
 * sends over the REST API); the directory and the receiving endpoint run in another hub. Right
 * after a burst of sends the process is killed — no shutdown, rows claimed under a lease, requests
 * half done, acknowledgements on their way — and restarted on the same data (the same DATA_DIR:
 * on the embedded database it takes over the dead process's lock and PGlite recovers; on
 * PostgreSQL the same schema). Nothing is lost, nothing reaches the receiving application twice
 * (the inbox de-duplicates on message ID), and every message ends RECEIVED at the sender.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStorage, startHub, type Hub } from '../../../src/app/hub.js';
import { createLogger } from '../../../src/app/logger.js';
import { loadConfig } from '../../../src/config/config.js';
import { createToken } from '../../../src/endpoint/tokens.js';
import { migrate } from '../../../src/infra/db/migrate.js';
import type { Database } from '../../../src/shared/sql.js';
import { eventually, queueName, realDatabaseUrl, storageName } from '../../support/backends.js';
import {
  countStates,
  inProcessInbox,
  ReceivingApp,
  restEndpoint,
  sleep,
  stopHubProcess,
  tally,
  tallyLine,
} from '../../support/fault-run.js';
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

const N = 60;
/** The hop sender's lease (30 s) on rows it is sending, and slack for the restart and the deliveries after it. */
const RECOVERY_MS = 30_000 + 25_000;

/** Transport rows (of one kind, or all) that a flush holds under its lease right now: being sent. */
async function leasedRows(db: Database, kind?: 'message' | 'ack'): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    'select count(*) as n from transport_queue where done_at is null and lease_until > now() and ($1::text is null or kind = $1)',
    [kind ?? null],
  );
  return Number(rows[0]?.n);
}

describe(`hub process killed with SIGKILL during delivery (${storageName}, ${queueName})`, { timeout: 150_000 }, () => {
  let net: TestNetwork;
  let hubA: Hub; // directory and the receiving endpoint
  let hubB: HubProcess | undefined; // broker and the sending endpoint: the one killed
  let app: ReceivingApp | undefined;
  let envB: Record<string, string>;
  let token: string;

  before(async () => {
    const portB = await freePort();
    net = await provisionNetwork({ ports: { [BROKER_CODE]: portB, [AGR_CODE]: portB } });
    hubA = await startHub(loadConfig({ ...net.env, HOSTED_COMPONENTS: DSO_CODE }), createLogger('silent'));
    envB = { ...secondHubEnv(net, [BROKER_CODE, AGR_CODE], portB), ROLES: 'api,broker,endpoint,worker', LOG_LEVEL: 'info' };
    // the sending application's token, created in the killed process's own database before it starts
    const { db, lock } = await openStorage(loadConfig(envB));
    try {
      await migrate(db);
      token = (await createToken(db, AGR_CODE, 'sigkill fault test')).token;
    } finally {
      await db.close();
      lock?.release();
    }
    hubB = await startHubProcess(envB);
  });
  after(async () => {
    await app?.stop();
    await stopHubProcess(hubB, 'SIGKILL');
    await hubA?.stop();
    await dropNetworkSchema(net);
  });

  it('loses nothing and delivers nothing twice when the broker and sender process is killed and restarted', async () => {
    const receiver = hubA.transport?.endpoints;
    assert.ok(receiver && hubB);
    const running = (app = new ReceivingApp(inProcessInbox(receiver, DSO_CODE)).start());
    const sent = new Map<string, string>();
    let api = restEndpoint(hubB.url, AGR_CODE, token);
    const send = async (label: string) => {
      const content = `${label} ${sent.size}`;
      const r = await api.send(DSO_CODE, 'A67', Buffer.from(content));
      assert.equal(r.state, 'ACCEPTED');
      sent.set(r.messageId, content);
    };

    // 1. A flow of messages, then a burst; the process dies in the middle of it, between two sends (so that
    //    every send the application made was answered). On PostgreSQL the kill waits for a moment when the
    //    process holds messages under a delivery lease (it is sending them); PGlite is not readable from outside.
    for (let i = 0; i < 20; i++) {
      await send('sent before the kill');
      await sleep(50);
    }
    await eventually(() => running.got.size >= 5, 'delivery under way', 15_000);
    const watch = realDatabaseUrl ? await openStorage(loadConfig(envB)) : undefined;
    const killed = hubB;
    let killedAt: number;
    try {
      burst: for (let i = 0; i < 30; i++) {
        await send('sent in the burst before the kill');
        if (!watch) {
          if (i >= 9) break;
          continue;
        }
        for (let j = 0; j < 10; j++) {
          if ((await leasedRows(watch.db, 'message')) > 0) break burst;
          await sleep(2);
        }
      }
      killed.child.kill('SIGKILL');
      killedAt = Date.now();
    } finally {
      await watch?.db.close();
    }
    const atKill = { sent: sent.size, received: running.got.size };
    assert.equal(await killed.exited, null);
    assert.equal(killed.child.signalCode, 'SIGKILL');
    assert.ok(!killed.logs.some((l) => l.includes('shutting down')), 'no graceful shutdown ran');
    // what the dead process left in its database (on PGlite this takes over its lock and recovers the data directory)
    const left = await openStorage(loadConfig(envB));
    let held: number;
    let open: number;
    try {
      held = await leasedRows(left.db);
      open = Number((await left.db.query<{ n: string }>('select count(*) as n from transport_queue where done_at is null')).rows[0]?.n);
    } finally {
      await left.db.close();
      left.lock?.release();
    }
    assert.ok(open > 0, 'the process was killed with deliveries or acknowledgements unfinished');

    // 2. Restarted on the same data; the application sends the rest.
    const restartedAt = Date.now();
    hubB = await startHubProcess(envB);
    const restartMs = Date.now() - restartedAt;
    api = restEndpoint(hubB.url, AGR_CODE, token);
    const atRestart = await countStates(sent.keys(), async (id) => (await api.status(id)).state);
    while (sent.size < N) {
      await send('sent after the restart');
      await sleep(50);
    }

    // 3. Everything arrives once and is acknowledged back. Rows the killed process held wait out their lease
    //    (30 s), then the sweeper re-kicks their hop: all is delivered within the lease and some slack after the kill.
    await eventually(
      () => running.got.size >= sent.size,
      `all ${sent.size} messages received within ${RECOVERY_MS} ms of the kill`,
      Math.max(1_000, killedAt + RECOVERY_MS - Date.now()),
    );
    const allReceivedMs = Date.now() - killedAt;
    await eventually(
      async () => (await countStates(sent.keys(), async (id) => (await api.status(id)).state)).RECEIVED === sent.size,
      'every message RECEIVED at the sender',
      45_000,
    );
    await sleep(1_000); // a late re-delivery would show up here
    await running.stop();
    const t = tally(sent, running);
    console.log(
      tallyLine(
        'sigkill',
        t,
        `killed with ${atKill.sent} sent and ${atKill.received} received, ${open} transport rows open of which ${held} under the dead process's lease; after the restart (${restartMs} ms) the sender's database had ${JSON.stringify(atRestart)}; all received ${allReceivedMs} ms after the kill`,
      ),
    );
    assert.equal(t.sent, N);
    assert.equal(t.foreign, 0, 'only the messages sent, with their content');
    assert.equal(t.lost, 0, 'none lost');
    assert.equal(t.duplicated, 0, 'none handed to the application twice');
  });
});
