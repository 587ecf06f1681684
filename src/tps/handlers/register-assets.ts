/**
 * F4 asset registration at the TPS: a Configuration_MarketDocument A95 from an AGR/BRP
 * (A36 create, A37 modify, A38 deactivate; docs/iec62325-profile.md §4). Rules, all checked
 * before anything is applied:
 * - the sender operates the assets it sends (`Provider_MarketParticipant` = sender) (A59);
 * - create: the asset ID is not registered yet (A51 when the sender has it, A59 otherwise);
 * - modify / deactivate: the sender operates the asset now (A59 "no asset … operated by you" —
 *   the same words whether it is unknown or another party's, so nothing leaks);
 * - the connection point is registered by a DSO (A59) and lies in the grid area given (A80).
 * On acceptance each DSO whose grid holds a changed asset gets a Configuration with the change,
 * the TPS as provider and no name: never the operator (NF3).
 */
import { esmpTime, WIRE } from '../../backends/documents.js';
import { randomUUID } from 'node:crypto';
import { buildConfiguration, type ConfigurationDocument } from '../../iec62325/index.js';
import {
  ASSET_PROCESS,
  assetsToConfiguration,
  configurationToAssets,
  seriesOfAsset,
  type AssetProcess,
  type AssetRecord,
} from '../profile/assets.js';
import { assetsById, connectionPoints, deleteAssets, upsertAssets, type TpsAsset } from '../store.js';
import { rejected, rejectedSeries, summarise, type HandlerContext, type HandlerOutcome } from './context.js';
import type { Answer } from '../../backends/inbox-consumer.js';

type Problem = { timeSeries: string; code: string; text: string };

export async function registerAssets(ctx: HandlerContext, doc: ConfigurationDocument): Promise<HandlerOutcome> {
  const process = doc.processType as AssetProcess;
  if (![ASSET_PROCESS.create, ASSET_PROCESS.modify, ASSET_PROCESS.deactivate].includes(process as never)) {
    return rejected([
      { code: 'A79', text: `process type ${doc.processType}: an AGR/BRP sends A36 creation, A37 modification or A38 deactivation` },
    ]);
  }
  const read = configurationToAssets(doc);
  const problems: Problem[] = [...read.problems];
  if (read.assets.length === 0 && problems.length === 0) return rejected([{ code: 'A69', text: 'the document lists no asset' }]);
  const onSeries = (a: AssetRecord, code: string, text: string) => {
    for (const ts of seriesOfAsset(doc, a.assetId)) problems.push({ timeSeries: ts, code, text });
  };

  const existing = await assetsById(
    ctx.tx,
    read.assets.map((a) => a.assetId),
  );
  const cps = await connectionPoints(
    ctx.tx,
    read.assets.map((a) => a.connectionPoint),
  );
  for (const a of read.assets) {
    if (a.operator !== ctx.sender.code) onSeries(a, 'A59', `asset ${a.assetId}: the provider must be the sender ${ctx.sender.code}`);
    const current = existing.get(a.assetId);
    if (process === ASSET_PROCESS.create && current) {
      if (current.operator === ctx.sender.code) onSeries(a, 'A51', `asset ${a.assetId} is already registered by you; modify it with A37`);
      else onSeries(a, 'A59', `asset ${a.assetId} is already registered`);
    }
    if (process !== ASSET_PROCESS.create && current?.operator !== ctx.sender.code)
      onSeries(a, 'A59', `no asset ${a.assetId} operated by you`);
    if (process !== ASSET_PROCESS.deactivate) {
      const cp = cps.get(a.connectionPoint);
      if (!cp) onSeries(a, 'A59', `asset ${a.assetId}: connection point ${a.connectionPoint} is not registered by any DSO`);
      else if (cp.gridArea !== a.gridArea)
        onSeries(a, 'A80', `asset ${a.assetId}: connection point ${a.connectionPoint} is not in grid area ${a.gridArea}`);
    }
  }
  if (problems.length > 0) return rejected(summarise(problems), rejectedSeries(problems));

  // Apply, then tell each DSO concerned what changed on its grid.
  const changes = new Map<string, { process: AssetProcess; assets: AssetRecord[] }[]>();
  const note = (dso: string, p: AssetProcess, a: AssetRecord) => {
    const list = changes.get(dso) ?? [];
    let entry = list.find((e) => e.process === p);
    if (!entry) list.push((entry = { process: p, assets: [] }));
    entry.assets.push(a);
    changes.set(dso, list);
  };
  if (process === ASSET_PROCESS.deactivate) {
    await deleteAssets(
      ctx.tx,
      read.assets.map((a) => a.assetId),
    );
    for (const a of read.assets) {
      const was = existing.get(a.assetId) as TpsAsset;
      note(was.dso, ASSET_PROCESS.deactivate, was);
    }
  } else {
    await upsertAssets(ctx.tx, read.assets);
    for (const a of read.assets) {
      const dso = cps.get(a.connectionPoint)?.dso as string;
      const was = existing.get(a.assetId);
      if (was && was.dso !== dso) {
        note(was.dso, ASSET_PROCESS.deactivate, was); // moved to another DSO's grid
        note(dso, ASSET_PROCESS.create, a);
      } else note(dso, process, a);
    }
  }
  return { problems: [], forward: await toDsos(ctx, changes) };
}

async function toDsos(ctx: HandlerContext, changes: Map<string, { process: AssetProcess; assets: AssetRecord[] }[]>): Promise<Answer[]> {
  const out: Answer[] = [];
  for (const [dsoCode, list] of changes) {
    const dso = await ctx.party(dsoCode);
    if (!dso?.endpointCode) continue;
    for (const { process, assets } of list) {
      const doc = assetsToConfiguration({
        mRID: randomUUID(),
        processType: process,
        sender: ctx.participant(ctx.tps),
        receiver: ctx.participant(dso),
        createdDateTime: esmpTime(ctx.now),
        assets,
        hideOperatorAs: ctx.tps.code,
      });
      out.push({ receiverCode: dso.endpointCode, businessType: 'Configuration_MarketDocument', content: buildConfiguration(doc, WIRE) });
    }
  }
  return out;
}
