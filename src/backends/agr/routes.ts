/**
 * The AGR/BRP backend's REST interface under /agr/v1 (raml/agr.raml; F2, F4): ping, and the
 * party's flexibility assets — register (POST), change (PUT), list (GET), remove (DELETE), one or
 * many per call. A write becomes one Configuration_MarketDocument (A36/A37/A38) from the party's
 * endpoint to the TPS; the answer follows the TPS's acknowledgement (src/backends/submit.ts).
 * Every query is scoped to the calling party.
 */
import { invalidInput, idsOf } from '../query.js';
import { esmpTime, WIRE } from '../documents.js';
import { randomUUID } from 'node:crypto';
import express, { Router } from 'express';
import { buildConfiguration } from '../../iec62325/index.js';
import { participantOf } from '../../parties/participant.js';
import type { Party } from '../../parties/registry.js';
import { getParty } from '../../parties/registry.js';
import type { TokenVerifier } from '../../parties/tokens.js';
import type { Clock } from '../../shared/clock.js';
import { HubError } from '../../shared/errors.js';
import { ASSET_PROCESS, assetsToConfiguration, type AssetProcess, type AssetRecord } from '../../tps/profile/assets.js';
import { handler, requireParty, scopeOfRequest } from '../auth.js';
import { getRequest } from '../requests.js';
import type { PartyScope } from '../scope.js';
import { answerWrite, requestJson, submit, waitOf, type SubmitDeps } from '../submit.js';
import { assetJson, readAssets, type ItemProblem } from './asset-input.js';
import { listAssets } from './store.js';
import { registerScheduleRoutes } from './schedule-routes.js';
import { registerAgrLimitRoutes } from './limit-routes.js';
import type { Signals } from '../signals.js';

export interface AgrRoutesDeps extends SubmitDeps {
  readonly tokens: TokenVerifier;
  readonly signals: Signals;
  readonly clock: Clock;
  readonly tps: Party;
  readonly jsonLimit?: string;
}

import { AGR_KINDS } from './kinds.js';

export function agrRouter(deps: AgrRoutesDeps): Router {
  const r = Router();
  r.get('/agr/v1/ping', (_req, res) => {
    res.type('text/plain').send('pong');
  });
  r.use('/agr/v1', requireParty(deps.tokens, ['AGR', 'BRP']), express.json({ limit: deps.jsonLimit ?? '20mb' }));

  const send = async (scope: PartyScope, process: AssetProcess, assets: readonly AssetRecord[], waitMs: number) => {
    const me = await getParty(deps.db, scope.party);
    if (!me) throw new HubError('AUTH_FORBIDDEN');
    const id = randomUUID();
    const doc = assetsToConfiguration({
      mRID: id,
      processType: process,
      sender: participantOf(me),
      receiver: participantOf(deps.tps),
      createdDateTime: esmpTime(deps.clock.now()),
      assets,
    });
    const kind =
      process === ASSET_PROCESS.create ? AGR_KINDS.create : process === ASSET_PROCESS.modify ? AGR_KINDS.modify : AGR_KINDS.deactivate;
    return submit(
      deps,
      scope,
      me,
      { id, kind, body: { assets }, businessType: 'Configuration_MarketDocument', content: buildConfiguration(doc, WIRE) },
      waitMs,
    );
  };

  const write = (process: AssetProcess) =>
    handler(async (req, res) => {
      const scope = scopeOfRequest(res);
      const waitMs = waitOf(req.query.wait, deps.ackWaitMs);
      const problems: ItemProblem[] = [];
      const assets = readAssets(req.body, scope.party, deps.clock.now(), problems);
      if (problems.length) throw invalidInput(problems);
      if (process === ASSET_PROCESS.modify) {
        const known = new Set(
          (
            await listAssets(
              deps.db,
              scope,
              assets.map((a) => a.assetId),
            )
          ).map((a) => a.assetId),
        );
        const unknown = assets.filter((a) => !known.has(a.assetId)).map((a) => a.assetId);
        if (unknown.length) throw notYours(unknown);
      }
      const request = await send(scope, process, assets, waitMs);
      answerWrite(res, request, { assets: assets.map(assetJson) });
    });

  r.post('/agr/v1/assets', write(ASSET_PROCESS.create));
  r.put('/agr/v1/assets', write(ASSET_PROCESS.modify));
  r.get(
    '/agr/v1/assets',
    handler(async (req, res) => {
      const assets = await listAssets(deps.db, scopeOfRequest(res), idsOf(req.query.id));
      res.json({ assets: assets.map(assetJson) });
    }),
  );
  r.delete(
    '/agr/v1/assets',
    handler(async (req, res) => {
      const scope = scopeOfRequest(res);
      const waitMs = waitOf(req.query.wait, deps.ackWaitMs);
      const body = req.body as { assetIds?: unknown } | undefined;
      const ids = idsOf(req.query.id) ?? (Array.isArray(body?.assetIds) ? body.assetIds.map(String) : undefined);
      if (!ids?.length) throw invalidInput([{ item: 0, field: 'id', message: 'name the assets: ?id=a,b or a body {"assetIds": [...]}' }]);
      const assets = await listAssets(deps.db, scope, ids);
      const missing = ids.filter((id) => !assets.some((a) => a.assetId === id));
      if (missing.length) throw notYours(missing);
      const request = await send(scope, ASSET_PROCESS.deactivate, assets, waitMs);
      answerWrite(res, request, { removed: ids });
    }),
  );
  registerScheduleRoutes(r, deps);
  registerAgrLimitRoutes(r, deps);
  r.get(
    '/agr/v1/requests/:id',
    handler(async (req, res) => {
      const found = await getRequest(deps.db, scopeOfRequest(res), String(req.params.id));
      if (!found) throw new HubError('TPS_NOT_FOUND', `you have no request ${String(req.params.id)}`);
      res.json(requestJson(found));
    }),
  );
  return r;
}

const notYours = (ids: readonly string[]) =>
  new HubError(
    'TPS_NOT_FOUND',
    `you have no asset ${ids.slice(0, 10).join(', ')}${ids.length > 10 ? ` (and ${ids.length - 10} more)` : ''}`,
    {
      problems: ids.map((assetId) => ({ assetId, message: 'not an asset of yours' })),
    },
  );
