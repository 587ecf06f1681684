/**
 * Operational schedules on the AGR/BRP backend (F8; raml/tps.raml): submit (POST), update (PUT,
 * the next revision), cancel (DELETE, a revision whose series are cancelled), and read the
 * party's own. Each write is one GL_MarketDocument A67 to the TPS, which splits it per DSO.
 */
import { randomUUID } from 'node:crypto';
import type { Router } from 'express';
import { buildGl } from '../../iec62325/index.js';
import { participantOf } from '../../parties/participant.js';
import { getParty } from '../../parties/registry.js';
import { HubError } from '../../shared/errors.js';
import { assetCodingScheme } from '../../tps/profile/assets.js';
import { scheduleToGl, type Schedule } from '../../tps/profile/schedules.js';
import { handler, scopeOfRequest } from '../auth.js';
import { esmpTime, WIRE } from '../documents.js';
import type { PartyScope } from '../scope.js';
import { answerWrite, submit, waitOf } from '../submit.js';
import type { ItemProblem } from './asset-input.js';
import type { AgrRoutesDeps } from './routes.js';
import { readSchedule, type ScheduleInput } from './schedule-input.js';
import { SCHEDULE_KINDS } from './kinds.js';
import { invalidInput, windowOf } from '../query.js';
import { getSchedule, listSchedules } from './schedule-store.js';
import { listAssets } from './store.js';

export const scheduleJson = (s: Schedule) => ({
  scheduleId: s.mRID,
  revision: s.revision,
  process: s.processType === 'A40' ? 'intraday' : 'day-ahead',
  start: s.start,
  end: s.end,
  resolution: s.resolution,
  ...(s.cancelled ? { cancelled: true } : {}),
  assets: s.series.map((x) => ({ assetId: x.assetId, points: x.points.map(Number) })),
});

export function registerScheduleRoutes(r: Router, deps: AgrRoutesDeps): void {
  const send = async (scope: PartyScope, schedule: Schedule, kind: string, waitMs: number) => {
    const me = await getParty(deps.db, scope.party);
    if (!me) throw new HubError('AUTH_FORBIDDEN');
    const doc = scheduleToGl(schedule, participantOf(me), participantOf(deps.tps), esmpTime(deps.clock.now()));
    return submit(
      deps,
      scope,
      me,
      {
        id: randomUUID(),
        document: { mRID: schedule.mRID, revision: schedule.revision },
        kind,
        body: { schedule },
        businessType: 'GL_MarketDocument',
        content: buildGl(doc, WIRE),
      },
      waitMs,
    );
  };

  /** The input as a schedule of the caller's assets (404 for an asset that is not the caller's). */
  const scheduleOf = async (scope: PartyScope, input: ScheduleInput, mRID: string, revision: number): Promise<Schedule> => {
    const mine = new Set(
      (
        await listAssets(
          deps.db,
          scope,
          input.series.map((x) => x.assetId),
        )
      ).map((a) => a.assetId),
    );
    const unknown = input.series.filter((x) => !mine.has(x.assetId)).map((x) => x.assetId);
    if (unknown.length)
      throw new HubError('TPS_NOT_FOUND', `you have no asset ${unknown.slice(0, 10).join(', ')}`, {
        problems: unknown.map((assetId) => ({ assetId, message: 'not an asset of yours' })),
      });
    return {
      mRID,
      revision,
      processType: input.processType,
      start: input.start,
      end: input.end,
      resolution: input.resolution,
      cancelled: false,
      series: input.series.map((x) => ({ assetId: x.assetId, codingScheme: assetCodingScheme(x.assetId), points: x.points })),
    };
  };

  const input = (body: unknown): ScheduleInput => {
    const problems: ItemProblem[] = [];
    const s = readSchedule(body, problems);
    if (!s) throw invalidInput(problems);
    return s;
  };

  const current = async (scope: PartyScope, id: string): Promise<Schedule> => {
    const s = await getSchedule(deps.db, scope, id);
    if (!s || s.cancelled) throw new HubError('TPS_NOT_FOUND', `you have no schedule ${id} in force`);
    return s;
  };

  r.post(
    '/agr/v1/schedules',
    handler(async (req, res) => {
      const scope = scopeOfRequest(res);
      const schedule = await scheduleOf(scope, input(req.body), randomUUID(), 1);
      const request = await send(scope, schedule, SCHEDULE_KINDS.create, waitOf(req.query.wait, deps.ackWaitMs));
      answerWrite(res, request, { schedule: scheduleJson(schedule) }, { scheduleId: schedule.mRID });
    }),
  );
  r.put(
    '/agr/v1/schedules/:id',
    handler(async (req, res) => {
      const scope = scopeOfRequest(res);
      const was = await current(scope, String(req.params.id));
      const schedule = await scheduleOf(scope, input(req.body), was.mRID, was.revision + 1);
      const request = await send(scope, schedule, SCHEDULE_KINDS.update, waitOf(req.query.wait, deps.ackWaitMs));
      answerWrite(res, request, { schedule: scheduleJson(schedule) }, { scheduleId: schedule.mRID });
    }),
  );
  r.delete(
    '/agr/v1/schedules/:id',
    handler(async (req, res) => {
      const scope = scopeOfRequest(res);
      const was = await current(scope, String(req.params.id));
      const schedule: Schedule = { ...was, revision: was.revision + 1, cancelled: true };
      const request = await send(scope, schedule, SCHEDULE_KINDS.cancel, waitOf(req.query.wait, deps.ackWaitMs));
      answerWrite(res, request, { schedule: scheduleJson(schedule) }, { scheduleId: schedule.mRID });
    }),
  );
  r.get(
    '/agr/v1/schedules',
    handler(async (req, res) => {
      const { from, to } = windowOf(req.query);
      res.json({ schedules: (await listSchedules(deps.db, scopeOfRequest(res), from, to)).map(scheduleJson) });
    }),
  );
  r.get(
    '/agr/v1/schedules/:id',
    handler(async (req, res) => {
      const s = await getSchedule(deps.db, scopeOfRequest(res), String(req.params.id));
      if (!s) throw new HubError('TPS_NOT_FOUND', `you have no schedule ${String(req.params.id)}`);
      res.json(scheduleJson(s));
    }),
  );
}
