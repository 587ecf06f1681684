/**
 * The AGR/BRP backend's store: the party's assets as the TPS accepted them. Every function takes
 * the caller's scope and names its party in the query (src/backends/scope.ts).
 */
import type { Queryable } from '../../shared/sql.js';
import type { AssetRecord } from '../../tps/profile/assets.js';
import { TECHNOLOGIES, technologyOf } from '../../tps/profile/technologies.js';
import type { PartyScope } from '../scope.js';

interface Row {
  asset_id: string;
  coding_scheme: string;
  cp_id: string;
  area_code: string | null;
  name: string | null;
  psr_type: string;
  max_production_kw: string | null;
  max_consumption_kw: string | null;
  valid_from: string | Date;
  party_code: string;
}

const toAsset = (r: Row): AssetRecord => ({
  assetId: r.asset_id,
  codingScheme: r.coding_scheme,
  connectionPoint: r.cp_id,
  gridArea: r.area_code ?? '',
  technology: technologyOf(r.psr_type),
  ...(r.name !== null ? { name: r.name } : {}),
  ...(r.max_production_kw !== null ? { maxProductionKw: String(r.max_production_kw) } : {}),
  ...(r.max_consumption_kw !== null ? { maxConsumptionKw: String(r.max_consumption_kw) } : {}),
  validFrom: typeof r.valid_from === 'string' ? r.valid_from.slice(0, 10) : r.valid_from.toISOString().slice(0, 10),
  operator: r.party_code,
});

/** The party's assets; `ids` narrows to those (unknown ones are simply absent). */
export async function listAssets(db: Queryable, scope: PartyScope, ids?: readonly string[]): Promise<AssetRecord[]> {
  const { rows } = await db.query<Row>(
    'select * from agr_assets where party_code = $1 and ($2::text[] is null or asset_id = any($2::text[])) order by asset_id',
    [scope.party, ids ?? null],
  );
  return rows.map(toAsset);
}

export async function upsertAssets(db: Queryable, scope: PartyScope, assets: readonly AssetRecord[]): Promise<void> {
  if (assets.length === 0) return;
  await db.query(
    `insert into agr_assets (party_code, asset_id, coding_scheme, cp_id, area_code, name, psr_type, max_production_kw, max_consumption_kw, valid_from)
     select $1, * from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::numeric[], $9::numeric[], $10::date[])
     on conflict (party_code, asset_id) do update set coding_scheme = excluded.coding_scheme, cp_id = excluded.cp_id, area_code = excluded.area_code,
       name = excluded.name, psr_type = excluded.psr_type, max_production_kw = excluded.max_production_kw,
       max_consumption_kw = excluded.max_consumption_kw, valid_from = excluded.valid_from, updated_at = now()`,
    [
      scope.party,
      assets.map((a) => a.assetId),
      assets.map((a) => a.codingScheme),
      assets.map((a) => a.connectionPoint),
      assets.map((a) => a.gridArea || null),
      assets.map((a) => a.name ?? null),
      assets.map((a) => TECHNOLOGIES[a.technology]),
      assets.map((a) => a.maxProductionKw ?? null),
      assets.map((a) => a.maxConsumptionKw ?? null),
      assets.map((a) => a.validFrom),
    ],
  );
}

export async function deleteAssets(db: Queryable, scope: PartyScope, ids: readonly string[]): Promise<void> {
  await db.query('delete from agr_assets where party_code = $1 and asset_id = any($2::text[])', [scope.party, ids]);
}
