/**
 * F8 operational schedules at the TPS: a GL_MarketDocument A67 from an AGR/BRP (profile §7).
 * Rules, all checked before anything is applied:
 * - process type A01 day ahead or A40 intraday (A79);
 * - every series covers the schedule's period at one resolution, every position has a value
 *   (A04, A41, A42);
 * - the sender operates every asset (A59 "no asset … operated by you");
 * - an update has a higher revision than the one in force (A51), and a schedule's mRID is the
 *   sender's (A59); a cancel names a schedule in force (A59).
 * On acceptance the TPS splits the schedule into one GL document per DSO, with itself as sender
 * and only the assets on that DSO's grid (F8: "one message per DSO"; NF3: no operator). A DSO
 * whose assets left the schedule gets their series cancelled.
 */
import { derivedUuid } from '../../shared/ids.js';
import { buildGl, type GlDocument } from '../../iec62325/index.js';
import { esmpTime, WIRE } from '../../backends/documents.js';
import type { Answer } from '../../backends/inbox-consumer.js';
import { glToSchedule, SCHEDULE_PROCESS, scheduleToGl, type Schedule } from '../profile/schedules.js';
import { assetCodingScheme } from '../profile/assets.js';
import { operatedAssets, saveSchedule, scheduleHeader, scheduleSeriesByDso } from '../schedule-store.js';
import { rejected, rejectedSeries, summarise, type HandlerContext, type HandlerOutcome } from './context.js';

/** The mRID of the TPS's document to one DSO for one schedule: stable across revisions (a UUID from a SHA-256). */
export function dsoDocumentId(scheduleMrid: string, dso: string): string {
  return derivedUuid(scheduleMrid, dso);
}

export async function submitSchedule(ctx: HandlerContext, doc: GlDocument): Promise<HandlerOutcome> {
  if (doc.type !== 'A67') return rejected([{ code: 'A59', text: `document type ${doc.type}: an operational schedule is A67` }]);
  if (doc.processType !== SCHEDULE_PROCESS.dayAhead && doc.processType !== SCHEDULE_PROCESS.intraday)
    return rejected([{ code: 'A79', text: `process type ${doc.processType}: a schedule is A01 day ahead or A40 intraday` }]);
  const { schedule, problems } = glToSchedule(doc);
  const current = await scheduleHeader(ctx.tx, doc.mRID);
  const header = [];
  if (current && current.operator !== ctx.sender.code) header.push({ code: 'A59', text: `document mRID ${doc.mRID} is already used` });
  else if (current && doc.revisionNumber <= current.revision)
    header.push({ code: 'A51', text: `revision ${doc.revisionNumber} is not newer than revision ${current.revision} in force` });
  if (!current && schedule.cancelled) header.push({ code: 'A59', text: `there is no schedule ${doc.mRID} to cancel` });
  if (header.length) return rejected(header);

  const ids = schedule.series.map((s) => s.assetId);
  const cancelledIds = schedule.cancelled ? doc.timeSeries.map((ts) => ts.registeredResource?.mRID ?? '') : [];
  const operated = await operatedAssets(ctx.tx, ctx.sender.code, [...ids, ...cancelledIds]);
  for (const ts of doc.timeSeries) {
    const id = ts.registeredResource?.mRID;
    if (id && !operated.has(id) && !schedule.cancelled)
      problems.push({ timeSeries: ts.mRID, code: 'A59', text: `no asset ${id} operated by you` });
  }
  if (problems.length) return rejected(summarise(problems), rejectedSeries(problems));

  const before = current ? await scheduleSeriesByDso(ctx.tx, doc.mRID) : new Map<string, { assetId: string; points: string[] }[]>();
  await saveSchedule(ctx.tx, ctx.sender.code, schedule, operated);
  return { problems: [], forward: await split(ctx, schedule, operated, before) };
}

async function split(
  ctx: HandlerContext,
  s: Schedule,
  dsoOf: ReadonlyMap<string, string>,
  before: ReadonlyMap<string, { assetId: string; points: string[] }[]>,
): Promise<Answer[]> {
  const byDso = new Map<string, Schedule['series'][number][]>();
  if (!s.cancelled)
    for (const x of s.series) byDso.set(dsoOf.get(x.assetId) as string, [...(byDso.get(dsoOf.get(x.assetId) as string) ?? []), x]);
  const out: Answer[] = [];
  for (const dsoCode of new Set([...byDso.keys(), ...before.keys()])) {
    const dso = await ctx.party(dsoCode);
    if (!dso?.endpointCode) continue;
    const now = byDso.get(dsoCode);
    // a DSO keeps getting the revisions while it has assets in the schedule; when they leave it (or the schedule
    // is cancelled) it gets its last series cancelled
    const part: Schedule = now
      ? { ...s, mRID: dsoDocumentId(s.mRID, dsoCode), series: now }
      : {
          ...s,
          mRID: dsoDocumentId(s.mRID, dsoCode),
          cancelled: true,
          series: (before.get(dsoCode) ?? []).map((x) => ({
            assetId: x.assetId,
            codingScheme: assetCodingScheme(x.assetId),
            points: x.points,
          })),
        };
    if (part.series.length === 0) continue;
    const doc = scheduleToGl(part, ctx.participant(ctx.tps), ctx.participant(dso), esmpTime(ctx.now));
    out.push({ receiverCode: dso.endpointCode, businessType: 'GL_MarketDocument', content: buildGl(doc, WIRE) });
  }
  return out;
}
