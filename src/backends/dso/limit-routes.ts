/**
 * Capacity limits on the DSO backend (F6; raml/tps.raml): send (POST), update (PUT, the next
 * revision), cancel (DELETE), and read the DSO's own. Each write is one
 * Unavailability_MarketDocument to the TPS, which divides it fairly and tells each operator of an
 * affected asset its share — the DSO never learns who they are.
 */
import { randomUUID } from 'node:crypto';
import type { Router } from 'express';
import { buildUnavailability } from '../../iec62325/index.js';
import { participantOf } from '../../parties/participant.js';
import { getParty } from '../../parties/registry.js';
import { HubError } from '../../shared/errors.js';
import { limitToUnavailability, type CapacityLimit } from '../../tps/profile/capacity-limits.js';
import { assetCodingScheme } from '../../tps/profile/assets.js';
import type { ItemProblem } from '../agr/asset-input.js';
import { handler, scopeOfRequest } from '../auth.js';
import { esmpTime, WIRE } from '../documents.js';
import { dsoLimitJson } from '../limit-json.js';
import { getLimit, listLimits } from '../limit-store.js';
import { invalidInput, windowOf } from '../query.js';
import type { PartyScope } from '../scope.js';
import { answerWrite, submit, waitOf } from '../submit.js';
import { LIMIT_KINDS } from './kinds.js';
import { readLimit, type LimitInput } from './limit-input.js';
import type { DsoRoutesDeps } from './routes.js';
import { listAssets } from './store.js';

export function registerLimitRoutes(r: Router, deps: DsoRoutesDeps): void {
  /** The input as a limit on the DSO's own assets (connection points expanded to the assets on them). */
  const limitOf = async (scope: PartyScope, input: LimitInput, mRID: string, revision: number): Promise<CapacityLimit> => {
    const mine = await listAssets(deps.db, scope);
    const byId = new Map(mine.map((a) => [a.assetId, a]));
    const unknown = input.assets.filter((id) => !byId.has(id));
    if (unknown.length)
      throw new HubError('TPS_NOT_FOUND', `no asset ${unknown.slice(0, 10).join(', ')} on your grid`, {
        problems: unknown.map((assetId) => ({ assetId, message: 'not an asset on your grid' })),
      });
    const onCps = mine.filter((a) => input.connectionPoints.includes(a.connectionPoint)).map((a) => a.assetId);
    const ids = [...new Set([...input.assets, ...onCps])].sort();
    if (ids.length === 0)
      throw invalidInput([
        {
          item: 0,
          field: 'connectionPoints',
          message: 'no asset is registered on these connection points: the limit would affect nothing',
        },
      ]);
    return {
      mRID,
      revision,
      kind: input.kind,
      direction: input.direction,
      start: input.start,
      end: input.end,
      ...(input.action ? { action: input.action } : {}),
      cause: input.cause,
      cancelled: false,
      ...(input.policy ? { policy: input.policy } : {}),
      ...(input.text ? { text: input.text } : {}),
      groups: [
        {
          assets: ids.map((id) => ({
            assetId: id,
            codingScheme: assetCodingScheme(id),
            connectionPoint: byId.get(id)?.connectionPoint as string,
          })),
          ...(input.availableKw ? { availableKw: input.availableKw } : {}),
        },
      ],
    };
  };

  const send = async (scope: PartyScope, limit: CapacityLimit, kind: string, waitMs: number) => {
    const me = await getParty(deps.db, scope.party);
    if (!me) throw new HubError('AUTH_FORBIDDEN');
    const doc = limitToUnavailability(limit, participantOf(me), participantOf(deps.tps), esmpTime(deps.clock.now()));
    return submit(
      deps,
      scope,
      me,
      {
        id: randomUUID(),
        document: { mRID: limit.mRID, revision: limit.revision },
        kind,
        body: { limit },
        businessType: 'Unavailability_MarketDocument',
        content: buildUnavailability(doc, WIRE),
      },
      waitMs,
    );
  };

  const input = (body: unknown): LimitInput => {
    const problems: ItemProblem[] = [];
    const l = readLimit(body, problems);
    if (!l) throw invalidInput(problems);
    return l;
  };

  const current = async (scope: PartyScope, id: string): Promise<CapacityLimit> => {
    const l = await getLimit(deps.db, 'dso_limits', scope, id);
    if (!l || l.cancelled) throw new HubError('TPS_NOT_FOUND', `you have no capacity limit ${id} in force`);
    return l;
  };

  r.post(
    '/dso/v1/capacity-limits',
    handler(async (req, res) => {
      const scope = scopeOfRequest(res);
      const limit = await limitOf(scope, input(req.body), randomUUID(), 1);
      const request = await send(scope, limit, LIMIT_KINDS.create, waitOf(req.query.wait, deps.ackWaitMs));
      answerWrite(res, request, { limit: dsoLimitJson(limit) }, { limitId: limit.mRID });
    }),
  );
  r.put(
    '/dso/v1/capacity-limits/:id',
    handler(async (req, res) => {
      const scope = scopeOfRequest(res);
      const was = await current(scope, String(req.params.id));
      const limit = await limitOf(scope, input(req.body), was.mRID, was.revision + 1);
      const request = await send(scope, limit, LIMIT_KINDS.update, waitOf(req.query.wait, deps.ackWaitMs));
      answerWrite(res, request, { limit: dsoLimitJson(limit) }, { limitId: limit.mRID });
    }),
  );
  r.delete(
    '/dso/v1/capacity-limits/:id',
    handler(async (req, res) => {
      const scope = scopeOfRequest(res);
      const was = await current(scope, String(req.params.id));
      const limit: CapacityLimit = { ...was, revision: was.revision + 1, cancelled: true };
      const request = await send(scope, limit, LIMIT_KINDS.cancel, waitOf(req.query.wait, deps.ackWaitMs));
      answerWrite(res, request, { limit: dsoLimitJson(limit) }, { limitId: limit.mRID });
    }),
  );
  r.get(
    '/dso/v1/capacity-limits',
    handler(async (req, res) => {
      const { from, to } = windowOf(req.query);
      res.json({ limits: (await listLimits(deps.db, 'dso_limits', scopeOfRequest(res), from, to)).map(dsoLimitJson) });
    }),
  );
  r.get(
    '/dso/v1/capacity-limits/:id',
    handler(async (req, res) => {
      const l = await getLimit(deps.db, 'dso_limits', scopeOfRequest(res), String(req.params.id));
      if (!l) throw new HubError('TPS_NOT_FOUND', `you have no capacity limit ${String(req.params.id)}`);
      res.json(dsoLimitJson(l));
    }),
  );
}
