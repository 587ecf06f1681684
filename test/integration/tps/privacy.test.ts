/**
 * NF3 privacy of the TPS backends, as a matrix: every read route raml/tps.raml declares × every
 * caller (agr1, agr2, brp1, dso1, dso2, the regulator, no token) ends in a denial (401 without a
 * token, 403 for the wrong role, 404 for another party's item) or in a 200 that carries only the
 * caller's own data — proved by searching every answer for what belongs to the other parties
 * (party codes and names, endpoint codes, asset IDs and names, connection points, grid areas,
 * schedule, limit and request IDs). Writes on another party's assets, schedules, connection points
 * and limits are refused with 404 and change nothing; a DSO never sees who operates an asset; the
 * regulator cannot use the party backends at all.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { queueName, storageName } from '../../support/backends.js';
import { loadRaml, type Operation } from '../../support/raml-contract.js';
import { gsrn, startTpsNetwork, type PartyKey, type TpsNetwork } from '../../support/tps-network.js';

const AREA = { dso1: '10YDK-1--------W', dso2: '10YDK-2--------M' } as const;

type Operator = 'agr1' | 'agr2' | 'brp1';
type Dso = 'dso1' | 'dso2';
type Caller = PartyKey | 'none';
const OPERATORS: readonly Operator[] = ['agr1', 'agr2', 'brp1'];
const DSOS: readonly Dso[] = ['dso1', 'dso2'];
const CALLERS: readonly Caller[] = ['agr1', 'agr2', 'brp1', 'dso1', 'dso2', 'regulator', 'none'];
const isOperator = (c: Caller): c is Operator => (OPERATORS as readonly string[]).includes(c);
const isDso = (c: Caller): c is Dso => (DSOS as readonly string[]).includes(c);

// The data lies two days ahead (limits are then still active), on whole UTC hours.
const DAY0 = Math.floor(Date.now() / 86_400_000) * 86_400_000 + 2 * 86_400_000;
const at = (hours: number) => `${new Date(DAY0 + hours * 3_600_000).toISOString().slice(0, 16)}Z`;
const WINDOW = `from=${at(-24)}&to=${at(48)}`;

interface PlannedAsset {
  readonly assetId: string;
  readonly operator: Operator;
  readonly dso: Dso;
  readonly cp: string;
  readonly name: string;
  readonly technology: string;
  readonly maxProductionKw: number;
  readonly maxConsumptionKw?: number;
}
/** Every operator has one asset on each DSO's grid; IDs and names are distinctive and none is part of another. */
const ASSETS: readonly PlannedAsset[] = [
  {
    assetId: 'AGR1-PV-N',
    operator: 'agr1',
    dso: 'dso1',
    cp: gsrn(101),
    name: 'agr1-secret-north',
    technology: 'solar',
    maxProductionKw: 10,
  },
  {
    assetId: 'AGR1-HP-S',
    operator: 'agr1',
    dso: 'dso2',
    cp: gsrn(201),
    name: 'agr1-secret-south',
    technology: 'heat-pump',
    maxProductionKw: 2,
    maxConsumptionKw: 4,
  },
  {
    assetId: 'AGR2-BAT-N',
    operator: 'agr2',
    dso: 'dso1',
    cp: gsrn(102),
    name: 'agr2-secret-north',
    technology: 'energy-storage',
    maxProductionKw: 20,
    maxConsumptionKw: 20,
  },
  {
    assetId: 'AGR2-EV-S',
    operator: 'agr2',
    dso: 'dso2',
    cp: gsrn(202),
    name: 'agr2-secret-south',
    technology: 'ev-battery',
    maxProductionKw: 7,
    maxConsumptionKw: 11,
  },
  {
    assetId: 'BRP1-GEN-N',
    operator: 'brp1',
    dso: 'dso1',
    cp: gsrn(103),
    name: 'brp1-secret-north',
    technology: 'generation',
    maxProductionKw: 30,
  },
  {
    assetId: 'BRP1-DR-S',
    operator: 'brp1',
    dso: 'dso2',
    cp: gsrn(203),
    name: 'brp1-secret-south',
    technology: 'demand-response',
    maxProductionKw: 3,
    maxConsumptionKw: 6,
  },
];
/** A connection point of each DSO without assets. */
const SPARE_CP: Record<Dso, string> = { dso1: gsrn(109), dso2: gsrn(209) };

