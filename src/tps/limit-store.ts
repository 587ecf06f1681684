/**
 * The TPS's capacity limits (migration 0009): the revision in force of each DSO limit, with the
 * policy and totals, and one share per affected asset with its operator; plus what the
 * fairness filter needs to know of the assets (capacity, scheduled use).
 */
import { parseResolution } from '../iec62325/index.js';
import type { Queryable } from '../shared/sql.js';
import type { CapacityLimit, Direction } from './profile/capacity-limits.js';

export interface StoredLimit {
  readonly mRID: string;
  readonly dso: string;
  readonly revision: number;
  readonly cancelled: boolean;
}

export async function limitHeader(db: Queryable, mRID: string): Promise<StoredLimit | undefined> {
  const { rows } = await db.query<{ document_mrid: string; dso_code: string; revision: number; cancelled: boolean }>(
    'select document_mrid, dso_code, revision, cancelled from tps_limits where document_mrid = $1 for update',
    [mRID],
  );
  const r = rows[0];
  return r ? { mRID: r.document_mrid, dso: r.dso_code, revision: r.revision, cancelled: r.cancelled } : undefined;
}

/** The affected assets as the filter sees them: operator, DSO, capacity in the direction (W). */
export interface AffectedAsset {
  readonly assetId: string;
  readonly codingScheme: string;
  readonly connectionPoint: string;
  readonly operator: string;
  readonly dso: string;
  readonly capacityW: number;
}

export async function affectedAssets(db: Queryable, ids: readonly string[], direction: Direction): Promise<Map<string, AffectedAsset>> {
  const column = direction === 'production' ? 'max_production_kw' : 'max_consumption_kw';
  const { rows } = await db.query<{
    asset_id: string;
    coding_scheme: string;
    cp_id: string;
    operator_code: string;
    dso_code: string;
    cap: string | null;
  }>(
    `select a.asset_id, a.coding_scheme, a.cp_id, a.operator_code, g.dso_code, floor(coalesce(a.${column}, 0) * 1000)::bigint::text as cap
       from tps_assets a join tps_grid_areas g on g.area_code = a.area_code where a.asset_id = any($1::text[])`,
    [ids],
  );
  return new Map(
    rows.map((r) => [
      r.asset_id,
      {
        assetId: r.asset_id,
        codingScheme: r.coding_scheme,
        connectionPoint: r.cp_id,
        operator: r.operator_code,
        dso: r.dso_code,
        capacityW: Number(r.cap ?? 0),
      },
    ]),
  );
}

/**
 * Scheduled use of each asset in the direction, in W, per PT15M position of [start, end): from the
 * schedules in force (the most recently received one wins where several cover a position);
 * undefined where no schedule covers it.
 */
export async function scheduledUse(
  db: Queryable,
  ids: readonly string[],
  direction: Direction,
  start: Date,
  positions: number,
): Promise<Map<string, (number | undefined)[]>> {
  const end = new Date(start.getTime() + positions * 15 * 60_000);
  const { rows } = await db.query<{ asset_id: string; period_start: Date | string; resolution: string; points_kw: string[] }>(
    `select x.asset_id, s.period_start, s.resolution, x.points_kw::text[] as points_kw
       from tps_schedule_series x join tps_schedules s on s.document_mrid = x.document_mrid
      where x.asset_id = any($1::text[]) and not s.cancelled and s.period_start < $3 and s.period_end > $2
      order by s.received_at`,
    [ids, start.toISOString(), end.toISOString()],
  );
  const out = new Map<string, (number | undefined)[]>();
  for (const r of rows) {
    const res = parseResolution(r.resolution);
    if (res.kind !== 'fixed') continue;
    const step = res.minutes * 60_000;
    const from = new Date(r.period_start).getTime();
    const values = out.get(r.asset_id) ?? new Array<number | undefined>(positions).fill(undefined);
    for (let p = 0; p < positions; p++) {
      const i = Math.floor((start.getTime() + p * 15 * 60_000 - from) / step);
      const kw = i >= 0 && i < r.points_kw.length ? Number(r.points_kw[i]) : undefined;
      if (kw === undefined) continue;
      const use = direction === 'production' ? Math.max(kw, 0) : Math.max(-kw, 0);
      values[p] = Math.round(use * 1000);
    }
    out.set(r.asset_id, values);
  }
  return out;
}

export async function saveLimit(
  db: Queryable,
  dso: string,
  limit: CapacityLimit,
  policy: string,
  shares: readonly { assetId: string; operator: string; sharesKw?: readonly string[] }[],
): Promise<void> {
  await db.query(
    `insert into tps_limits (document_mrid, dso_code, revision, kind, direction, period_start, period_end, action, cancelled, policy, limit_body)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     on conflict (document_mrid) do update set revision = excluded.revision, kind = excluded.kind, direction = excluded.direction,
       period_start = excluded.period_start, period_end = excluded.period_end, action = excluded.action, cancelled = excluded.cancelled,
       policy = excluded.policy, limit_body = excluded.limit_body, received_at = now()`,
    [
      limit.mRID,
      dso,
      limit.revision,
      limit.kind,
      limit.direction,
      limit.start,
      limit.end,
      limit.action ?? null,
      limit.cancelled,
      policy,
      JSON.stringify(limit),
    ],
  );
  await db.query('delete from tps_limit_shares where document_mrid = $1', [limit.mRID]);
  if (shares.length === 0) return;
  await db.query(
    `insert into tps_limit_shares (document_mrid, asset_id, operator_code, shares_kw)
     select $1, x.asset_id, x.operator, case when x.shares is null then null else array(select jsonb_array_elements_text(x.shares))::numeric[] end
       from jsonb_to_recordset($2::jsonb) as x(asset_id text, operator text, shares jsonb)`,
    [limit.mRID, JSON.stringify(shares.map((s) => ({ asset_id: s.assetId, operator: s.operator, shares: s.sharesKw ?? null })))],
  );
}

/** The operators and their assets in the revision in force (before the one being applied). */
export async function limitAssetsByOperator(db: Queryable, mRID: string): Promise<Map<string, string[]>> {
  const { rows } = await db.query<{ asset_id: string; operator_code: string }>(
    'select asset_id, operator_code from tps_limit_shares where document_mrid = $1 order by asset_id',
    [mRID],
  );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.operator_code, [...(out.get(r.operator_code) ?? []), r.asset_id]);
  return out;
}
