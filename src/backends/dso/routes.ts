/**
 * The DSO backend's REST interface under /dso/v1 (raml/dso.raml; F2, F4, F5): ping; the DSO's
 * connection points — add (POST), move between its grid areas (PUT), list (GET), remove
 * (DELETE), one or many per call, each write sent to the TPS as one ResourceMapping_MarketDocument
 * with the complete new list of every grid area it touches; and the assets on the DSO's grid
 * (GET /assets, and GET /assets/changes, a long poll) — asset ID, connection point, technology,
 * power: never the operator (NF3).
 */
import { esmpTime, WIRE } from '../documents.js';
import { randomUUID } from 'node:crypto';
import express, { Router } from 'express';
import { eicProblem } from '../../directory/eic.js';
import { buildResourceMapping } from '../../iec62325/index.js';
import { participantOf } from '../../parties/participant.js';
import { getParty, type Party } from '../../parties/registry.js';
import type { TokenVerifier } from '../../parties/tokens.js';
import type { Clock } from '../../shared/clock.js';
import { HubError } from '../../shared/errors.js';
import { gs1Problem } from '../../shared/gs1.js';
import { listsToResourceMapping, type GridAreaList } from '../../tps/profile/connection-points.js';
import { batchOf, type ItemProblem } from '../agr/asset-input.js';
import { handler, requireParty, scopeOfRequest } from '../auth.js';
import { getRequest } from '../requests.js';
import type { Signals } from '../signals.js';
import { answerWrite, requestJson, submit, waitOf, type SubmitDeps } from '../submit.js';
import { listAssets, listConnectionPoints, takeAssetChanges, type ConnectionPoint, type DsoAsset } from './store.js';
import { listScheduleSeries, takeScheduleChanges } from './schedule-store.js';
import { assetFeedSignal, DSO_KINDS, scheduleFeedSignal } from './kinds.js';
import { idsOf, invalidInput, timeoutOf, windowOf } from '../query.js';
import { registerLimitRoutes } from './limit-routes.js';

export interface DsoRoutesDeps extends SubmitDeps {
  readonly tokens: TokenVerifier;
  readonly clock: Clock;
  readonly tps: Party;
  readonly signals: Signals;
  readonly jsonLimit?: string;
}

function readConnectionPoints(body: unknown, problems: ItemProblem[]): ConnectionPoint[] {
  const out: ConnectionPoint[] = [];
  const seen = new Set<string>();
  batchOf(body, problems, 'connection point').forEach((raw, item) => {
    const v = (raw ?? {}) as Record<string, unknown>;
    const add = (field: string | undefined, message: string) => problems.push({ item, ...(field ? { field } : {}), message });
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      add(undefined, 'must be an object');
      return;
    }
    for (const k of Object.keys(v)) if (k !== 'connectionPoint' && k !== 'gridArea') add(k, 'is not a field of a connection point');
    const cp = gs1Problem(v.connectionPoint, 18);
    if (cp) add('connectionPoint', `must be a GSRN/EAN-18: ${cp}`);
    else if (seen.has(v.connectionPoint as string)) add('connectionPoint', 'appears twice in this call');
    else seen.add(v.connectionPoint as string);
    const area = eicProblem(v.gridArea, 'Y');
    if (area) add('gridArea', `must be an EIC area (Y) code: ${area}`);
    if (!cp && !area) out.push({ connectionPoint: v.connectionPoint as string, gridArea: v.gridArea as string });
  });
  return out;
}

const assetJson = (a: DsoAsset) => ({
  assetId: a.assetId,
  connectionPoint: a.connectionPoint,
  gridArea: a.gridArea,
  technology: a.technology,
  ...(a.maxProductionKw !== undefined ? { maxProductionKw: Number(a.maxProductionKw) } : {}),
  ...(a.maxConsumptionKw !== undefined ? { maxConsumptionKw: Number(a.maxConsumptionKw) } : {}),
  validFrom: a.validFrom,
  ...(a.removed ? { removed: true } : {}),
});

/** The new complete lists of the areas a change touches, from the current ones. */
function newLists(current: readonly ConnectionPoint[], change: (cps: Map<string, string>) => void): GridAreaList[] {
  const cps = new Map(current.map((c) => [c.connectionPoint, c.gridArea]));
  const before = new Map(cps);
  change(cps);
  const touched = new Set<string>();
  for (const [cp, area] of cps) if (before.get(cp) !== area) touched.add(area);
  for (const [cp, area] of before) if (cps.get(cp) !== area) touched.add(area);
  return [...touched].sort().map((gridArea) => ({
    gridArea,
    connectionPoints: [...cps]
      .filter(([, a]) => a === gridArea)
      .map(([cp]) => cp)
      .sort(),
  }));
}

