/**
 * Documents the TPS sends an AGR/BRP: its share of a capacity limit (Unavailability, F6/F7),
 * kept when newer than what the party holds; the party's long polls wake once it is stored.
 */
import type { Reason } from '../../iec62325/index.js';
import { unavailabilityToLimit } from '../../tps/profile/capacity-limits.js';
import { saveLimit } from '../limit-store.js';
import type { DocumentHandler } from '../party-inbox.js';
import type { Signals } from '../signals.js';
import { limitFeedSignal } from './kinds.js';

export function agrDocuments(signals: Signals): { unavailability: DocumentHandler } {
  return {
    async unavailability(tx, scope, detected, afterCommit): Promise<Reason[]> {
      if (detected.kind !== 'unavailability') return [{ code: 'A59', text: 'not a capacity limit' }];
      const { limit, problems } = unavailabilityToLimit(detected.document);
      if (!limit) return problems.map((p) => ({ code: p.code, text: p.text }));
      if (!(await saveLimit(tx, 'agr_limits', scope, limit)))
        return [{ code: 'A51', text: `revision ${limit.revision} of ${limit.mRID} is not newer than the one held` }];
      afterCommit(() => signals.notify(limitFeedSignal(scope.party)));
      return [];
    },
  };
}
