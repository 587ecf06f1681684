/**
 * Asset technologies the REST interfaces name, and the AssetTypeList code (`MktPSRType/psrType`)
 * each is sent as (docs/iec62325-profile.md §4). Code and tests read this table.
 */
import type { HubAssetType } from '../../iec62325/codelists/index.js';

export const TECHNOLOGIES = {
  solar: 'B16',
  'energy-storage': 'B25',
  'ev-battery': 'B55',
  'heat-pump': 'B57',
  'demand-response': 'B26',
  load: 'A05',
  generation: 'A04',
  other: 'B20',
} as const satisfies Record<string, HubAssetType>;

export type Technology = keyof typeof TECHNOLOGIES;

export const isTechnology = (x: unknown): x is Technology => typeof x === 'string' && Object.hasOwn(TECHNOLOGIES, x);

const BY_CODE = new Map(Object.entries(TECHNOLOGIES).map(([name, code]) => [code as string, name as Technology]));

/** The REST name of a psrType code; a code outside the table reads as 'other'. */
export const technologyOf = (psrType: string): Technology => BY_CODE.get(psrType) ?? 'other';
