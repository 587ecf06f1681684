/**
 * The ENTSO-E code lists (urn:entsoe.eu:wgedi:codelists) as data: every coded value of the IEC 62325-451
 * documents (`type`, `process.processType`, `businessType`, `marketRole.type`, reason codes, …).
 *
 * `codelists.json` is extracted from the official code-list schema by tools/codegen/extract-codelists.mjs, and
 * our XSDs (xsd/iec62325/urn-entsoe-eu-*.xsd) are generated from it by tools/codegen/codelists-xsd.mjs, so
 * these accessors and schema validation always agree: a list accepts its Standard codes and its Local codes
 * (the XSD union StandardXxx | LocalXxx).
 *
 * The `HUB_*` tuples below are the codes the hub itself reads or writes (docs/iec62325-profile.md);
 * test/unit/iec62325/codelists.test.ts checks each of them against the table.
 */
import data from './codelists.json' with { type: 'json' };

export interface Code {
  readonly code: string;
  readonly title: string;
}

interface CodeListEntry {
  readonly standardType: string;
  readonly localType: string;
  /** Set on a second name for the same list (CodingSchemeType = CodingSchemeTypeList). */
  readonly aliasOf?: string;
  readonly uid?: string | null;
  readonly definition?: string;
  readonly codes?: readonly Code[];
  readonly local?: readonly string[];
}

interface CodeListFile {
  readonly version: string;
  readonly release: string;
  readonly releaseDate: string;
  readonly namespace: string;
  readonly lists: Readonly<Record<string, CodeListEntry>>;
}

const table: CodeListFile = data;

/** A list name exactly as ENTSO-E spells it (`RoleTypeList`, `UnitSymbol`, `connectionCategoryTypeList`, …). */
export type CodeListName = keyof typeof data.lists;

/** The code-list release the table (and our XSDs) were built from. */
export const CODE_LIST_RELEASE = {
  version: table.version,
  release: table.release,
  releaseDate: table.releaseDate,
  namespace: table.namespace,
} as const;

interface ResolvedList {
  readonly standard: ReadonlyMap<string, string>;
  readonly local: ReadonlySet<string>;
  readonly codes: readonly Code[];
}

const resolved = new Map<string, ResolvedList>();

function list(name: CodeListName): ResolvedList {
  const cached = resolved.get(name);
  if (cached) return cached;
  const entry = table.lists[name];
  const owner = entry?.aliasOf === undefined ? entry : table.lists[entry.aliasOf];
  if (!owner?.codes || !owner.local) throw new Error(`unknown code list ${String(name)}`);
  const value: ResolvedList = {
    standard: new Map(owner.codes.map((c) => [c.code, c.title])),
    local: new Set(owner.local),
    codes: owner.codes,
  };
  resolved.set(name, value);
  return value;
}

/** Every list name in the table. */
export function codeListNames(): CodeListName[] {
  return Object.keys(table.lists) as CodeListName[];
}

/** The standard (ENTSO-E) codes of a list, in ENTSO-E's order. */
export function codes(name: CodeListName): readonly Code[] {
  return list(name).codes;
}

/** True when a schema accepts `code` for this list: a standard code or a local-extension code. */
export function isCode(name: CodeListName, code: string): boolean {
  const l = list(name);
  return l.standard.has(code) || l.local.has(code);
}

/**
 * True when `code` is a standard ENTSO-E code of the list. Only these may appear in what the hub emits: a
 * local code is accepted by our schemas but not by a receiver that validates against the official files.
 */
export function isStandardCode(name: CodeListName, code: string): boolean {
  return list(name).standard.has(code);
}

/** The ENTSO-E title of a standard code ("Distribution System Operator (DSO)" for RoleTypeList A50). */
export function codeTitle(name: CodeListName, code: string): string | undefined {
  return list(name).standard.get(code);
}

// ---------------------------------------------------------------------------------------------------------
// The codes the hub itself uses (docs/iec62325-profile.md). Standard codes only: all checked by a unit test.

/** RoleTypeList: `marketRole.type` of senders and receivers. */
export const HUB_ROLE_TYPES = [
  'A04', // System operator
  'A08', // Balance responsible party (BRP)
  'A32', // Market information aggregator: the hub (TPS) itself
  'A50', // Distribution System Operator (DSO)
  'A52', // Resource aggregator (AGR)
  'A56', // Flexibility service provider
] as const;

/** MessageTypeList: document `type`. */
export const HUB_MESSAGE_TYPES = [
  'A17', // Acknowledgement document (the ack carries no type element; used for received_MarketDocument.type)
  'A59', // Information request: StatusRequest for assets (F5) and schedules (F9)
  'A60', // Status request for a position independently from a specific process (accepted)
  'A65', // System total load (GL from the Transparency Platform, accepted)
  'A67', // Resource Provider Schedule for production/consumption: operational schedules (F8)
  'A76', // Load unavailability: capacity limit on consumption (F6)
  'A77', // Production unavailability: capacity limit on production (F6)
  'A95', // Configuration document: asset registration (F4) and connection-point registration
] as const;

/** ProcessTypeList: `process.processType`. */
export const HUB_PROCESS_TYPES = [
  'A01', // Day ahead
  'A16', // Realised
  'A26', // Outage information: capacity limits
  'A36', // Creation (asset connected)
  'A37', // Modification (e.g. change of operator)
  'A38', // Deactivation process (asset disconnected)
  'A39', // Synchronisation process (asset list to a DSO)
  'A40', // Intraday process
] as const;