export function dsoRouter(deps: DsoRoutesDeps): Router {
  const r = Router();
  r.get('/dso/v1/ping', (_req, res) => {
    res.type('text/plain').send('pong');
  });
  r.use('/dso/v1', requireParty(deps.tokens, ['DSO']), express.json({ limit: deps.jsonLimit ?? '20mb' }));

  // One connection-point change at a time per DSO in this process: each list is built on the one before.
  const chains = new Map<string, Promise<unknown>>();
  const serial = <T>(party: string, fn: () => Promise<T>): Promise<T> => {
    const next = (chains.get(party) ?? Promise.resolve()).then(fn, fn);
    const settled = next.catch(() => undefined);
    chains.set(party, settled);
    void settled.then(() => chains.get(party) === settled && chains.delete(party));
    return next;
  };

  const change = (kind: 'add' | 'move' | 'remove') =>
    handler(async (req, res) => {
      const scope = scopeOfRequest(res);
      const waitMs = waitOf(req.query.wait, deps.ackWaitMs);
      const problems: ItemProblem[] = [];
      const items =
        kind === 'remove'
          ? (
              idsOf(req.query.id) ??
              (Array.isArray((req.body as { connectionPoints?: unknown })?.connectionPoints)
                ? (req.body as { connectionPoints: unknown[] }).connectionPoints.map(String)
                : [])
            ).map((connectionPoint) => ({ connectionPoint, gridArea: '' }))
          : readConnectionPoints(req.body, problems);
      if (kind === 'remove' && items.length === 0)
        problems.push({ item: 0, field: 'id', message: 'name the connection points: ?id=a,b or {"connectionPoints": [...]}' });
      if (problems.length) throw invalidInput(problems);
      const request = await serial(scope.party, async () => {
        const current = await listConnectionPoints(deps.db, scope);
        const known = new Map(current.map((c) => [c.connectionPoint, c.gridArea]));
        const conflicts: ItemProblem[] = [];
        items.forEach((it, item) => {
          if (kind === 'add' && known.has(it.connectionPoint))
            conflicts.push({ item, field: 'connectionPoint', message: `${it.connectionPoint} is already registered by you` });
          if (kind !== 'add' && !known.has(it.connectionPoint))
            conflicts.push({ item, field: 'connectionPoint', message: `you have no connection point ${it.connectionPoint}` });
        });
        if (conflicts.length) {
          throw kind === 'add'
            ? new HubError(
                'TPS_CONFLICT',
                conflicts
                  .map((c) => c.message)
                  .join('; ')
                  .slice(0, 2000),
                { problems: conflicts },
              )
            : new HubError(
                'TPS_NOT_FOUND',
                conflicts
                  .map((c) => c.message)
                  .join('; ')
                  .slice(0, 2000),
                { problems: conflicts },
              );
        }
        const lists = newLists(current, (cps) => {
          for (const it of items) {
            if (kind === 'remove') cps.delete(it.connectionPoint);
            else cps.set(it.connectionPoint, it.gridArea);
          }
        });
        if (lists.length === 0) return undefined; // nothing changes (e.g. a move to the same area)
        const me = (await getParty(deps.db, scope.party)) as Party;
        const id = randomUUID();
        const now = deps.clock.now();
        const doc = listsToResourceMapping({
          mRID: id,
          sender: participantOf(me),
          receiver: participantOf(deps.tps),
          createdDateTime: esmpTime(now),
          startDate: now.toISOString().slice(0, 10),
          lists,
        });
        return submit(
          deps,
          scope,
          me,
          {
            id,
            kind: DSO_KINDS.connectionPoints,
            body: { lists },
            businessType: 'ResourceMapping_MarketDocument',
            content: buildResourceMapping(doc, WIRE),
          },
          waitMs,
        );
      });
      if (!request) {
        res.json({ state: 'unchanged' });
        return;
      }
      answerWrite(res, request, { connectionPoints: items.map((i) => (kind === 'remove' ? { connectionPoint: i.connectionPoint } : i)) });
    });

  r.post('/dso/v1/connection-points', change('add'));
  r.put('/dso/v1/connection-points', change('move'));
  r.delete('/dso/v1/connection-points', change('remove'));
  r.get(
    '/dso/v1/connection-points',
    handler(async (req, res) => {
      res.json({ connectionPoints: await listConnectionPoints(deps.db, scopeOfRequest(res), idsOf(req.query.id)) });
    }),
  );
  r.get(
    '/dso/v1/assets',
    handler(async (_req, res) => {
      res.json({ assets: (await listAssets(deps.db, scopeOfRequest(res))).map(assetJson) });
    }),
  );
  r.get(
    '/dso/v1/assets/changes',
    handler(async (req, res) => {
      const scope = scopeOfRequest(res);
      const timeout = timeoutOf(req.query.timeout);
      const found = await deps.signals.until(assetFeedSignal(scope.party), timeout, async () => {
        const changes = await takeAssetChanges(deps.db, scope);
        return changes.length ? changes : undefined;
      });
      res.json({ assets: (found ?? []).map(assetJson) });
    }),
  );
  r.get(
    '/dso/v1/schedules',
    handler(async (req, res) => {
      const { from, to } = windowOf(req.query);
      res.json({ schedules: await listScheduleSeries(deps.db, scopeOfRequest(res), from, to) });
    }),
  );
  r.get(
    '/dso/v1/schedules/wait',
    handler(async (req, res) => {
      const scope = scopeOfRequest(res);
      const timeout = timeoutOf(req.query.timeout);
      const found = await deps.signals.until(scheduleFeedSignal(scope.party), timeout, async () => {
        const changes = await takeScheduleChanges(deps.db, scope);
        return changes.length ? changes : undefined;
      });
      res.json({ schedules: found ?? [] });
    }),
  );
  registerLimitRoutes(r, deps);
  r.get(
    '/dso/v1/requests/:id',
    handler(async (req, res) => {
      const found = await getRequest(deps.db, scopeOfRequest(res), String(req.params.id));
      if (!found) throw new HubError('TPS_NOT_FOUND', `you have no request ${String(req.params.id)}`);
      res.json(requestJson(found));
    }),
  );
  return r;
}
