/**
 * The DSO backend's side of its endpoint's inbox: an accepted connection-point request replaces
 * the lists in the DSO's store; a Configuration from the TPS (the assets on the DSO's grid,
 * without operators) updates the asset list and wakes the DSO's long polls.
 */
import type { Reason } from '../../iec62325/index.js';
import { ASSET_PROCESS, configurationToAssets } from '../../tps/profile/assets.js';
import type { GridAreaList } from '../../tps/profile/connection-points.js';
import type { Applier, DocumentHandler } from '../party-inbox.js';
import type { Signals } from '../signals.js';
import { assetFeedSignal, DSO_KINDS, LIMIT_KINDS, scheduleFeedSignal } from './kinds.js';
import { saveLimit } from '../limit-store.js';
import type { CapacityLimit } from '../../tps/profile/capacity-limits.js';
import { applyAssetChanges, replaceLists, synchroniseAssets } from './store.js';
import { applySchedule } from './schedule-store.js';
import { glToSchedule } from '../../tps/profile/schedules.js';

const applyLimit: Applier = async (tx, scope, body) => {
  await saveLimit(tx, 'dso_limits', scope, (body as { limit: CapacityLimit }).limit);
};

export const DSO_APPLIERS: Readonly<Record<string, Applier>> = {
  [LIMIT_KINDS.create]: applyLimit,
  [LIMIT_KINDS.update]: applyLimit,
  [LIMIT_KINDS.cancel]: applyLimit,
  [DSO_KINDS.connectionPoints]: (tx, scope, body) => replaceLists(tx, scope, (body as { lists: GridAreaList[] }).lists),
};

export function dsoDocuments(signals: Signals): { configuration: DocumentHandler; generationLoad: DocumentHandler } {
  return {
    async generationLoad(tx, scope, detected, afterCommit): Promise<Reason[]> {
      if (detected.kind !== 'generationLoad') return [{ code: 'A59', text: 'not a schedule document' }];
      const { schedule, problems } = glToSchedule(detected.document);
      if (problems.length) return problems.map((p) => ({ code: p.code, text: p.text }));
      if (!(await applySchedule(tx, scope, schedule)))
        return [{ code: 'A51', text: `revision ${schedule.revision} of ${schedule.mRID} is not newer than the one held` }];
      afterCommit(() => signals.notify(scheduleFeedSignal(scope.party)));
      return [];
    },
    async configuration(tx, scope, detected, afterCommit): Promise<Reason[]> {
      if (detected.kind !== 'configuration') return [{ code: 'A59', text: 'not a configuration document' }];
      const doc = detected.document;
      const read = configurationToAssets(doc);
      if (read.problems.length) return read.problems.map((p) => ({ code: p.code, text: p.text }));
      if (doc.processType === ASSET_PROCESS.synchronise) await synchroniseAssets(tx, scope, read.assets);
      else if (doc.processType === ASSET_PROCESS.deactivate) await applyAssetChanges(tx, scope, read.assets, true);
      else if (doc.processType === ASSET_PROCESS.create || doc.processType === ASSET_PROCESS.modify)
        await applyAssetChanges(tx, scope, read.assets, false);
      else return [{ code: 'A79', text: `process type ${doc.processType} is not an asset change` }];
      afterCommit(() => signals.notify(assetFeedSignal(scope.party)));
      return [];
    },
  };
}
