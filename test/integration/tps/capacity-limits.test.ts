/**
 * F6/F7 end to end: a DSO sends capacity limits for assets on its grid; the TPS divides each
 * limit with the fairness filter and sends every AGR/BRP that operates an affected asset only its
 * own assets' shares — never anyone else's, and the DSO never learns who the operators are.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { queueName, storageName } from '../../support/backends.js';
import { gsrn, startTpsNetwork, type ApiBody, type TestParty, type TpsNetwork } from '../../support/tps-network.js';

const AREA1 = '10YDK-1--------W';
const START = '2026-11-26T16:00Z';
const END = '2026-11-26T17:00Z';

interface Share {
  limitId: string;
  revision: number;
  kind: string;
  action?: string;
  policy?: string;
  cancelled?: boolean;
  assets: { assetId: string; availableKw?: number[] }[];
}
const limitsOf = (b: ApiBody) => (b.limits ?? []) as Share[];
const sharesOf = (b: ApiBody) => Object.fromEntries(limitsOf(b).flatMap((l) => l.assets.map((a) => [a.assetId, a.availableKw])));

describe(`TPS capacity limits and the fairness filter (${storageName}, ${queueName})`, { timeout: 180_000 }, () => {
  let net: TpsNetwork;
  let limitId = '';
  const wait = (p: TestParty, ms = 10_000) => net.call(p, 'GET', `/agr/v1/capacity-limits/wait?timeout=${ms}`);

  before(async () => {
    net = await startTpsNetwork();
    const { dso1, dso2, agr1, agr2, brp1 } = net.parties;
    const ok = (r: { status: number; text: string }) => assert.equal(r.status, 200, r.text);
    ok(
      await net.call(
        dso1,
        'POST',
        '/dso/v1/connection-points',
        [1, 2, 3, 4, 5].map((i) => ({ connectionPoint: gsrn(i), gridArea: AREA1 })),
      ),
    );
    ok(await net.call(dso2, 'POST', '/dso/v1/connection-points', { connectionPoint: gsrn(10), gridArea: '10YDK-2--------M' }));
    const pv = (assetId: string, cp: number, kw: number, area = AREA1) => ({
      assetId,
      connectionPoint: gsrn(cp),
      gridArea: area,
      technology: 'solar',
      maxProductionKw: kw,
    });
    ok(await net.call(agr1, 'POST', '/agr/v1/assets', [pv('PV-1', 1, 10), pv('PV-2', 2, 30)]));
    ok(await net.call(agr2, 'POST', '/agr/v1/assets', [pv('PV-3', 3, 20), pv('X-10', 10, 5, '10YDK-2--------M')]));
    ok(
      await net.call(brp1, 'POST', '/agr/v1/assets', {
        assetId: 'BAT-4',
        connectionPoint: gsrn(4),
        gridArea: AREA1,
        technology: 'energy-storage',
        maxProductionKw: 5,
        maxConsumptionKw: 5,
      }),
    );
  });
  after(async () => {
    await net?.stop();
  });

  it('divides a foreseen limit pro rata to capacity and sends each operator only its own shares', async () => {
    const { dso1, agr1, agr2, brp1 } = net.parties;
    const r = await net.call(dso1, 'POST', '/dso/v1/capacity-limits', {
      kind: 'foreseen',
      direction: 'production',
      start: START,
      end: END,
      connectionPoints: [gsrn(1), gsrn(2), gsrn(3)],
      availableKw: 30,
      text: 'transformer maintenance',
    });
    assert.equal(r.status, 200, r.text);
    limitId = String((r.body.limit as { limitId: string }).limitId);
    assert.ok(!r.text.includes(agr1.code) && !r.text.includes(agr2.code), 'no operator in the DSO answer');
    const one = await wait(agr1);
    assert.deepEqual(sharesOf(one.body), { 'PV-1': [5, 5, 5, 5], 'PV-2': [15, 15, 15, 15] });
    assert.equal(limitsOf(one.body)[0]?.policy, 'pro-rata-capacity');
    assert.ok(!one.text.includes('PV-3') && !one.text.includes(agr2.code), "no other operator's asset or code");
    const two = await wait(agr2);
    assert.deepEqual(sharesOf(two.body), { 'PV-3': [10, 10, 10, 10] });
    assert.deepEqual(limitsOf((await wait(brp1, 0)).body), [], 'a party without affected assets gets nothing');
    const own = await net.call(dso1, 'GET', `/dso/v1/capacity-limits?from=2026-11-26T00:00Z&to=2026-11-27T00:00Z`);
    assert.deepEqual((own.body.limits as { assets: string[] }[])[0]?.assets, ['PV-1', 'PV-2', 'PV-3']);
    const active = await net.call(agr1, 'GET', '/agr/v1/capacity-limits/active');
    assert.equal(limitsOf(active.body).length, 1);
  });

  it('on an update, cancels the part of an operator whose assets are no longer affected', async () => {
    const { dso1, agr1, agr2 } = net.parties;
    const u = await net.call(dso1, 'PUT', `/dso/v1/capacity-limits/${limitId}`, {
      kind: 'foreseen',
      direction: 'production',
      start: START,
      end: END,
      assets: ['PV-3'],
      availableKw: 30,
    });
    assert.equal(u.status, 200, u.text);
    const one = await wait(agr1);
    assert.deepEqual(
      limitsOf(one.body).map((l) => [l.revision, l.cancelled === true]),
      [[2, true]],
    );
    const two = await wait(agr2);
    assert.deepEqual(sharesOf(two.body), { 'PV-3': [20, 20, 20, 20] }, 'capped at the capacity of the asset');
    assert.equal(limitsOf((await net.call(agr1, 'GET', '/agr/v1/capacity-limits/active')).body).length, 0);
  });

  it('divides max-min fair by the operational schedules', async () => {
    const { dso1, agr1, agr2 } = net.parties;
    const plan = (assets: { assetId: string; kw: number }[]) => ({
      start: '2026-11-26T00:00Z',
      end: '2026-11-27T00:00Z',
      assets: assets.map((a) => ({ assetId: a.assetId, points: Array.from({ length: 96 }, () => a.kw) })),
    });
    assert.equal(
      (
        await net.call(
          agr1,
          'POST',
          '/agr/v1/schedules',
          plan([
            { assetId: 'PV-1', kw: 2 },
            { assetId: 'PV-2', kw: 20 },
          ]),
        )
      ).status,
      200,
    );
    assert.equal((await net.call(agr2, 'POST', '/agr/v1/schedules', plan([{ assetId: 'PV-3', kw: 20 }]))).status, 200);
    const r = await net.call(dso1, 'POST', '/dso/v1/capacity-limits', {
      kind: 'foreseen',
      direction: 'production',
      start: START,
      end: END,
      assets: ['PV-1', 'PV-2', 'PV-3'],
      availableKw: [30, 30, 30, 21],
      policy: 'max-min-fair',
    });
    assert.equal(r.status, 200, r.text);
    const one = sharesOf((await wait(agr1)).body);
    const two = sharesOf((await wait(agr2)).body);
    // demands 2 / 20 / 20: PV-1 gets its 2, the others share the rest equally (14 each); with 21: 2 + 9.5 + 9.5
    assert.deepEqual(one, { 'PV-1': [2, 2, 2, 2], 'PV-2': [14, 14, 14, 9.5] });
    assert.deepEqual(two, { 'PV-3': [14, 14, 14, 9.5] });
  });

  it('sends an unforeseen stop to the operator of the affected asset, with no capacity figure', async () => {
    const { dso1, brp1 } = net.parties;
    const r = await net.call(dso1, 'POST', '/dso/v1/capacity-limits', {
      kind: 'unforeseen',
      direction: 'consumption',
      start: START,
      end: END,
      assets: ['BAT-4'],
      action: 'stop',
    });
    assert.equal(r.status, 200, r.text);
    const got = limitsOf((await wait(brp1)).body);
    assert.deepEqual(
      got.map((l) => [l.kind, l.action, l.assets]),
      [['unforeseen', 'stop', [{ assetId: 'BAT-4' }]]],
    );
  });

  it('cancels a limit: the operator gets the cancellation and it is no longer active', async () => {
    const { dso1, brp1 } = net.parties;
    const active = limitsOf((await net.call(brp1, 'GET', '/agr/v1/capacity-limits/active')).body);
    const r = await net.call(dso1, 'DELETE', '/dso/v1/capacity-limits/0b6f3a44-5b0e-4c1e-9d0a-6f1d2c3b4a59');
    assert.equal(r.status, 404, 'an unknown limit ID is not found');
    assert.equal(r.body.error?.code, 'TPS_NOT_FOUND');
    const mine = (await net.call(dso1, 'GET', `/dso/v1/capacity-limits?from=2026-11-26T00:00Z&to=2026-11-27T00:00Z`)).body.limits as {
      limitId: string;
      kind: string;
    }[];
    const stop = mine.find((l) => l.kind === 'unforeseen');
    assert.ok(stop && active.length === 1);
    const c = await net.call(dso1, 'DELETE', `/dso/v1/capacity-limits/${stop.limitId}`);
    assert.equal(c.status, 200, c.text);
    assert.deepEqual(
      limitsOf((await wait(brp1)).body).map((l) => l.cancelled === true),
      [true],
    );
    assert.equal(limitsOf((await net.call(brp1, 'GET', '/agr/v1/capacity-limits/active')).body).length, 0);
  });

  it('refuses bad limits with the field that is wrong, and assets that are not on the grid', async () => {
    const { dso1 } = net.parties;
    const base = { kind: 'foreseen', direction: 'production', start: START, end: END, assets: ['PV-1'], availableKw: 5 };
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [{ ...base, availableKw: undefined }, 400, /availableKw/],
      [{ ...base, availableKw: [1, 2] }, 400, /4 quarter hours/],
      [{ ...base, start: '2026-11-26T16:05Z' }, 400, /quarter hour/],
      [{ ...base, kind: 'unforeseen', availableKw: undefined }, 400, /action/],
      [{ ...base, assets: [] }, 400, /at least one/],
      [{ ...base, assets: undefined, connectionPoints: [gsrn(5)] }, 400, /affect nothing/],
      [{ ...base, assets: ['X-10'] }, 404, /not on your grid|no asset X-10/],
      [{ ...base, policy: 'first-come' }, 400, /policy/],
    ];
    for (const [body, status, text] of cases) {
      const r = await net.call(dso1, 'POST', '/dso/v1/capacity-limits', body);
      assert.equal(r.status, status, `${JSON.stringify(body)} → ${r.text}`);
      assert.match(r.text, text);
    }
    // the TPS's own check: an asset the DSO's list still shows, but which the TPS now places on another DSO's grid
    await net.hub.db.query(`update tps_assets set area_code = '10YDK-2--------M' where asset_id = 'PV-1'`);
    const r = await net.call(dso1, 'POST', '/dso/v1/capacity-limits', base);
    assert.equal(r.status, 422, r.text);
    assert.match(r.text, /asset PV-1 is not on your grid/);
  });
});
