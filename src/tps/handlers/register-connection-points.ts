/**
 * F4 connection-point registration at the TPS: a ResourceMapping_MarketDocument A95 from a DSO,
 * one complete list per grid area (docs/iec62325-profile.md §4). Rules, all checked before
 * anything is applied:
 * - a grid area belongs to the DSO that registered it first (A80 for anyone else);
 * - a list older than the one in force (createdDateTime) is stale (A51);
 * - each connection point is a GSRN/EAN-18 with a correct check digit (A59) and is not in
 *   another grid area (A59);
 * - a connection point that carries registered assets cannot be dropped (A59: the operators
 *   deactivate the assets first).
 */
import type { ResourceMappingDocument } from '../../iec62325/index.js';
import { gs1Problem } from '../../shared/gs1.js';
import { eicProblem } from '../../directory/eic.js';
import { resourceMappingToLists } from '../profile/connection-points.js';
import { connectionPoints, connectionPointsOfAreas, connectionPointsWithAssets, gridAreas, replaceAreaLists } from '../store.js';
import { rejected, rejectedSeries, summarise, type HandlerContext, type HandlerOutcome } from './context.js';

export async function registerConnectionPoints(ctx: HandlerContext, doc: ResourceMappingDocument): Promise<HandlerOutcome> {
  const read = resourceMappingToLists(doc);
  const problems = [...read.problems];
  const seriesOf = (area: string) => doc.timeSeries.find((ts) => ts.marketRegisteredResource.mRID === area)?.mRID ?? '1';
  const areas = await gridAreas(
    ctx.tx,
    read.lists.map((l) => l.gridArea),
  );
  const documentTime = new Date(doc.createdDateTime).toISOString();
  const listed = read.lists.flatMap((l) => l.connectionPoints);
  const elsewhere = await connectionPoints(ctx.tx, listed);
  const current = await connectionPointsOfAreas(
    ctx.tx,
    read.lists.map((l) => l.gridArea),
  );
  const dropped = current
    .filter((c) => !read.lists.find((l) => l.gridArea === c.gridArea)?.connectionPoints.includes(c.cpId))
    .map((c) => c.cpId);
  const withAssets = await connectionPointsWithAssets(ctx.tx, dropped);

  const newList = new Map(read.lists.map((l) => [l.gridArea, new Set(l.connectionPoints)]));
  for (const l of read.lists) {
    const ts = seriesOf(l.gridArea);
    const add = (code: string, text: string) => problems.push({ timeSeries: ts, code, text });
    const areaProblem = eicProblem(l.gridArea, 'Y');
    if (areaProblem) add('A80', `grid area ${l.gridArea}: not an EIC area (Y) code: ${areaProblem}`);
    const area = areas.get(l.gridArea);
    if (area && area.dso !== ctx.sender.code) add('A80', `grid area ${l.gridArea} is registered by another DSO`);
    if (area && area.lastDocument > documentTime)
      add('A51', `grid area ${l.gridArea}: a newer list (of ${area.lastDocument}) is already in force`);
    const seen = new Set<string>();
    for (const cp of l.connectionPoints) {
      const p = gs1Problem(cp, 18);
      if (p) add('A59', `connection point ${cp}: not a GSRN/EAN-18: ${p}`);
      if (seen.has(cp)) add('A59', `connection point ${cp} is listed twice`);
      seen.add(cp);
      // in another area after this document: its current area keeps it (or the document does not list that area), or
      // the document puts it in two areas
      const other = elsewhere.get(cp);
      const otherList = other ? newList.get(other.gridArea) : undefined;
      if (other && other.gridArea !== l.gridArea && (otherList === undefined || otherList.has(cp)))
        add('A59', `connection point ${cp} is registered in another grid area`);
      const twice = read.lists.find((o) => o.gridArea !== l.gridArea && o.connectionPoints.includes(cp));
      if (twice && twice.gridArea < l.gridArea) add('A59', `connection point ${cp} is listed in two grid areas of this document`);
    }
  }
  for (const cp of withAssets) {
    const area = current.find((c) => c.cpId === cp)?.gridArea ?? '';
    problems.push({
      timeSeries: seriesOf(area),
      code: 'A59',
      text: `connection point ${cp} has registered assets; their operators must deactivate them first`,
    });
  }
  if (problems.length > 0) return rejected(summarise(problems), rejectedSeries(problems));

  await replaceAreaLists(ctx.tx, ctx.sender.code, documentTime, read.lists);
  return { problems: [], forward: [] };
}
