/**
 * Reading the JSON an AGR/BRP posts for its assets (raml/agr.raml `Asset`): one object or an
 * array of them (batch). Every problem is reported at once, with the item index and field.
 */
import { eicProblem } from '../../directory/eic.js';
import { gs1Problem } from '../../shared/gs1.js';
import { assetCodingScheme, type AssetRecord } from '../../tps/profile/assets.js';
import { isTechnology, TECHNOLOGIES } from '../../tps/profile/technologies.js';
import { decimalOf } from '../../tps/profile/units.js';

export const MAX_BATCH = 10_000;
const ASSET_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,59}$/;
const FIELDS = new Set([
  'assetId',
  'connectionPoint',
  'gridArea',
  'technology',
  'name',
  'maxProductionKw',
  'maxConsumptionKw',
  'validFrom',
]);

export interface ItemProblem {
  readonly item: number;
  readonly field?: string;
  readonly message: string;
}

/** The items of a batch body: an object is a batch of one. */
export function batchOf(body: unknown, problems: ItemProblem[], what: string): unknown[] {
  const items = Array.isArray(body) ? body : body !== null && typeof body === 'object' ? [body] : undefined;
  if (items === undefined) problems.push({ item: 0, message: `the body must be one ${what} or an array of them` });
  else if (items.length === 0) problems.push({ item: 0, message: `the array has no ${what}` });
  else if (items.length > MAX_BATCH)
    problems.push({ item: MAX_BATCH, message: `at most ${MAX_BATCH} items per call, got ${items.length}` });
  return items && items.length <= MAX_BATCH ? items : [];
}

const today = (now: Date) => now.toISOString().slice(0, 10);

export function readAssets(body: unknown, operator: string, now: Date, problems: ItemProblem[]): AssetRecord[] {
  const out: AssetRecord[] = [];
  const seen = new Set<string>();
  batchOf(body, problems, 'asset').forEach((raw, item) => {
    const add = (field: string | undefined, message: string) => problems.push({ item, ...(field ? { field } : {}), message });
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      add(undefined, 'must be an object');
      return;
    }
    const v = raw as Record<string, unknown>;
    for (const k of Object.keys(v)) if (!FIELDS.has(k)) add(k, 'is not a field of an asset');
    const assetId = v.assetId;
    if (typeof assetId !== 'string' || !ASSET_ID.test(assetId))
      add('assetId', 'required: 1–60 letters, digits, . _ : -, starting with a letter or digit');
    else if (seen.has(assetId)) add('assetId', `${assetId} appears twice in this call`);
    else seen.add(assetId);
    const cp = v.connectionPoint;
    const cpProblem = gs1Problem(cp, 18);
    if (cpProblem) add('connectionPoint', `must be the GSRN/EAN-18 of the connection point: ${cpProblem}`);
    const area = v.gridArea;
    const areaProblem = eicProblem(area, 'Y');
    if (areaProblem) add('gridArea', `must be the DSO grid area's EIC (Y) code: ${areaProblem}`);
    if (!isTechnology(v.technology)) add('technology', `must be one of ${Object.keys(TECHNOLOGIES).join(', ')}`);
    if (v.name !== undefined && (typeof v.name !== 'string' || v.name.length === 0 || v.name.length > 200)) add('name', '1–200 characters');
    const prod = v.maxProductionKw === undefined ? undefined : decimalOf(v.maxProductionKw);
    const cons = v.maxConsumptionKw === undefined ? undefined : decimalOf(v.maxConsumptionKw);
    if (v.maxProductionKw !== undefined && prod === undefined) add('maxProductionKw', 'a number of kW ≥ 0 with at most 3 decimals');
    if (v.maxConsumptionKw !== undefined && cons === undefined) add('maxConsumptionKw', 'a number of kW ≥ 0 with at most 3 decimals');
    if (v.maxProductionKw === undefined && v.maxConsumptionKw === undefined)
      add('maxProductionKw', 'an asset produces, consumes or both: give maxProductionKw and/or maxConsumptionKw');
    const validFrom = v.validFrom ?? today(now);
    if (typeof validFrom !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(validFrom) || Number.isNaN(Date.parse(`${validFrom}T00:00:00Z`)))
      add('validFrom', 'a date YYYY-MM-DD');
    if (problems.some((p) => p.item === item)) return;
    out.push({
      assetId: assetId as string,
      codingScheme: assetCodingScheme(assetId as string),
      connectionPoint: cp as string,
      gridArea: area as string,
      technology: v.technology as AssetRecord['technology'],
      ...(typeof v.name === 'string' ? { name: v.name } : {}),
      ...(prod !== undefined ? { maxProductionKw: prod } : {}),
      ...(cons !== undefined ? { maxConsumptionKw: cons } : {}),
      validFrom: validFrom as string,
      operator,
    });
  });
  return out;
}

/** The JSON an API user sees for an asset (numbers in kW). */
export function assetJson(a: AssetRecord) {
  return {
    assetId: a.assetId,
    connectionPoint: a.connectionPoint,
    gridArea: a.gridArea,
    technology: a.technology,
    ...(a.name !== undefined ? { name: a.name } : {}),
    ...(a.maxProductionKw !== undefined ? { maxProductionKw: Number(a.maxProductionKw) } : {}),
    ...(a.maxConsumptionKw !== undefined ? { maxConsumptionKw: Number(a.maxConsumptionKw) } : {}),
    validFrom: a.validFrom,
  };
}
