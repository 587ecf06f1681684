/**
 * The AGR/BRP backend's side of its endpoint's inbox: what an accepted request changes in the
 * party's store. (Capacity-limit shares from the TPS arrive here too, with the limits issue.)
 */
import type { AssetRecord } from '../../tps/profile/assets.js';
import type { Applier } from '../party-inbox.js';
import { AGR_KINDS, SCHEDULE_KINDS } from './kinds.js';
import { deleteAssets, upsertAssets } from './store.js';
import { saveSchedule } from './schedule-store.js';
import type { Schedule } from '../../tps/profile/schedules.js';

const assetsOf = (body: unknown): AssetRecord[] => (body as { assets: AssetRecord[] }).assets;

const applySchedule: Applier = (tx, scope, body) => saveSchedule(tx, scope, (body as { schedule: Schedule }).schedule);

export const AGR_APPLIERS: Readonly<Record<string, Applier>> = {
  [SCHEDULE_KINDS.create]: applySchedule,
  [SCHEDULE_KINDS.update]: applySchedule,
  [SCHEDULE_KINDS.cancel]: applySchedule,
  [AGR_KINDS.create]: (tx, scope, body) => upsertAssets(tx, scope, assetsOf(body)),
  [AGR_KINDS.modify]: (tx, scope, body) => upsertAssets(tx, scope, assetsOf(body)),
  [AGR_KINDS.deactivate]: (tx, scope, body) =>
    deleteAssets(
      tx,
      scope,
      assetsOf(body).map((a) => a.assetId),
    ),
};
