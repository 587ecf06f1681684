/**
 * Capacity limits on the AGR/BRP backend (F7; raml/tps.raml): the shares of the party's own
 * assets the TPS sent — by window, those not yet expired, and a long poll that returns what is
 * new since the party's last call (or an empty list at the timeout).
 */
import type { Router } from 'express';
import { handler, scopeOfRequest } from '../auth.js';
import { shareJson } from '../limit-json.js';
import { activeLimits, listLimits, takeLimitChanges } from '../limit-store.js';
import { timeoutOf, windowOf } from '../query.js';
import { limitFeedSignal } from './kinds.js';
import type { AgrRoutesDeps } from './routes.js';

export function registerAgrLimitRoutes(r: Router, deps: AgrRoutesDeps): void {
  r.get(
    '/agr/v1/capacity-limits',
    handler(async (req, res) => {
      const { from, to } = windowOf(req.query);
      res.json({ limits: (await listLimits(deps.db, 'agr_limits', scopeOfRequest(res), from, to)).map(shareJson) });
    }),
  );
  r.get(
    '/agr/v1/capacity-limits/active',
    handler(async (_req, res) => {
      res.json({ limits: (await activeLimits(deps.db, 'agr_limits', scopeOfRequest(res), deps.clock.now())).map(shareJson) });
    }),
  );
  r.get(
    '/agr/v1/capacity-limits/wait',
    handler(async (req, res) => {
      const scope = scopeOfRequest(res);
      const timeout = timeoutOf(req.query.timeout);
      const found = await deps.signals.until(limitFeedSignal(scope.party), timeout, async () => {
        const changes = await takeLimitChanges(deps.db, scope);
        return changes.length ? changes : undefined;
      });
      res.json({ limits: (found ?? []).map(shareJson) });
    }),
  );
}
