/**
 * F6 capacity limits at the TPS: an Unavailability_MarketDocument from a DSO (profile §6). Rules,
 * all checked before anything is applied:
 * - type A76/A77, process type A26, one kind (A53 foreseen / A54 unforeseen), a period of whole
 *   quarters, a foreseen limit with its available capacity (A59, A79, A04, A41, A69);
 * - every affected asset is on the sender's grid (A59 "asset … is not on your grid": the same
 *   words whether it is unknown or another DSO's), listed once, and there is at least one (A69);
 * - an update is newer than the revision in force (A51); a cancel names a limit in force (A59).
 * On acceptance the fairness filter divides each group's available capacity among its assets by
 * the limit's policy (recorded with the limit, with the totals), and each AGR/BRP that operates an
 * affected asset gets one document with only its own assets' shares (F6: only to the operators of
 * affected assets; NF3). An operator whose assets are no longer affected gets its part cancelled.
 */
import { derivedUuid } from '../../shared/ids.js';
import { buildUnavailability, type UnavailabilityDocument } from '../../iec62325/index.js';
import { esmpTime, WIRE } from '../../backends/documents.js';
import type { Answer } from '../../backends/inbox-consumer.js';
import { allocate, type FairnessPolicyId } from '../fairness/index.js';
import { assetCodingScheme } from '../profile/assets.js';
import { limitPositions, limitToUnavailability, unavailabilityToLimit, type CapacityLimit } from '../profile/capacity-limits.js';
import { affectedAssets, limitAssetsByOperator, limitHeader, saveLimit, scheduledUse, type AffectedAsset } from '../limit-store.js';
import { rejected, rejectedSeries, summarise, type HandlerContext, type HandlerOutcome } from './context.js';

export const DEFAULT_POLICY: FairnessPolicyId = 'pro-rata-capacity';

/** The mRID of the TPS's document to one operator for one limit: stable across revisions. */
export function operatorDocumentId(limitMrid: string, operator: string): string {
  return derivedUuid('limit', limitMrid, operator);
}

/** kW decimal (any precision) → whole W, rounded down: a share never exceeds what the DSO gave. */
export function kwToW(kw: string): number {
  const [int = '0', frac = ''] = kw.split('.');
  return Number(int) * 1000 + Number((frac + '000').slice(0, 3));
}

/** whole W → kW decimal, exact. */
export function wToKw(w: number): string {
  const int = Math.floor(w / 1000);
  const frac = String(w % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '');
  return frac ? `${int}.${frac}` : String(int);
}

export async function submitCapacityLimit(ctx: HandlerContext, doc: UnavailabilityDocument): Promise<HandlerOutcome> {
  const read = unavailabilityToLimit(doc);
  const problems = [...read.problems];
  if (!read.limit) return rejected(summarise(problems), rejectedSeries(problems));
  const limit = read.limit;
  const current = await limitHeader(ctx.tx, limit.mRID);
  if (current && current.dso !== ctx.sender.code) return rejected([{ code: 'A59', text: `document mRID ${limit.mRID} is already used` }]);
  if (current && limit.revision <= current.revision)
    return rejected([{ code: 'A51', text: `revision ${limit.revision} is not newer than revision ${current.revision} in force` }]);
  if (!current && limit.cancelled) return rejected([{ code: 'A59', text: `there is no capacity limit ${limit.mRID} to cancel` }]);

  const ids = limit.groups.flatMap((g) => g.assets.map((a) => a.assetId));
  const found = await affectedAssets(ctx.tx, ids, limit.direction);
  const seen = new Set<string>();
  limit.groups.forEach((g, i) => {
    for (const a of g.assets) {
      const asset = found.get(a.assetId);
      if (!asset || asset.dso !== ctx.sender.code)
        problems.push({ timeSeries: String(i + 1), code: 'A59', text: `asset ${a.assetId} is not on your grid` });
      if (seen.has(a.assetId)) problems.push({ timeSeries: String(i + 1), code: 'A59', text: `asset ${a.assetId} is listed twice` });
      seen.add(a.assetId);
    }
  });
  if (problems.length) return rejected(summarise(problems), rejectedSeries(problems));

  const policy = limit.policy ?? DEFAULT_POLICY;
  const shares = limit.cancelled ? [] : await divide(ctx, limit, policy, found);
  const before = current ? await limitAssetsByOperator(ctx.tx, limit.mRID) : new Map<string, string[]>();
  await saveLimit(ctx.tx, ctx.sender.code, limit, policy, shares);
  return { problems: [], forward: await toOperators(ctx, { ...limit, policy }, shares, before) };
}

