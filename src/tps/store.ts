/**
 * The TPS backend's static information (migration 0007): grid areas and connection points of each
 * DSO, and the asset catalogue with operators. Only the TPS backend reads these tables; what a
 * party sees leaves through documents built for that party alone.
 */
import type { Queryable } from '../shared/sql.js';
import type { AssetRecord } from './profile/assets.js';
import { technologyOf } from './profile/technologies.js';
import { TECHNOLOGIES } from './profile/technologies.js';

export interface TpsAsset extends AssetRecord {
  readonly dso: string;
}

interface AssetRow {
  asset_id: string;
  coding_scheme: string;
  operator_code: string;
  cp_id: string;
  area_code: string;
  name: string | null;
  psr_type: string;
  max_production_kw: string | null;
  max_consumption_kw: string | null;
  valid_from: string | Date;
  dso_code: string;
}

const dateOf = (d: string | Date): string => (typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10));

const toAsset = (r: AssetRow): TpsAsset => ({
  assetId: r.asset_id,
  codingScheme: r.coding_scheme,
  connectionPoint: r.cp_id,
  gridArea: r.area_code,
  technology: technologyOf(r.psr_type),
  ...(r.name !== null ? { name: r.name } : {}),
  ...(r.max_production_kw !== null ? { maxProductionKw: String(r.max_production_kw) } : {}),
  ...(r.max_consumption_kw !== null ? { maxConsumptionKw: String(r.max_consumption_kw) } : {}),
  validFrom: dateOf(r.valid_from),
  operator: r.operator_code,
  dso: r.dso_code,
});

const ASSET_SELECT = `select a.*, g.dso_code from tps_assets a join tps_grid_areas g on g.area_code = a.area_code`;

export async function assetsById(db: Queryable, ids: readonly string[]): Promise<Map<string, TpsAsset>> {
  const { rows } = await db.query<AssetRow>(`${ASSET_SELECT} where a.asset_id = any($1::text[]) for update of a`, [ids]);
  return new Map(rows.map((r) => [r.asset_id, toAsset(r)]));
}

export async function assetsOfDso(db: Queryable, dso: string): Promise<TpsAsset[]> {
  const { rows } = await db.query<AssetRow>(`${ASSET_SELECT} where g.dso_code = $1 order by a.asset_id`, [dso]);
  return rows.map(toAsset);
}

export async function upsertAssets(db: Queryable, assets: readonly AssetRecord[]): Promise<void> {
  if (assets.length === 0) return;
  await db.query(
    `insert into tps_assets (asset_id, coding_scheme, operator_code, cp_id, area_code, name, psr_type, max_production_kw, max_consumption_kw, valid_from)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::numeric[], $9::numeric[], $10::date[])
     on conflict (asset_id) do update set coding_scheme = excluded.coding_scheme, operator_code = excluded.operator_code, cp_id = excluded.cp_id,
       area_code = excluded.area_code, name = excluded.name, psr_type = excluded.psr_type, max_production_kw = excluded.max_production_kw,
       max_consumption_kw = excluded.max_consumption_kw, valid_from = excluded.valid_from, updated_at = now()`,
    [
      assets.map((a) => a.assetId),
      assets.map((a) => a.codingScheme),
      assets.map((a) => a.operator),
      assets.map((a) => a.connectionPoint),
      assets.map((a) => a.gridArea),
      assets.map((a) => a.name ?? null),
      assets.map((a) => TECHNOLOGIES[a.technology]),
      assets.map((a) => a.maxProductionKw ?? null),
      assets.map((a) => a.maxConsumptionKw ?? null),
      assets.map((a) => a.validFrom),
    ],
  );
}

export async function deleteAssets(db: Queryable, ids: readonly string[]): Promise<void> {
  if (ids.length) await db.query('delete from tps_assets where asset_id = any($1::text[])', [ids]);
}

export interface ConnectionPointInfo {
  readonly cpId: string;
  readonly gridArea: string;
  readonly dso: string;
}

export async function connectionPoints(db: Queryable, ids: readonly string[]): Promise<Map<string, ConnectionPointInfo>> {
  const { rows } = await db.query<{ cp_id: string; area_code: string; dso_code: string }>(
    `select c.cp_id, c.area_code, g.dso_code from tps_connection_points c join tps_grid_areas g on g.area_code = c.area_code where c.cp_id = any($1::text[])`,
    [ids],
  );
  return new Map(rows.map((r) => [r.cp_id, { cpId: r.cp_id, gridArea: r.area_code, dso: r.dso_code }]));
}

export interface GridArea {
  readonly code: string;
  readonly dso: string;
  readonly lastDocument: string;
}

/** The areas, locked for the change that reads them. */
export async function gridAreas(db: Queryable, codes: readonly string[]): Promise<Map<string, GridArea>> {
  const { rows } = await db.query<{ area_code: string; dso_code: string; last_document: Date | string }>(
    'select * from tps_grid_areas where area_code = any($1::text[]) for update',
    [codes],
  );
  return new Map(
    rows.map((r) => [r.area_code, { code: r.area_code, dso: r.dso_code, lastDocument: new Date(r.last_document).toISOString() }]),
  );
}

export async function connectionPointsOfAreas(db: Queryable, areas: readonly string[]): Promise<{ cpId: string; gridArea: string }[]> {
  const { rows } = await db.query<{ cp_id: string; area_code: string }>(
    'select * from tps_connection_points where area_code = any($1::text[])',
    [areas],
  );
  return rows.map((r) => ({ cpId: r.cp_id, gridArea: r.area_code }));
}

/** Connection points (of the given ones) that carry registered assets. */
export async function connectionPointsWithAssets(db: Queryable, cps: readonly string[]): Promise<Set<string>> {
  const { rows } = await db.query<{ cp_id: string }>('select distinct cp_id from tps_assets where cp_id = any($1::text[])', [cps]);
  return new Set(rows.map((r) => r.cp_id));
}

/**
 * Replaces the lists of grid areas (creating an area for the DSO on its first list): first every
 * area drops what its new list lacks, then the new lists are written, so a connection point that
 * moves between two of the areas in one document is moved, never lost.
 */
export async function replaceAreaLists(
  db: Queryable,
  dso: string,
  documentTime: string,
  lists: readonly { readonly gridArea: string; readonly connectionPoints: readonly string[] }[],
): Promise<void> {
  for (const l of lists) {
    await db.query(
      `insert into tps_grid_areas (area_code, dso_code, last_document) values ($1, $2, $3)
       on conflict (area_code) do update set last_document = excluded.last_document`,
      [l.gridArea, dso, documentTime],
    );
    await db.query('delete from tps_connection_points where area_code = $1 and not (cp_id = any($2::text[]))', [
      l.gridArea,
      l.connectionPoints,
    ]);
  }
  for (const l of lists) {
    await db.query(
      'insert into tps_connection_points (cp_id, area_code) select unnest($2::text[]), $1 on conflict (cp_id) do update set area_code = excluded.area_code',
      [l.gridArea, l.connectionPoints],
    );
  }
}
