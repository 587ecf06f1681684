/**
 * The TPS's operational schedules (migration 0008): the revision in force of each schedule
 * document, with its operator, and one series per asset with the DSO whose grid it is on.
 */
import type { Queryable } from '../shared/sql.js';
import type { Schedule } from './profile/schedules.js';

export interface StoredSchedule {
  readonly mRID: string;
  readonly operator: string;
  readonly revision: number;
  readonly cancelled: boolean;
}

/** The schedule with this mRID, locked for the change that reads it. */
export async function scheduleHeader(db: Queryable, mRID: string): Promise<StoredSchedule | undefined> {
  const { rows } = await db.query<{ document_mrid: string; operator_code: string; revision: number; cancelled: boolean }>(
    'select document_mrid, operator_code, revision, cancelled from tps_schedules where document_mrid = $1 for update',
    [mRID],
  );
  const r = rows[0];
  return r ? { mRID: r.document_mrid, operator: r.operator_code, revision: r.revision, cancelled: r.cancelled } : undefined;
}

/** The assets of a schedule per DSO, as stored (the revision before the one being applied). */
export async function scheduleSeriesByDso(db: Queryable, mRID: string): Promise<Map<string, { assetId: string; points: string[] }[]>> {
  const { rows } = await db.query<{ asset_id: string; dso_code: string; points_kw: string[] }>(
    'select asset_id, dso_code, points_kw::text[] as points_kw from tps_schedule_series where document_mrid = $1 order by asset_id',
    [mRID],
  );
  const out = new Map<string, { assetId: string; points: string[] }[]>();
  for (const r of rows) out.set(r.dso_code, [...(out.get(r.dso_code) ?? []), { assetId: r.asset_id, points: r.points_kw }]);
  return out;
}

/** Stores a revision: the header, and its series (each with the DSO of the asset's grid) replacing the previous ones. */
export async function saveSchedule(db: Queryable, operator: string, s: Schedule, dsoOf: ReadonlyMap<string, string>): Promise<void> {
  await db.query(
    `insert into tps_schedules (document_mrid, operator_code, revision, process_type, period_start, period_end, resolution, cancelled)
     values ($1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (document_mrid) do update set revision = excluded.revision, process_type = excluded.process_type,
       period_start = excluded.period_start, period_end = excluded.period_end, resolution = excluded.resolution,
       cancelled = excluded.cancelled, received_at = now()`,
    [s.mRID, operator, s.revision, s.processType, s.start, s.end, s.resolution, s.cancelled],
  );
  await db.query('delete from tps_schedule_series where document_mrid = $1', [s.mRID]);
  if (s.cancelled || s.series.length === 0) return;
  await db.query(
    `insert into tps_schedule_series (document_mrid, asset_id, dso_code, points_kw)
     select $1, x.asset_id, x.dso, array(select jsonb_array_elements_text(x.points))::numeric[]
       from jsonb_to_recordset($2::jsonb) as x(asset_id text, dso text, points jsonb)`,
    [s.mRID, JSON.stringify(s.series.map((x) => ({ asset_id: x.assetId, dso: dsoOf.get(x.assetId), points: x.points })))],
  );
}

/** Of the given assets, those `operator` operates now, with the DSO of their grid. */
export async function operatedAssets(db: Queryable, operator: string, ids: readonly string[]): Promise<Map<string, string>> {
  const { rows } = await db.query<{ asset_id: string; dso_code: string }>(
    `select a.asset_id, g.dso_code from tps_assets a join tps_grid_areas g on g.area_code = a.area_code
      where a.operator_code = $1 and a.asset_id = any($2::text[])`,
    [operator, ids],
  );
  return new Map(rows.map((r) => [r.asset_id, r.dso_code]));
}