/** One share per affected asset: each group's available capacity divided by the policy (unforeseen without capacity: none). */
async function divide(
  ctx: HandlerContext,
  limit: CapacityLimit,
  policy: FairnessPolicyId,
  found: ReadonlyMap<string, AffectedAsset>,
): Promise<{ assetId: string; operator: string; sharesKw?: string[] }[]> {
  const n = limitPositions(limit.start, limit.end);
  const ids = limit.groups.flatMap((g) => g.assets.map((a) => a.assetId));
  const needsSchedules = policy === 'pro-rata-schedule' || policy === 'max-min-fair';
  const schedules = needsSchedules
    ? await scheduledUse(ctx.tx, ids, limit.direction, new Date(limit.start), n)
    : new Map<string, (number | undefined)[]>();
  const out: { assetId: string; operator: string; sharesKw?: string[] }[] = [];
  for (const g of limit.groups) {
    const assets = g.assets.map((a) => found.get(a.assetId) as AffectedAsset);
    if (!g.availableKw) {
      for (const a of assets) out.push({ assetId: a.assetId, operator: a.operator });
      continue;
    }
    const allocation = allocate(
      policy,
      g.availableKw.map(kwToW),
      assets.map((a) => ({
        assetId: a.assetId,
        party: a.operator,
        capacityW: a.capacityW,
        ...(schedules.has(a.assetId) ? { scheduledW: schedules.get(a.assetId) } : {}),
      })),
    );
    allocation.claimants.forEach((c, i) => {
      out.push({ assetId: c.assetId, operator: c.party, sharesKw: allocation.intervals.map((iv) => wToKw(iv.shares[i] ?? 0)) });
    });
  }
  return out;
}

async function toOperators(
  ctx: HandlerContext,
  limit: CapacityLimit & { policy: FairnessPolicyId },
  shares: readonly { assetId: string; operator: string; sharesKw?: string[] }[],
  before: ReadonlyMap<string, string[]>,
): Promise<Answer[]> {
  const byOperator = new Map<string, typeof shares>();
  for (const s of shares) byOperator.set(s.operator, [...(byOperator.get(s.operator) ?? []), s]);
  const out: Answer[] = [];
  for (const code of new Set([...byOperator.keys(), ...before.keys()])) {
    const party = await ctx.party(code);
    if (!party?.endpointCode) continue;
    const mine = byOperator.get(code);
    const part: CapacityLimit = mine
      ? {
          ...limit,
          mRID: operatorDocumentId(limit.mRID, code),
          groups: mine.map((s) => ({
            assets: [{ assetId: s.assetId, codingScheme: assetCodingScheme(s.assetId) }],
            ...(s.sharesKw ? { availableKw: s.sharesKw } : {}),
          })),
        }
      : {
          ...limit,
          mRID: operatorDocumentId(limit.mRID, code),
          cancelled: true,
          groups: [{ assets: (before.get(code) ?? []).map((assetId) => ({ assetId, codingScheme: assetCodingScheme(assetId) })) }],
        };
    const doc = limitToUnavailability(part, ctx.participant(ctx.tps), ctx.participant(party), esmpTime(ctx.now));
    out.push({ receiverCode: party.endpointCode, businessType: 'Unavailability_MarketDocument', content: buildUnavailability(doc, WIRE) });
  }
  return out;
}
