/**
 * F8/F9 end to end: an aggregator's operational schedule travels as a GL_MarketDocument to the
 * TPS, which splits it into one document per DSO without the operator; each DSO reads only the
 * series of the assets on its grid, by window or by waiting for what is new.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { queueName, storageName } from '../../support/backends.js';
import { gsrn, startTpsNetwork, type ApiBody, type TpsNetwork } from '../../support/tps-network.js';

const AREA1 = '10YDK-1--------W';
const AREA2 = '10YDK-2--------M';
const START = '2026-11-25T23:00Z';
const END = '2026-11-26T23:00Z';
const WINDOW = 'from=2026-11-25T00:00Z&to=2026-11-28T00:00Z';
const flat = (kw: number, n = 96) => Array.from({ length: n }, () => kw);

interface Series {
  scheduleId: string;
  assetId: string;
  points: number[];
  revision: number;
  cancelled?: boolean;
}
const schedulesOf = (b: ApiBody) => (b.schedules ?? []) as Series[];

describe(`TPS operational schedules (${storageName}, ${queueName})`, { timeout: 180_000 }, () => {
  let net: TpsNetwork;
  let scheduleId = '';
  before(async () => {
    net = await startTpsNetwork();
    const { dso1, dso2, agr1, agr2 } = net.parties;
    const ok = (r: { status: number; text: string }) => assert.equal(r.status, 200, r.text);
    ok(
      await net.call(dso1, 'POST', '/dso/v1/connection-points', [
        { connectionPoint: gsrn(1), gridArea: AREA1 },
        { connectionPoint: gsrn(2), gridArea: AREA1 },
      ]),
    );
    ok(await net.call(dso2, 'POST', '/dso/v1/connection-points', { connectionPoint: gsrn(10), gridArea: AREA2 }));
    ok(
      await net.call(agr1, 'POST', '/agr/v1/assets', [
        { assetId: 'PV-1', connectionPoint: gsrn(1), gridArea: AREA1, technology: 'solar', maxProductionKw: 10 },
        { assetId: 'HP-2', connectionPoint: gsrn(10), gridArea: AREA2, technology: 'heat-pump', maxConsumptionKw: 4 },
      ]),
    );
    ok(
      await net.call(agr2, 'POST', '/agr/v1/assets', {
        assetId: 'X-1',
        connectionPoint: gsrn(2),
        gridArea: AREA1,
        technology: 'load',
        maxConsumptionKw: 2,
      }),
    );
  });
  after(async () => {
    await net?.stop();
  });

  it('accepts a schedule and gives each DSO only the series on its grid, without the operator', async () => {
    const { agr1, dso1, dso2 } = net.parties;
    const r = await net.call(agr1, 'POST', '/agr/v1/schedules', {
      start: START,
      end: END,
      resolution: 'PT15M',
      assets: [
        { assetId: 'PV-1', points: flat(7.5) },
        { assetId: 'HP-2', points: flat(-3.25) },
      ],
    });
    assert.equal(r.status, 200, r.text);
    scheduleId = String((r.body.schedule as { scheduleId: string }).scheduleId);
    await net.settled();
    const one = await net.call(dso1, 'GET', `/dso/v1/schedules?${WINDOW}`);
    assert.deepEqual(
      schedulesOf(one.body).map((s) => [s.assetId, s.points[0], s.points.length]),
      [['PV-1', 7.5, 96]],
    );
    assert.ok(!one.text.includes(agr1.code), 'no operator in a DSO answer');
    assert.notEqual(schedulesOf(one.body)[0]?.scheduleId, scheduleId, "the DSO's document is the TPS's own");
    const two = await net.call(dso2, 'GET', `/dso/v1/schedules?${WINDOW}`);
    assert.deepEqual(
      schedulesOf(two.body).map((s) => [s.assetId, s.points[95]]),
      [['HP-2', -3.25]],
    );
    const mine = await net.call(agr1, 'GET', `/agr/v1/schedules?${WINDOW}`);
    assert.equal((mine.body.schedules as unknown[]).length, 1);
    const theirs = await net.call(net.parties.agr2, 'GET', `/agr/v1/schedules?${WINDOW}`);
    assert.deepEqual(theirs.body.schedules, []);
    assert.equal((await net.call(net.parties.agr2, 'GET', `/agr/v1/schedules/${scheduleId}`)).status, 404);
  });

  it('feeds each change once to the waiting DSO', async () => {
    const { dso1 } = net.parties;
    const first = await net.call(dso1, 'GET', '/dso/v1/schedules/wait?timeout=5000');
    assert.deepEqual(
      schedulesOf(first.body).map((s) => s.assetId),
      ['PV-1'],
    );
    const again = await net.call(dso1, 'GET', '/dso/v1/schedules/wait?timeout=0');
    assert.deepEqual(again.body.schedules, []);
  });

  it('on an update, wakes the DSO whose asset left the schedule with that series cancelled', async () => {
    const { agr1, dso1, dso2 } = net.parties;
    await net.call(dso2, 'GET', '/dso/v1/schedules/wait?timeout=0'); // read what is there
    const poll = net.call(dso1, 'GET', '/dso/v1/schedules/wait?timeout=20000');
    await new Promise((r) => setTimeout(r, 200));
    const t0 = Date.now();
    const u = await net.call(agr1, 'PUT', `/agr/v1/schedules/${scheduleId}`, {
      start: START,
      end: END,
      assets: [{ assetId: 'HP-2', points: flat(-2) }],
    });
    assert.equal(u.status, 200, u.text);
    assert.equal((u.body.schedule as { revision: number }).revision, 2);
    const got = await poll;
    assert.deepEqual(
      schedulesOf(got.body).map((s) => [s.assetId, s.cancelled === true, s.revision]),
      [['PV-1', true, 2]],
    );
    assert.ok(Date.now() - t0 < 15_000);
    assert.deepEqual(schedulesOf((await net.call(dso1, 'GET', `/dso/v1/schedules?${WINDOW}`)).body), []);
    const two = await net.call(dso2, 'GET', '/dso/v1/schedules/wait?timeout=5000');
    assert.deepEqual(
      schedulesOf(two.body).map((s) => [s.assetId, s.points[0]]),
      [['HP-2', -2]],
    );
  });

  it('cancels a schedule: the DSO gets the series cancelled and lists none', async () => {
    const { agr1, dso2 } = net.parties;
    const c = await net.call(agr1, 'DELETE', `/agr/v1/schedules/${scheduleId}`);
    assert.equal(c.status, 200, c.text);
    await net.settled();
    const feed = await net.call(dso2, 'GET', '/dso/v1/schedules/wait?timeout=5000');
    assert.deepEqual(
      schedulesOf(feed.body).map((s) => [s.assetId, s.cancelled === true]),
      [['HP-2', true]],
    );
    assert.deepEqual(schedulesOf((await net.call(dso2, 'GET', `/dso/v1/schedules?${WINDOW}`)).body), []);
    assert.equal(
      (
        await net.call(agr1, 'PUT', `/agr/v1/schedules/${scheduleId}`, {
          start: START,
          end: END,
          assets: [{ assetId: 'HP-2', points: flat(1) }],
        })
      ).status,
      404,
    );
  });

  it('refuses bad schedules with the field that is wrong, and an asset of another party', async () => {
    const { agr1, agr2 } = net.parties;
    const short = await net.call(agr1, 'POST', '/agr/v1/schedules', {
      start: START,
      end: END,
      assets: [{ assetId: 'PV-1', points: flat(1, 95) }],
    });
    assert.equal(short.status, 400, short.text);
    assert.match(short.text, /has 96 positions; got 95 values/);
    const odd = await net.call(agr1, 'POST', '/agr/v1/schedules', {
      start: START,
      end: '2026-11-26T23:10Z',
      assets: [{ assetId: 'PV-1', points: [] }],
    });
    assert.equal(odd.status, 400, odd.text);
    const bad = await net.call(agr1, 'POST', '/agr/v1/schedules', {
      start: START,
      end: END,
      assets: [{ assetId: 'PV-1', points: [...flat(1, 95), 'x'] }],
    });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /value 96/);
    const theirs = await net.call(agr2, 'POST', '/agr/v1/schedules', {
      start: START,
      end: END,
      assets: [{ assetId: 'PV-1', points: flat(1) }],
    });
    assert.equal(theirs.status, 404, theirs.text);
    const window = await net.call(net.parties.dso1, 'GET', '/dso/v1/schedules?from=x&to=y');
    assert.equal(window.status, 400);
  });
});