const assetsOf = (op: Operator) => ASSETS.filter((a) => a.operator === op);
const assetsOn = (dso: Dso) => ASSETS.filter((a) => a.dso === dso);
const firstAsset = (op: Operator): PlannedAsset => {
  const a = assetsOf(op)[0];
  assert.ok(a);
  return a;
};
const assetBody = (a: PlannedAsset, extra: Record<string, unknown> = {}) => ({
  assetId: a.assetId,
  connectionPoint: a.cp,
  gridArea: AREA[a.dso],
  technology: a.technology,
  name: a.name,
  maxProductionKw: a.maxProductionKw,
  ...(a.maxConsumptionKw !== undefined ? { maxConsumptionKw: a.maxConsumptionKw } : {}),
  ...extra,
});
const scheduleBody = (assets: readonly PlannedAsset[], kw = 1.5) => ({
  start: at(0),
  end: at(24),
  resolution: 'PT15M',
  assets: assets.map((a) => ({ assetId: a.assetId, points: Array.from({ length: 96 }, () => kw) })),
});
const limitBody = (dso: Dso, extra: Record<string, unknown> = {}) => ({
  kind: 'foreseen',
  direction: 'production',
  start: at(16),
  end: at(17),
  connectionPoints: assetsOn(dso).map((a) => a.cp),
  availableKw: 12,
  text: 'transformer maintenance',
  ...extra,
});

/** What one party holds; the union over the parties is what must not reach anybody else. */
interface Holdings {
  assetIds: string[];
  names: string[];
  cps: string[];
  areas: string[];
  scheduleIds: string[];
  seriesIds: string[];
  limitIds: string[];
  shareIds: string[];
  requestIds: string[];
}
const ID_KINDS = ['scheduleIds', 'seriesIds', 'limitIds', 'shareIds', 'requestIds'] as const;
const emptyHoldings = (): Holdings => ({
  assetIds: [],
  names: [],
  cps: [],
  areas: [],
  scheduleIds: [],
  seriesIds: [],
  limitIds: [],
  shareIds: [],
  requestIds: [],
});

interface Secret {
  readonly what: string;
  readonly owners: Set<PartyKey>;
}

/** One HTTP exchange of the test, kept for the checks over every answer. */
interface Exchange {
  readonly caller: Caller;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly text: string;
}

/** A read of a matrix cell: a 200 containing `own`, or — with `foreign` — a 404 for that ID of another party. */
interface Probe {
  readonly path: string;
  readonly own?: readonly string[];
  readonly foreign?: string;
}
type Access = 'public' | 'operator' | 'dso';
interface ReadRow {
  readonly access: Access;
  probes(c: Caller): Probe[];
}
interface WriteSample {
  readonly path: string;
  readonly body?: unknown;
}

