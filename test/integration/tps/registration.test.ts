/**
 * F4/F5 end to end through the hosted platform: a DSO registers connection points, aggregators
 * register assets on them, the DSO sees the assets on its grid (never the operator) — every
 * write travels as an IEC 62325 document from the party's endpoint through the broker to the
 * TPS and is answered by its acknowledgement. Bad input gets a precise 4xx and changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { storageName, queueName } from '../../support/backends.js';
import { assetIds, gsrn, problemCodes, startTpsNetwork, type TpsNetwork } from '../../support/tps-network.js';

const AREA1 = '10YDK-1--------W';
const AREA2 = '10YDK-2--------M';

const asset = (assetId: string, cp: string, area = AREA1, extra: Record<string, unknown> = {}) => ({
  assetId,
  connectionPoint: cp,
  gridArea: area,
  technology: 'solar',
  maxProductionKw: 11.5,
  ...extra,
});

describe(`TPS registration: connection points and assets (${storageName}, ${queueName})`, { timeout: 180_000 }, () => {
  let net: TpsNetwork;
  before(async () => {
    net = await startTpsNetwork();
  });
  after(async () => {
    await net?.stop();
  });

  it('answers ping with pong on both backends', async () => {
    assert.equal((await net.call(undefined, 'GET', '/agr/v1/ping')).text, 'pong');
    assert.equal((await net.call(undefined, 'GET', '/dso/v1/ping')).text, 'pong');
  });

  it('registers connection points of a DSO through the TPS and lists them', async () => {
    const { dso1, dso2 } = net.parties;
    const r = await net.call(dso1, 'POST', '/dso/v1/connection-points', [
      { connectionPoint: gsrn(1), gridArea: AREA1 },
      { connectionPoint: gsrn(2), gridArea: AREA1 },
      { connectionPoint: gsrn(3), gridArea: AREA1 },
    ]);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.state, 'accepted');
    const r2 = await net.call(dso2, 'POST', '/dso/v1/connection-points', { connectionPoint: gsrn(10), gridArea: AREA2 });
    assert.equal(r2.status, 200, r2.text);
    const list = await net.call(dso1, 'GET', '/dso/v1/connection-points');
    assert.deepEqual(
      (list.body.connectionPoints ?? []).map((c) => c.connectionPoint),
      [gsrn(1), gsrn(2), gsrn(3)],
    );
    const other = await net.call(dso2, 'GET', '/dso/v1/connection-points');
    assert.deepEqual(other.body.connectionPoints, [{ connectionPoint: gsrn(10), gridArea: AREA2 }]);
  });

  it('refuses a grid area another DSO registered, with the TPS reason A80, and changes nothing', async () => {
    const r = await net.call(net.parties.dso2, 'POST', '/dso/v1/connection-points', { connectionPoint: gsrn(11), gridArea: AREA1 });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.body.error?.code, 'TPS_REJECTED');
    assert.ok(problemCodes(r.body).includes('A80'), r.text);
    const list = await net.call(net.parties.dso2, 'GET', '/dso/v1/connection-points');
    assert.equal(list.body.connectionPoints?.length, 1);
  });

  it('registers assets of two aggregators; each lists only its own', async () => {
    const { agr1, agr2 } = net.parties;
    const r1 = await net.call(agr1, 'POST', '/agr/v1/assets', [
      asset('A1-PV', gsrn(1), AREA1, { name: 'roof of the barn' }),
      asset('A1-BAT', gsrn(2), AREA1, { technology: 'energy-storage', maxConsumptionKw: 5 }),
    ]);
    assert.equal(r1.status, 200, r1.text);
    assert.equal(r1.body.state, 'accepted');
    const r2 = await net.call(
      agr2,
      'POST',
      '/agr/v1/assets',
      asset('A2-HP', gsrn(10), AREA2, { technology: 'heat-pump', maxProductionKw: undefined, maxConsumptionKw: 3.2 }),
    );
    assert.equal(r2.status, 200, r2.text);
    const mine = await net.call(agr1, 'GET', '/agr/v1/assets');
    assert.deepEqual(assetIds(mine.body), ['A1-BAT', 'A1-PV']);
    const pv = mine.body.assets?.find((a) => a.assetId === 'A1-PV');
    assert.deepEqual(pv, {
      assetId: 'A1-PV',
      connectionPoint: gsrn(1),
      gridArea: AREA1,
      technology: 'solar',
      name: 'roof of the barn',
      maxProductionKw: 11.5,
      validFrom: new Date().toISOString().slice(0, 10),
    });
    const theirs = await net.call(agr2, 'GET', '/agr/v1/assets');
    assert.deepEqual(assetIds(theirs.body), ['A2-HP']);
  });

  it('shows a DSO the assets on its grid without operator or name, and each change once in the change feed', async () => {
    const { dso1, dso2, agr1 } = net.parties;
    await net.settled();
    const list = await net.call(dso1, 'GET', '/dso/v1/assets');
    assert.deepEqual(assetIds(list.body), ['A1-BAT', 'A1-PV']);
    assert.ok(!list.text.includes(agr1.code), 'no operator code in a DSO answer');
    assert.ok(!list.text.includes('barn'), "no operator's name for the asset in a DSO answer");
    const changes = await net.call(dso1, 'GET', '/dso/v1/assets/changes?timeout=0');
    assert.equal(changes.body.assets?.length, 2);
    const again = await net.call(dso1, 'GET', '/dso/v1/assets/changes?timeout=0');
    assert.deepEqual(again.body.assets, [], 'a change is returned once');
    const other = await net.call(dso2, 'GET', '/dso/v1/assets');
    assert.deepEqual(assetIds(other.body), ['A2-HP']);
  });

  it('wakes a DSO long poll when an asset on its grid changes', async () => {
    const { dso1, agr1 } = net.parties;
    const t0 = Date.now();
    const poll = net.call(dso1, 'GET', '/dso/v1/assets/changes?timeout=20000');
    await new Promise((r) => setTimeout(r, 200));
    const w = await net.call(agr1, 'PUT', '/agr/v1/assets', asset('A1-PV', gsrn(1), AREA1, { maxProductionKw: 9 }));
    assert.equal(w.status, 200, w.text);
    const got = await poll;
    assert.equal(got.status, 200);
    assert.deepEqual(
      (got.body.assets ?? []).map((a) => [a.assetId, a.maxProductionKw]),
      [['A1-PV', 9]],
    );
    assert.ok(Date.now() - t0 < 15_000, 'answered by the change, not by the timeout');
  });

  it('rejects an asset on an unregistered connection point (A59) and one in the wrong grid area (A80); nothing is applied', async () => {
    const { agr1 } = net.parties;
    const r = await net.call(agr1, 'POST', '/agr/v1/assets', [
      asset('A1-NEW', gsrn(3)),
      asset('A1-X', gsrn(99)),
      asset('A1-Y', gsrn(10), AREA1),
    ]);
    assert.equal(r.status, 422, r.text);
    const codes = problemCodes(r.body);
    assert.ok(codes.includes('A59') && codes.includes('A80'), r.text);
    assert.match(r.body.error?.message ?? '', /connection point 571313100000000996? is not registered|not registered by any DSO/);
    const mine = await net.call(agr1, 'GET', '/agr/v1/assets?id=A1-NEW');
    assert.deepEqual(mine.body.assets, [], 'the valid asset of the rejected batch is not registered either');
  });

  it('rejects registering an asset twice (A51), and an asset another aggregator operates (A59)', async () => {
    const { agr1, agr2 } = net.parties;
    const twice = await net.call(agr1, 'POST', '/agr/v1/assets', asset('A1-PV', gsrn(1)));
    assert.equal(twice.status, 422);
    assert.ok(problemCodes(twice.body).includes('A51'), twice.text);
    const theirs = await net.call(agr2, 'POST', '/agr/v1/assets', asset('A1-PV', gsrn(1)));
    assert.equal(theirs.status, 422);
    assert.ok(problemCodes(theirs.body).includes('A59'), theirs.text);
  });

  it("answers 404 for changing or removing another party's asset, without sending anything", async () => {
    const { agr2 } = net.parties;
    const put = await net.call(agr2, 'PUT', '/agr/v1/assets', asset('A1-PV', gsrn(1)));
    assert.equal(put.status, 404, put.text);
    assert.equal(put.body.error?.code, 'TPS_NOT_FOUND');
    const del = await net.call(agr2, 'DELETE', '/agr/v1/assets?id=A1-PV');
    assert.equal(del.status, 404, del.text);
  });

  it('lists every bad field of a batch at once with its item and field', async () => {
    const r = await net.call(net.parties.agr1, 'POST', '/agr/v1/assets', [
      { assetId: '', connectionPoint: '123', gridArea: 'nope', technology: 'wind?' },
      asset('OK-1', gsrn(1), AREA1, { maxProductionKw: -1, colour: 'red' }),
    ]);
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.error?.code, 'TPS_INPUT_INVALID');
    const where = (r.body.error?.problems ?? []).map((p) => `${p.item ?? ''}:${p.field ?? ''}`);
    for (const w of ['0:assetId', '0:connectionPoint', '0:gridArea', '0:technology', '0:maxProductionKw', '1:maxProductionKw', '1:colour'])
      assert.ok(where.includes(w), `${w} in ${where.join(' ')}`);
  });

  it('refuses a DSO to drop a connection point that carries assets (A59), and allows it once they are removed', async () => {
    const { dso1, agr1 } = net.parties;
    const refused = await net.call(dso1, 'DELETE', `/dso/v1/connection-points?id=${gsrn(2)}`);
    assert.equal(refused.status, 422, refused.text);
    assert.match(refused.text, /has registered assets/);
    const removed = await net.call(agr1, 'DELETE', '/agr/v1/assets?id=A1-BAT');
    assert.equal(removed.status, 200, removed.text);
    assert.deepEqual(assetIds((await net.call(agr1, 'GET', '/agr/v1/assets')).body), ['A1-PV']);
    await net.settled();
    const feed = await net.call(dso1, 'GET', '/dso/v1/assets/changes?timeout=5000');
    assert.deepEqual(
      (feed.body.assets ?? []).map((a) => [a.assetId, a.removed === true]),
      [['A1-BAT', true]],
    );
    const dropped = await net.call(dso1, 'DELETE', `/dso/v1/connection-points?id=${gsrn(2)}`);
    assert.equal(dropped.status, 200, dropped.text);
  });

  it('authenticates every call: no token 401, a forged token 401, the wrong backend 403', async () => {
    const none = await net.call(undefined, 'GET', '/agr/v1/assets');
    assert.equal(none.status, 401);
    assert.equal(none.body.error?.code, 'AUTH_REQUIRED');
    const forged = await net.call({ ...net.parties.agr1, token: `${net.parties.agr1.token.slice(0, -4)}AAAA` }, 'GET', '/agr/v1/assets');
    assert.equal(forged.status, 401);
    assert.equal(forged.body.error?.code, 'TOKEN_INVALID');
    const wrong = await net.call(net.parties.dso1, 'GET', '/agr/v1/assets');
    assert.equal(wrong.status, 403);
    const wrong2 = await net.call(net.parties.agr1, 'GET', '/dso/v1/assets');
    assert.equal(wrong2.status, 403);
    const regulator = await net.call(net.parties.regulator, 'POST', '/dso/v1/connection-points', {
      connectionPoint: gsrn(5),
      gridArea: AREA1,
    });
    assert.equal(regulator.status, 403);
  });
});