/** BusinessTypeList: `businessType` of a time series. */
export const HUB_BUSINESS_TYPES = [
  'A01', // Production
  'A04', // Consumption
  'A07', // Net Production / Consumption: signed schedule values, + production, - consumption
  'A53', // Planned maintenance: foreseen capacity limit
  'A54', // Unplanned outage: unforeseen capacity limit
] as const;

/** ReasonCodeTypeList: `Reason.code` in acknowledgements and capacity limits. */
export const HUB_REASON_CODES = [
  'A01', // Message fully accepted
  'A02', // Message fully rejected
  'A03', // Message contains errors at the time series level
  'A04', // Time interval incorrect
  'A20', // Time series fully rejected
  'A41', // Resolution inconsistency
  'A42', // Quantity inconsistency
  'A51', // Message identification or version conflict
  'A53', // Receiving party incorrect
  'A57', // Deadline limit exceeded/Gate not open
  'A59', // Not compliant to local market rules
  'A69', // Mandatory attributes missing
  'A78', // Sender identification and/or role invalid
  'A79', // Process type invalid
  'A80', // Domain invalid
  'A94', // Document cannot be processed by receiving system
  'A95', // Complementary information
  'B18', // Failure (unforeseen capacity issue)
  'B19', // Foreseen maintenance (foreseen capacity issue)
  'B46', // Internal congestion (capacity issue caused by congestion)
  '999', // Errors not specifically identified
] as const;

/** StatusTypeList: `docStatus/value` of a capacity limit. */
export const HUB_STATUS_TYPES = [
  'A09', // Cancelled: the capacity limit is cancelled
  'A23', // Stop: stop the production or consumption (unforeseen issue)
  'A24', // Start: start the production or consumption (unforeseen issue)
] as const;

/** AssetTypeList: `psrType`, the technology of an asset. */
export const HUB_ASSET_TYPES = [
  'A04', // Generation
  'A05', // Load
  'B16', // Solar unspecified
  'B25', // Energy storage
  'B26', // Demand Side Response
  'B55', // Electric vehicle battery
  'B57', // Heat pump electrical
  'B20', // Other unspecified: a technology the hub's table does not name
] as const;

/** CodingSchemeTypeList: `codingScheme` of party, area and resource identifiers. */
export const HUB_CODING_SCHEMES = [
  'A01', // EIC
  'A10', // GS1 (GLN for parties, GSRN/EAN-18 for connection points)
  'NDK', // Denmark national coding scheme (asset IDs allocated by the hub)
] as const;

/** UnitOfMeasureTypeList: `quantity_Measurement_Unit.name` of schedules and capacity limits. */
export const HUB_UNITS_OF_MEASURE = [
  'KWT', // kilowatt
  'MAW', // megawatt
] as const;

/** UnitSymbol (CIM): `Measurements/unitSymbol` in Configuration 3:3. V94 has no kW here. */
export const HUB_UNIT_SYMBOLS = [
  'MAW', // MW
] as const;

/** AnalogTypeList: `Measurements/measurementType` in Configuration 3:3. */
export const HUB_ANALOG_TYPES = [
  'A01', // Flow: the maximum power of an asset in one direction
] as const;

/** ObjectAggregationTypeList and CurveTypeList used in schedules. */
export const HUB_OBJECT_AGGREGATIONS = [
  'A06', // Resource Object
] as const;
export const HUB_CURVE_TYPES = [
  'A01', // Sequential fixed size block
  'A03', // Variable sized Block
] as const;

export type HubRoleType = (typeof HUB_ROLE_TYPES)[number];
export type HubMessageType = (typeof HUB_MESSAGE_TYPES)[number];
export type HubProcessType = (typeof HUB_PROCESS_TYPES)[number];
export type HubBusinessType = (typeof HUB_BUSINESS_TYPES)[number];
export type HubReasonCode = (typeof HUB_REASON_CODES)[number];
export type HubStatusType = (typeof HUB_STATUS_TYPES)[number];
export type HubAssetType = (typeof HUB_ASSET_TYPES)[number];
export type HubCodingScheme = (typeof HUB_CODING_SCHEMES)[number];

/** Each tuple with the list it belongs to: what the unit test walks. */
export const HUB_CODES = {
  RoleTypeList: HUB_ROLE_TYPES,
  MessageTypeList: HUB_MESSAGE_TYPES,
  ProcessTypeList: HUB_PROCESS_TYPES,
  BusinessTypeList: HUB_BUSINESS_TYPES,
  ReasonCodeTypeList: HUB_REASON_CODES,
  StatusTypeList: HUB_STATUS_TYPES,
  AssetTypeList: HUB_ASSET_TYPES,
  CodingSchemeTypeList: HUB_CODING_SCHEMES,
  UnitOfMeasureTypeList: HUB_UNITS_OF_MEASURE,
  UnitSymbol: HUB_UNIT_SYMBOLS,
  AnalogTypeList: HUB_ANALOG_TYPES,
  ObjectAggregationTypeList: HUB_OBJECT_AGGREGATIONS,
  CurveTypeList: HUB_CURVE_TYPES,
} as const satisfies Partial<Record<CodeListName, readonly string[]>>;
