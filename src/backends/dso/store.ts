/**
 * The DSO backend's store: the DSO's connection points, and the assets on its grid as the TPS told
 * it — asset ID, connection point, technology, power; there is no operator column to leak (NF3).
 * Every function takes the caller's scope and names its party in the query.
 */
import { advanceCursor, afterCursor } from '../cursors.js';
import type { Queryable } from '../../shared/sql.js';
import type { AssetRecord } from '../../tps/profile/assets.js';
import type { GridAreaList } from '../../tps/profile/connection-points.js';
import { TECHNOLOGIES, technologyOf, type Technology } from '../../tps/profile/technologies.js';
import type { PartyScope } from '../scope.js';

export interface ConnectionPoint {
  readonly connectionPoint: string;
  readonly gridArea: string;
}

export async function listConnectionPoints(db: Queryable, scope: PartyScope, ids?: readonly string[]): Promise<ConnectionPoint[]> {
  const { rows } = await db.query<{ cp_id: string; area_code: string }>(
    'select cp_id, area_code from dso_connection_points where party_code = $1 and ($2::text[] is null or cp_id = any($2::text[])) order by area_code, cp_id',
    [scope.party, ids ?? null],
  );
  return rows.map((r) => ({ connectionPoint: r.cp_id, gridArea: r.area_code }));
}

/** Replaces the lists of the given areas (what the TPS accepted). */
export async function replaceLists(db: Queryable, scope: PartyScope, lists: readonly GridAreaList[]): Promise<void> {
  // every area first, then the new lists: a connection point moving between two of them is moved
  for (const l of lists)
    await db.query('delete from dso_connection_points where party_code = $1 and area_code = $2', [scope.party, l.gridArea]);
  for (const l of lists) {
    if (l.connectionPoints.length)
      await db.query('insert into dso_connection_points (party_code, cp_id, area_code) select $1, unnest($2::text[]), $3', [
        scope.party,
        l.connectionPoints,
        l.gridArea,
      ]);
  }
}

/** An asset as a DSO sees it. */
export interface DsoAsset {
  readonly assetId: string;
  readonly connectionPoint: string;
  readonly gridArea: string;
  readonly technology: Technology;
  readonly maxProductionKw?: string;
  readonly maxConsumptionKw?: string;
  readonly validFrom: string;
  /** Only in change feeds: the asset left the grid (or the platform). */
  readonly removed?: boolean;
}

interface AssetRow {
  asset_id: string;
  cp_id: string;
  area_code: string | null;
  psr_type: string;
  max_production_kw: string | null;
  max_consumption_kw: string | null;
  valid_from: string | Date;
  removed: boolean;
  change_seq: string;
}

const toAsset = (r: AssetRow, withRemoved: boolean): DsoAsset => ({
  assetId: r.asset_id,
  connectionPoint: r.cp_id,
  gridArea: r.area_code ?? '',
  technology: technologyOf(r.psr_type),
  ...(r.max_production_kw !== null ? { maxProductionKw: String(r.max_production_kw) } : {}),
  ...(r.max_consumption_kw !== null ? { maxConsumptionKw: String(r.max_consumption_kw) } : {}),
  validFrom: typeof r.valid_from === 'string' ? r.valid_from.slice(0, 10) : r.valid_from.toISOString().slice(0, 10),
  ...(withRemoved && r.removed ? { removed: true } : {}),
});

export async function listAssets(db: Queryable, scope: PartyScope): Promise<DsoAsset[]> {
  const { rows } = await db.query<AssetRow>('select * from dso_assets where party_code = $1 and not removed order by asset_id', [
    scope.party,
  ]);
  return rows.map((r) => toAsset(r, false));
}

/** Applies a change the TPS sent: created/modified assets upserted, deactivated ones marked removed; each gets a new change number. */
export async function applyAssetChanges(db: Queryable, scope: PartyScope, assets: readonly AssetRecord[], removed: boolean): Promise<void> {
  if (assets.length === 0) return;
  await db.query(
    `insert into dso_assets (party_code, asset_id, coding_scheme, cp_id, area_code, psr_type, max_production_kw, max_consumption_kw, valid_from, removed)
     select $1, *, $10 from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::numeric[], $8::numeric[], $9::date[])
     on conflict (party_code, asset_id) do update set coding_scheme = excluded.coding_scheme, cp_id = excluded.cp_id, area_code = excluded.area_code,
       psr_type = excluded.psr_type, max_production_kw = excluded.max_production_kw, max_consumption_kw = excluded.max_consumption_kw,
       valid_from = excluded.valid_from, removed = excluded.removed, change_seq = nextval('dso_asset_changes')`,
    [
      scope.party,
      assets.map((a) => a.assetId),
      assets.map((a) => a.codingScheme),
      assets.map((a) => a.connectionPoint),
      assets.map((a) => a.gridArea || null),
      assets.map((a) => TECHNOLOGIES[a.technology]),
      assets.map((a) => a.maxProductionKw ?? null),
      assets.map((a) => a.maxConsumptionKw ?? null),
      assets.map((a) => a.validFrom),
      removed,
    ],
  );
}

/** A full list from the TPS (A39): what is not in it is removed. */
export async function synchroniseAssets(db: Queryable, scope: PartyScope, assets: readonly AssetRecord[]): Promise<void> {
  await db.query(
    `update dso_assets set removed = true, change_seq = nextval('dso_asset_changes')
      where party_code = $1 and not removed and not (asset_id = any($2::text[]))`,
    [scope.party, assets.map((a) => a.assetId)],
  );
  await applyAssetChanges(db, scope, assets, false);
}

/** Changes after the party's cursor for `feed`; advances the cursor past what it returns. */
export async function takeAssetChanges(db: Queryable, scope: PartyScope, limit = 10_000): Promise<DsoAsset[]> {
  const { rows } = await db.query<AssetRow>(
    `select * from dso_assets where party_code = $1
        and ${afterCursor('assets')}
      order by change_seq limit $2`,
    [scope.party, limit],
  );
  await advanceCursor(db, scope, 'assets', rows.at(-1)?.change_seq);
  return rows.map((r) => toAsset(r, true));
}