describe(`TPS privacy matrix (NF3) over every route of raml/tps.raml (${storageName}, ${queueName})`, { timeout: 180_000 }, () => {
  let net: TpsNetwork;
  const contract = loadRaml('tps.raml');
  const holdings = Object.fromEntries([...CALLERS].map((c) => [c, emptyHoldings()])) as Record<Caller, Holdings>;
  const secrets = new Map<string, Secret>();
  const exchanges: Exchange[] = [];
  const counts = { readCells: 0, readRequests: 0, writes: 0 };
  let before0: Record<string, string> = {};

  const call = async (caller: Caller, method: string, path: string, body?: unknown) => {
    const r = await net.call(caller === 'none' ? undefined : net.parties[caller], method, path, body);
    exchanges.push({ caller, method, path, status: r.status, text: r.text });
    return r;
  };
  const ok = async (caller: Caller, method: string, path: string, body?: unknown) => {
    const r = await call(caller, method, path, body);
    assert.equal(r.status, 200, `${caller} ${method} ${path}: ${r.text}`);
    if (typeof r.body.requestId === 'string') holdings[caller].requestIds.push(r.body.requestId);
    return r;
  };
  const until = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
    const t0 = Date.now();
    for (;;) {
      const v = await probe();
      if (v !== undefined) return v;
      if (Date.now() - t0 > 30_000) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const addSecret = (value: string, what: string, owner: PartyKey) => {
    const s = secrets.get(value);
    if (s) s.owners.add(owner);
    else secrets.set(value, { what, owners: new Set([owner]) });
  };
  /** What `text` shows of other parties (their items the caller named itself in the request excepted). */
  const foreignIn = (caller: Caller, text: string, echoed: readonly string[] = []): string[] =>
    [...secrets]
      .filter(([value, s]) => (caller === 'none' || !s.owners.has(caller)) && !echoed.includes(value) && text.includes(value))
      .map(([value, s]) => `${s.what} ${value} (of ${[...s.owners].join('+')})`);
  /** Every schedule, limit and request ID of the other parties. */
  const foreignIds = (c: Caller): string[] =>
    [...new Set(CALLERS.filter((p) => p !== c).flatMap((p) => ID_KINDS.flatMap((k) => holdings[p][k])))].filter(
      (id) => c === 'none' || !secrets.get(id)?.owners.has(c),
    );
  const one = (list: readonly string[], what: string): string => {
    const v = list[0];
    assert.ok(v, `no ${what}`);
    return v;
  };

  /**
   * The read matrix: one row per GET of raml/tps.raml. An {id} route is probed with every schedule,
   * limit and request ID of the other parties (one of them for a caller of the wrong role) and with
   * the caller's own.
   */
  const idProbes = (prefix: string, own: (c: Caller) => readonly string[], sample: () => string, allowed: (c: Caller) => boolean) => {
    return (c: Caller): Probe[] =>
      allowed(c)
        ? [
            ...own(c).map((id) => ({ path: `${prefix}${id}`, own: [id] })),
            ...foreignIds(c).map((id) => ({ path: `${prefix}${id}`, foreign: id })),
          ]
        : [{ path: `${prefix}${sample()}`, foreign: sample() }];
  };
  const mine = (c: Caller) => holdings[c];
  const allAssetIds = ASSETS.map((a) => a.assetId).join(',');
  const allCps = [...ASSETS.map((a) => a.cp), ...Object.values(SPARE_CP)].join(',');
  const READ_MATRIX: Readonly<Record<string, ReadRow>> = {
    'GET /agr/v1/ping': { access: 'public', probes: () => [{ path: '/agr/v1/ping' }] },
    'GET /agr/v1/assets': {
      access: 'operator',
      probes: (c) => [
        { path: '/agr/v1/assets', own: [...mine(c).assetIds, ...mine(c).names] },
        { path: `/agr/v1/assets?id=${allAssetIds}`, own: [...mine(c).assetIds, ...mine(c).names] },
      ],
    },
    'GET /agr/v1/schedules': {
      access: 'operator',
      probes: (c) => [{ path: `/agr/v1/schedules?${WINDOW}`, own: [...mine(c).scheduleIds, ...mine(c).assetIds] }],
    },
    'GET /agr/v1/schedules/{id}': {
      access: 'operator',
      probes: idProbes(
        '/agr/v1/schedules/',
        (c) => mine(c).scheduleIds,
        () => one(holdings.agr1.scheduleIds, 'schedule of agr1'),
        isOperator,
      ),
    },
    'GET /agr/v1/capacity-limits': {
      access: 'operator',
      probes: (c) => [{ path: `/agr/v1/capacity-limits?${WINDOW}`, own: [...mine(c).shareIds, ...mine(c).assetIds] }],
    },
    'GET /agr/v1/capacity-limits/active': {
      access: 'operator',
      probes: (c) => [{ path: '/agr/v1/capacity-limits/active', own: [...mine(c).shareIds, ...mine(c).assetIds] }],
    },
    'GET /agr/v1/capacity-limits/wait': {
      access: 'operator',
      // the feed's first read after the setup: every share the party got
      probes: (c) => [{ path: '/agr/v1/capacity-limits/wait?timeout=0', own: [...mine(c).shareIds, ...mine(c).assetIds] }],
    },
    'GET /agr/v1/requests/{id}': {
      access: 'operator',
      probes: idProbes(
        '/agr/v1/requests/',
        (c) => mine(c).requestIds,
        () => one(holdings.agr1.requestIds, 'request of agr1'),
        isOperator,
      ),
    },
    'GET /dso/v1/ping': { access: 'public', probes: () => [{ path: '/dso/v1/ping' }] },
    'GET /dso/v1/connection-points': {
      access: 'dso',
      probes: (c) => [
        { path: '/dso/v1/connection-points', own: [...mine(c).cps, ...mine(c).areas] },
        { path: `/dso/v1/connection-points?id=${allCps}`, own: [...mine(c).cps, ...mine(c).areas] },
      ],
    },
    'GET /dso/v1/assets': {
      access: 'dso',
      probes: (c) => [{ path: '/dso/v1/assets', own: mine(c).assetIds }],
    },
    'GET /dso/v1/assets/changes': {
      access: 'dso',
      probes: (c) => [{ path: '/dso/v1/assets/changes?timeout=0', own: mine(c).assetIds }],
    },
    'GET /dso/v1/schedules': {
      access: 'dso',
      probes: (c) => [{ path: `/dso/v1/schedules?${WINDOW}`, own: [...mine(c).seriesIds, ...mine(c).assetIds] }],
    },
    'GET /dso/v1/schedules/wait': {
      access: 'dso',
      probes: (c) => [{ path: '/dso/v1/schedules/wait?timeout=0', own: [...mine(c).seriesIds, ...mine(c).assetIds] }],
    },
    'GET /dso/v1/capacity-limits': {
      access: 'dso',
      probes: (c) => [{ path: `/dso/v1/capacity-limits?${WINDOW}`, own: [...mine(c).limitIds, ...mine(c).assetIds] }],
    },
    'GET /dso/v1/capacity-limits/{id}': {
      access: 'dso',
      probes: idProbes(
        '/dso/v1/capacity-limits/',
        (c) => mine(c).limitIds,
        () => one(holdings.dso1.limitIds, 'limit of dso1'),
        isDso,
      ),
    },
    'GET /dso/v1/requests/{id}': {
      access: 'dso',
      probes: idProbes(
        '/dso/v1/requests/',
        (c) => mine(c).requestIds,
        () => one(holdings.dso1.requestIds, 'request of dso1'),
        isDso,
      ),
    },
  };

  /** A valid write on agr1's or dso1's items for each write route, for the callers that must not use it. */
  const WRITE_SAMPLES: Readonly<Record<string, () => WriteSample>> = {
    'POST /agr/v1/assets': () => ({
      path: '/agr/v1/assets',
      body: { assetId: 'INTRUDER-1', connectionPoint: SPARE_CP.dso1, gridArea: AREA.dso1, technology: 'solar', maxProductionKw: 1 },
    }),
    'PUT /agr/v1/assets': () => ({ path: '/agr/v1/assets', body: assetBody(firstAsset('agr1'), { name: 'hijacked', maxProductionKw: 1 }) }),
    'DELETE /agr/v1/assets': () => ({ path: `/agr/v1/assets?id=${firstAsset('agr1').assetId}` }),
    'POST /agr/v1/schedules': () => ({ path: '/agr/v1/schedules', body: scheduleBody(assetsOf('agr1'), 9) }),
    'PUT /agr/v1/schedules/{id}': () => ({
      path: `/agr/v1/schedules/${one(holdings.agr1.scheduleIds, 'schedule of agr1')}`,
      body: scheduleBody(assetsOf('agr1'), 9),
    }),
    'DELETE /agr/v1/schedules/{id}': () => ({ path: `/agr/v1/schedules/${one(holdings.agr1.scheduleIds, 'schedule of agr1')}` }),
    'POST /dso/v1/connection-points': () => ({
      path: '/dso/v1/connection-points',
      body: { connectionPoint: gsrn(301), gridArea: AREA.dso1 },
    }),
    'PUT /dso/v1/connection-points': () => ({
      path: '/dso/v1/connection-points',
      body: { connectionPoint: SPARE_CP.dso1, gridArea: AREA.dso2 },
    }),
    'DELETE /dso/v1/connection-points': () => ({ path: `/dso/v1/connection-points?id=${SPARE_CP.dso1}` }),
    'POST /dso/v1/capacity-limits': () => ({ path: '/dso/v1/capacity-limits', body: limitBody('dso1', { availableKw: 1 }) }),
    'PUT /dso/v1/capacity-limits/{id}': () => ({
      path: `/dso/v1/capacity-limits/${one(holdings.dso1.limitIds, 'limit of dso1')}`,
      body: limitBody('dso1', { availableKw: 1 }),
    }),
    'DELETE /dso/v1/capacity-limits/{id}': () => ({ path: `/dso/v1/capacity-limits/${one(holdings.dso1.limitIds, 'limit of dso1')}` }),
  };

  const key = (op: Operation) => `${op.method} ${op.path}`;
  const secured = (op: Operation) => op.responses.has(401);
  const reads = contract.operations.filter((op) => op.method === 'GET');
  const writes = contract.operations.filter((op) => op.method !== 'GET');
  const roleOf = (path: string): Access => (path.startsWith('/agr/') ? 'operator' : 'dso');
  const mayUse = (c: Caller, access: Access) => access === 'public' || (access === 'operator' ? isOperator(c) : isDso(c));

  /** The state every party sees of its own data, to show that no refused write changed anything. */
  const snapshot = async (): Promise<Record<string, string>> => {
    const paths: [Caller, string][] = [
      ...OPERATORS.flatMap((op): [Caller, string][] => [
        [op, '/agr/v1/assets'],
        [op, `/agr/v1/schedules?${WINDOW}`],
        [op, `/agr/v1/capacity-limits?${WINDOW}`],
      ]),
      ...DSOS.flatMap((d): [Caller, string][] => [
        [d, '/dso/v1/connection-points'],
        [d, '/dso/v1/assets'],
        [d, `/dso/v1/schedules?${WINDOW}`],
        [d, `/dso/v1/capacity-limits?${WINDOW}`],
      ]),
    ];
    const out: Record<string, string> = {};
    for (const [c, path] of paths) out[`${c} ${path}`] = (await ok(c, 'GET', path)).text;
    return out;
  };

  before(async () => {
    net = await startTpsNetwork();
    // connection points: those of the assets and a spare one per DSO
    for (const d of DSOS) {
      const cps = [...assetsOn(d).map((a) => a.cp), SPARE_CP[d]];
      await ok(
        d,
        'POST',
        '/dso/v1/connection-points',
        cps.map((connectionPoint) => ({ connectionPoint, gridArea: AREA[d] })),
      );
      holdings[d].cps.push(...cps);
      holdings[d].areas.push(AREA[d]);
    }
    for (const op of OPERATORS) {
      await ok(
        op,
        'POST',
        '/agr/v1/assets',
        assetsOf(op).map((a) => assetBody(a)),
      );
      for (const a of assetsOf(op)) {
        holdings[op].assetIds.push(a.assetId);
        holdings[op].names.push(a.name);
        holdings[op].cps.push(a.cp);
        holdings[op].areas.push(AREA[a.dso]);
        holdings[a.dso].assetIds.push(a.assetId);
      }
    }
    for (const d of DSOS)
      await until(`the assets on the grid of ${d}`, async () => {
        const r = await ok(d, 'GET', '/dso/v1/assets');
        return (r.body.assets ?? []).length === assetsOn(d).length ? true : undefined;
      });
    for (const op of OPERATORS) {
      const r = await ok(op, 'POST', '/agr/v1/schedules', scheduleBody(assetsOf(op)));
      holdings[op].scheduleIds.push((r.body.schedule as { scheduleId: string }).scheduleId);
    }
    for (const d of DSOS) {
      const r = await ok(d, 'POST', '/dso/v1/capacity-limits', limitBody(d));
      holdings[d].limitIds.push((r.body.limit as { limitId: string }).limitId);
    }
    // what the TPS sent on: every operator's shares of both limits, every DSO's series of the three schedules
    for (const op of OPERATORS) {
      const limits = await until(`the shares of ${op}`, async () => {
        const l = (await ok(op, 'GET', `/agr/v1/capacity-limits?${WINDOW}`)).body.limits as { limitId: string }[] | undefined;
        return l?.length === DSOS.length ? l : undefined;
      });
      holdings[op].shareIds.push(...limits.map((l) => l.limitId));
    }
    for (const d of DSOS) {
      const series = await until(`the schedules of the grid of ${d}`, async () => {
        const s = (await ok(d, 'GET', `/dso/v1/schedules?${WINDOW}`)).body.schedules as { scheduleId: string }[] | undefined;
        return s?.length === OPERATORS.length ? s : undefined;
      });
      holdings[d].seriesIds.push(...new Set(series.map((s) => s.scheduleId)));
    }
    await net.settled();

    for (const p of Object.keys(net.parties) as PartyKey[]) {
      const party = net.parties[p];
      addSecret(party.code, 'party code', p);
      addSecret(party.name, 'party name', p);
      if (party.endpointCode) addSecret(party.endpointCode, 'endpoint code', p);
      const h = holdings[p];
      for (const v of h.assetIds) addSecret(v, 'asset ID', p);
      for (const v of h.names) addSecret(v, 'asset name', p);
      for (const v of h.cps) addSecret(v, 'connection point', p);
      for (const v of h.areas) addSecret(v, 'grid area', p);
      for (const v of h.scheduleIds) addSecret(v, 'schedule ID', p);
      for (const v of h.seriesIds) addSecret(v, "the TPS's schedule document ID", p);
      for (const v of h.limitIds) addSecret(v, 'limit ID', p);
      for (const v of h.shareIds) addSecret(v, "the TPS's limit share ID", p);
      for (const v of h.requestIds) addSecret(v, 'request ID', p);
    }
    for (const p of [...OPERATORS, ...DSOS]) {
      assert.ok(holdings[p].requestIds.length >= 2, `${p} has requests`);
      assert.ok(holdings[p].assetIds.length > 0, `${p} has assets`);
    }
    before0 = await snapshot();
  });
  after(async () => {
    const routes = Object.keys(READ_MATRIX).length;
    console.log(
      `privacy matrix: ${counts.readCells} read checks (${routes} routes × ${CALLERS.length} callers, ${counts.readRequests} requests) + ${counts.writes} write checks, all denied or own-data-only`,
    );
    await net?.stop();
  });

  it('has a row in the privacy matrix for every read route of raml/tps.raml, and a sample for every write route', () => {
    const declared = reads.map(key).sort();
    assert.ok(declared.length > 10, `raml/tps.raml declares ${declared.length} GET routes`);
    assert.deepEqual(
      declared.filter((k) => !READ_MATRIX[k]),
      [],
      'GET routes without a row in the privacy matrix',
    );
    assert.deepEqual(
      Object.keys(READ_MATRIX).filter((k) => !declared.includes(k)),
      [],
      'matrix rows for routes raml/tps.raml no longer declares',
    );
    for (const op of reads)
      assert.equal(secured(op), READ_MATRIX[key(op)]?.access !== 'public', `${key(op)}: public exactly when not secured`);
    assert.deepEqual(writes.filter((op) => !WRITE_SAMPLES[key(op)]).map(key), [], 'write routes without a sample');
    assert.ok(
      writes.every((op) => secured(op)),
      'every write is authenticated',
    );
  });

  it("recognises another party's data in an answer (the leak check itself is not blind)", () => {
    for (const op of OPERATORS) {
      const own = exchanges.find((e) => e.caller === op && e.method === 'POST' && e.path === '/agr/v1/assets');
      assert.ok(own, `${op} registered its assets`);
      assert.deepEqual(foreignIn(op, own.text), [], `${op}'s own answer`);
      for (const other of CALLERS.filter((c) => c !== op)) {
        const seen = foreignIn(other, own.text);
        for (const a of assetsOf(op))
          assert.ok(
            seen.some((s) => s.includes(a.name)),
            `${other} would be caught seeing ${a.name}`,
          );
      }
    }
    for (const d of DSOS) {
      const own = exchanges.find((e) => e.caller === d && e.method === 'POST' && e.path === '/dso/v1/capacity-limits');
      assert.ok(own, `${d} sent its limit`);
      const limitId = one(holdings[d].limitIds, `limit of ${d}`);
      for (const other of CALLERS.filter((c) => c !== d))
        assert.ok(
          foreignIn(other, own.text).some((s) => s.includes(limitId)),
          other,
        );
    }
  });

  for (const [route, row] of Object.entries(READ_MATRIX)) {
    const outcome =
      row.access === 'public'
        ? 'answers everybody, with or without a token, and carries no party data'
        : `is 401 without a token, 403 for ${row.access === 'operator' ? 'DSOs and the regulator' : 'AGRs, BRPs and the regulator'}, 404 for another party's item, otherwise only the caller's own data`;
    it(`${route} ${outcome}`, async () => {
      const problems: string[] = [];
      for (const c of CALLERS) {
        counts.readCells++;
        for (const probe of row.probes(c)) {
          counts.readRequests++;
          const r = await call(c, 'GET', probe.path);
          const where = `${c} GET ${probe.path} → ${r.status}`;
          const echoed = probe.foreign ? [probe.foreign] : [];
          const fail = (msg: string) => problems.push(`${where}: ${msg}: ${r.text.slice(0, 300)}`);
          if (row.access === 'public') {
            if (r.status !== 200 || r.text !== 'pong') fail('expected 200 pong');
          } else if (c === 'none') {
            if (r.status !== 401 || r.body.error?.code !== 'AUTH_REQUIRED') fail('expected 401 AUTH_REQUIRED');
          } else if (!mayUse(c, row.access)) {
            if (r.status !== 403 || r.body.error?.code !== 'AUTH_FORBIDDEN') fail('expected 403 AUTH_FORBIDDEN');
          } else if (probe.foreign) {
            if (r.status !== 404 || r.body.error?.code !== 'TPS_NOT_FOUND') fail("expected 404 TPS_NOT_FOUND for another party's item");
          } else {
            if (r.status !== 200) fail('expected 200');
            const missing = (probe.own ?? []).filter((v) => !r.text.includes(v));
            if (missing.length) fail(`own data missing: ${missing.join(', ')}`);
          }
          const leaked = foreignIn(c, r.text, echoed);
          if (leaked.length) fail(`LEAK of ${leaked.join('; ')}`);
        }
      }
      assert.deepEqual(problems, []);
    });
  }

  it('refuses the regulator every /agr/v1 and /dso/v1 operation, reads and writes, with 403 (only the public pings answer)', async () => {
    const secure = contract.operations.filter(secured);
    assert.equal(secure.length, contract.operations.length - 2, 'all but the two pings are authenticated');
    for (const op of secure) {
      const sample: WriteSample | undefined =
        op.method === 'GET' ? READ_MATRIX[key(op)]?.probes('regulator')[0] : WRITE_SAMPLES[key(op)]?.();
      assert.ok(sample, key(op));
      if (op.method !== 'GET') counts.writes++;
      const r = await call('regulator', op.method, sample.path, sample.body);
      assert.equal(r.status, 403, `regulator ${key(op)}: ${r.text}`);
      assert.equal(r.body.error?.code, 'AUTH_FORBIDDEN');
      assert.deepEqual(foreignIn('regulator', r.text), []);
    }
  });

  it("refuses every write on the other role's backend (403) and without a token (401)", async () => {
    for (const op of writes) {
      const sample = WRITE_SAMPLES[key(op)]?.();
      assert.ok(sample, key(op));
      const access = roleOf(op.path);
      for (const c of CALLERS.filter((x) => x !== 'regulator' && !mayUse(x, access))) {
        counts.writes++;
        const r = await call(c, op.method, sample.path, sample.body);
        const want = c === 'none' ? [401, 'AUTH_REQUIRED'] : [403, 'AUTH_FORBIDDEN'];
        assert.deepEqual([r.status, r.body.error?.code], want, `${c} ${key(op)}: ${r.text}`);
        assert.deepEqual(foreignIn(c, r.text), []);
      }
    }
  });

  /** A refused write of `attacker`: the status, and nothing of anybody else in the answer but what it named itself. */
  const refused = async (
    attacker: PartyKey,
    method: string,
    path: string,
    body: unknown,
    status: number,
    code: string,
    echoed: readonly string[],
  ) => {
    counts.writes++;
    const r = await call(attacker, method, path, body);
    assert.equal(r.status, status, `${attacker} ${method} ${path}: ${r.text}`);
    assert.equal(r.body.error?.code, code, r.text);
    assert.deepEqual(foreignIn(attacker, r.text, echoed), [], `${attacker} ${method} ${path}`);
  };
  const pairs = <T extends string>(list: readonly T[]) => list.flatMap((a) => list.filter((v) => v !== a).map((v): [T, T] => [a, v]));

  it("does not let an AGR/BRP change, remove or take over another operator's assets (404, 422)", async () => {
    for (const [attacker, victim] of pairs(OPERATORS)) {
      const a = firstAsset(victim);
      await refused(attacker, 'PUT', '/agr/v1/assets', assetBody(a, { name: 'hijacked', maxProductionKw: 1 }), 404, 'TPS_NOT_FOUND', [
        a.assetId,
        a.cp,
        AREA[a.dso],
      ]);
      await refused(attacker, 'DELETE', `/agr/v1/assets?id=${a.assetId}`, undefined, 404, 'TPS_NOT_FOUND', [a.assetId]);
      // registering it again as one's own is for the TPS to refuse: the asset is another's
      await refused(attacker, 'POST', '/agr/v1/assets', assetBody(a, { name: 'hijacked' }), 422, 'TPS_REJECTED', [
        a.assetId,
        a.cp,
        AREA[a.dso],
      ]);
    }
  });

  it("does not let an AGR/BRP update or cancel another operator's schedule, or schedule its assets (404)", async () => {
    for (const [attacker, victim] of pairs(OPERATORS)) {
      const id = one(holdings[victim].scheduleIds, `schedule of ${victim}`);
      await refused(attacker, 'PUT', `/agr/v1/schedules/${id}`, scheduleBody(assetsOf(attacker), 9), 404, 'TPS_NOT_FOUND', [id]);
      await refused(attacker, 'DELETE', `/agr/v1/schedules/${id}`, undefined, 404, 'TPS_NOT_FOUND', [id]);
      const a = firstAsset(victim);
      await refused(attacker, 'POST', '/agr/v1/schedules', scheduleBody([a], 9), 404, 'TPS_NOT_FOUND', [a.assetId]);
    }
  });

  it("does not let a DSO move, remove or take over another DSO's connection points (404, 422)", async () => {
    for (const [attacker, victim] of pairs(DSOS)) {
      const cp = SPARE_CP[victim];
      const used = one(
        assetsOn(victim).map((a) => a.cp),
        `connection point of ${victim}`,
      );
      for (const c of [cp, used]) {
        await refused(
          attacker,
          'PUT',
          '/dso/v1/connection-points',
          { connectionPoint: c, gridArea: AREA[attacker] },
          404,
          'TPS_NOT_FOUND',
          [c, AREA[attacker]],
        );
        await refused(attacker, 'DELETE', `/dso/v1/connection-points?id=${c}`, undefined, 404, 'TPS_NOT_FOUND', [c]);
      }
      // adding it to one's own grid area is for the TPS to refuse: it lies in another grid area
      await refused(attacker, 'POST', '/dso/v1/connection-points', { connectionPoint: cp, gridArea: AREA[attacker] }, 422, 'TPS_REJECTED', [
        cp,
        AREA[attacker],
      ]);
    }
  });

  it("does not let a DSO update or cancel another DSO's capacity limit, or limit assets on another grid (404)", async () => {
    for (const [attacker, victim] of pairs(DSOS)) {
      const id = one(holdings[victim].limitIds, `limit of ${victim}`);
      await refused(attacker, 'PUT', `/dso/v1/capacity-limits/${id}`, limitBody(attacker, { availableKw: 1 }), 404, 'TPS_NOT_FOUND', [id]);
      await refused(attacker, 'DELETE', `/dso/v1/capacity-limits/${id}`, undefined, 404, 'TPS_NOT_FOUND', [id]);
      const theirs = assetsOn(victim).map((a) => a.assetId);
      await refused(
        attacker,
        'POST',
        '/dso/v1/capacity-limits',
        { kind: 'foreseen', direction: 'production', start: at(16), end: at(17), assets: theirs, availableKw: 1 },
        404,
        'TPS_NOT_FOUND',
        theirs,
      );
    }
  });

  it("leaves every party's data as it was after all the refused writes, and reports no change in any feed", async () => {
    await net.settled();
    assert.deepEqual(await snapshot(), before0);
    for (const op of OPERATORS)
      assert.deepEqual((await ok(op, 'GET', '/agr/v1/capacity-limits/wait?timeout=0')).body.limits, [], `${op}: no new share`);
    for (const d of DSOS) {
      assert.deepEqual((await ok(d, 'GET', '/dso/v1/assets/changes?timeout=0')).body.assets, [], `${d}: no asset changed`);
      assert.deepEqual((await ok(d, 'GET', '/dso/v1/schedules/wait?timeout=0')).body.schedules, [], `${d}: no schedule changed`);
    }
  });

  it("never shows a DSO an AGR/BRP party code or an operator's asset name, in any /dso/v1 answer (reads, writes, refusals)", () => {
    const forbidden = [
      ...OPERATORS.flatMap((op) => {
        const p = net.parties[op];
        return [p.code, p.name, ...(p.endpointCode ? [p.endpointCode] : [])];
      }),
      ...ASSETS.map((a) => a.name),
    ];
    const dsoAnswers = exchanges.filter((e) => isDso(e.caller) && e.path.startsWith('/dso/v1/'));
    assert.ok(dsoAnswers.length > 50, `${dsoAnswers.length} DSO answers`);
    assert.ok(
      dsoAnswers.some((e) => e.method !== 'GET' && e.status === 200),
      'the accepted DSO writes of the setup are among them',
    );
    const leaks = dsoAnswers.flatMap((e) =>
      forbidden.filter((f) => e.text.includes(f)).map((f) => `${e.caller} ${e.method} ${e.path} → ${e.status} shows ${f}`),
    );
    assert.deepEqual(leaks, []);
  });
});
