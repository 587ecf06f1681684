/**
 * Every IEC 62325-451 document type and version the hub handles, as data. Builders, parsers, detection and the
 * tests read this table; nothing about a version is decided anywhere else.
 *
 * Rules behind the entries:
 * - The namespace carries the version: `urn:iec62325.351:tc57wg16:<part>:<name>document:<major>:<minor>`
 *   (IEC 62325-351 naming; ENTSO-E publishes each version with its own targetNamespace). A receiver needs one
 *   schema per version it accepts.
 * - The hub EMITS exactly one version per document (the newest it supports) and ACCEPTS the others.
 * - Differences between versions are listed per entry: identifier lengths (ID_String 35 → 60,
 *   ResourceID_String 18 → 60), renamed elements (quantity_Measure_Unit.name → quantity_Measurement_Unit.name),
 *   added or removed elements and changed cardinalities, and the lexical pattern of the ESMP float types.
 * Each entry's facts were read off our schemas in xsd/iec62325 (identical to the official ENTSO-E ones,
 * tools/conformance/xsd-structure-diff.mjs); test/unit/iec62325/documents.test.ts checks them against the XSDs.
 */
import { HubError } from '../shared/errors.js';
import type { FloatLexical } from './decimal.js';

export type DocumentKind = 'acknowledgement' | 'statusRequest' | 'generationLoad' | 'unavailability' | 'configuration' | 'resourceMapping';

export interface VersionBase {
  /** 'major:minor' as the namespace ends. */
  readonly version: string;
  readonly namespace: string;
  /** Our schema of this version, in xsd/iec62325 (the official file has the same name). */
  readonly schemaFile: string;
  /** Whether the hub writes this version by default; exactly one per document. */
  readonly emitted: boolean;
  /** ID_String maxLength: document and time-series mRIDs. */
  readonly idMaxLength: number;
  /** What changed from the previous version in this table, for people. */
  readonly changes: string;
}

export interface AcknowledgementVersion extends VersionBase {
  /** received_MarketDocument.process.processType exists (added in 8:0). */
  readonly receivedProcessType: boolean;
}

export type StatusRequestVersion = VersionBase;

/** Name of the unit element of a time series (renamed in GL 3:2 and outage 4:1). */
export type QuantityUnitElement = 'quantity_Measure_Unit.name' | 'quantity_Measurement_Unit.name';

export interface GenerationLoadVersion extends VersionBase {
  /** ResourceID_String maxLength. */
  readonly resourceIdMaxLength: number;
  readonly quantityUnitElement: QuantityUnitElement;
  /** Lexical pattern of ESMP_ActivePower / ESMP_Voltage (nominalP, highVoltageLimit). */
  readonly floatLexical: FloatLexical;
}

export interface UnavailabilityVersion extends GenerationLoadVersion {
  /** minOccurs of the document-level Reason (3:x: 1, 4:1: 0). */
  readonly documentReasonMinOccurs: 0 | 1;
}

/** Child elements of MktGeneratingUnit in a Configuration_MarketDocument, by their XML names. */
export type GeneratingUnitElement = 'mRID' | 'name' | 'nominalP' | 'generatingUnit_Location.name' | 'generatingUnit_PSRType.psrType';

export interface ConfigurationVersion extends VersionBase {
  readonly resourceIdMaxLength: number;
  /** Lexical pattern of ESMP_ActivePower / ESMP_Voltage / ESMP_Float. */
  readonly floatLexical: FloatLexical;
  /**
   * 'flat': registeredResource.mRID / .name / .location.name (3:0). 'class': a RegisteredResource element with
   * mRID, name, location.name and Measurements (3:3).
   */
  readonly registeredResource: 'flat' | 'class';
  /** MktGeneratingUnit children in schema order (the last two swapped between 3:0 and 3:3). */
  readonly generatingUnitOrder: readonly GeneratingUnitElement[];
}

export interface ResourceMappingVersion extends VersionBase {
  readonly resourceIdMaxLength: number;
}

export interface DocumentSpec<V extends VersionBase = VersionBase> {
  readonly kind: DocumentKind;
  /** Root element local name. */
  readonly root: string;
  /** The standard (clause) that defines it. */
  readonly standard: string;
  /** Namespace without the version. */
  readonly namespaceBase: string;
  /** Newest first; the emitted one is marked. */
  readonly versions: readonly V[];
}

const ns = (base: string, version: string): string => `${base}:${version}`;

const ACK_BASE = 'urn:iec62325.351:tc57wg16:451-1:acknowledgementdocument';
export const ACKNOWLEDGEMENT: DocumentSpec<AcknowledgementVersion> = {
  kind: 'acknowledgement',
  root: 'Acknowledgement_MarketDocument',
  standard: 'IEC 62325-451-1 (acknowledgement business process)',
  namespaceBase: ACK_BASE,
  versions: [
    {
      version: '8:1',
      namespace: ns(ACK_BASE, '8:1'),
      schemaFile: 'iec62325-451-1-acknowledgement_v8_1.xsd',
      emitted: true,
      idMaxLength: 60,
      receivedProcessType: true,
      changes: 'ID_String max 60 (was 35); received_MarketDocument.process.processType added (0..1, since 8:0)',
    },
    {
      version: '7:0',
      namespace: ns(ACK_BASE, '7:0'),
      schemaFile: 'iec62325-451-1-acknowledgement_v7_0.xsd',
      emitted: false,
      idMaxLength: 35,
      receivedProcessType: false,
      changes: 'what the ENTSO-E Transparency Platform answers with',
    },
  ],
};

const SR_BASE = 'urn:iec62325.351:tc57wg16:451-5:statusrequestdocument';
export const STATUS_REQUEST: DocumentSpec<StatusRequestVersion> = {
  kind: 'statusRequest',
  root: 'StatusRequest_MarketDocument',
  standard: 'IEC 62325-451-5 (status request)',
  namespaceBase: SR_BASE,
  versions: [
    {
      version: '4:1',
      namespace: ns(SR_BASE, '4:1'),
      schemaFile: 'iec62325-451-5-statusrequest_v4_1.xsd',
      emitted: true,
      idMaxLength: 60,
      changes: 'ID_String max 60 (was 35)',
    },
    {
      version: '4:0',
      namespace: ns(SR_BASE, '4:0'),
      schemaFile: 'iec62325-451-5-statusrequest_v4_0.xsd',
      emitted: false,
      idMaxLength: 35,
      changes: 'what the ENTSO-E Transparency Platform RESTful API takes',
    },
  ],
};

const GL_BASE = 'urn:iec62325.351:tc57wg16:451-6:generationloaddocument';
export const GENERATION_LOAD: DocumentSpec<GenerationLoadVersion> = {
  kind: 'generationLoad',
  root: 'GL_MarketDocument',
  standard: 'IEC 62325-451-6 (publication: generation and load)',
  namespaceBase: GL_BASE,
  versions: [
    {
      version: '3:2',
      namespace: ns(GL_BASE, '3:2'),
      schemaFile: 'iec62325-451-6-generationload_v3_2.xsd',
      emitted: true,
      idMaxLength: 60,
      resourceIdMaxLength: 60,
      quantityUnitElement: 'quantity_Measurement_Unit.name',
      floatLexical: 'unsignedDecimal',
      changes:
        'ID_String and ResourceID_String max 60; quantity_Measure_Unit.name renamed quantity_Measurement_Unit.name; float pattern ([0-9]*\\.?[0-9]*)',
    },
    {
      version: '3:0',
      namespace: ns(GL_BASE, '3:0'),
      schemaFile: 'iec62325-451-6-generationload_v3_0.xsd',
      emitted: false,
      idMaxLength: 35,
      resourceIdMaxLength: 18,
      quantityUnitElement: 'quantity_Measure_Unit.name',
      floatLexical: 'oneFractionDigit',
      changes: 'what the ENTSO-E Transparency Platform publishes',
    },
  ],
};

const OUTAGE_BASE = 'urn:iec62325.351:tc57wg16:451-6:outagedocument';
export const UNAVAILABILITY: DocumentSpec<UnavailabilityVersion> = {
  kind: 'unavailability',
  root: 'Unavailability_MarketDocument',
  standard: 'IEC 62325-451-6 (publication: outages)',
  namespaceBase: OUTAGE_BASE,
  versions: [
    {
      version: '4:1',
      namespace: ns(OUTAGE_BASE, '4:1'),
      schemaFile: 'iec62325-451-6-outage_v4_1.xsd',
      emitted: true,
      idMaxLength: 60,
      resourceIdMaxLength: 60,
      quantityUnitElement: 'quantity_Measurement_Unit.name',
      floatLexical: 'unsignedDecimal',
      documentReasonMinOccurs: 0,
      changes:
        'ID_String and ResourceID_String max 60; quantity_Measurement_Unit.name; float pattern ([0-9]*\\.?[0-9]*); document Reason 0..n (was 1..n)',
    },
    {
      version: '3:0',
      namespace: ns(OUTAGE_BASE, '3:0'),
      schemaFile: 'iec62325-451-6-outage_v3_0.xsd',
      emitted: false,
      idMaxLength: 35,
      resourceIdMaxLength: 18,
      quantityUnitElement: 'quantity_Measure_Unit.name',
      floatLexical: 'oneFractionDigit',
      documentReasonMinOccurs: 1,
      changes: 'what the ENTSO-E Transparency Platform publishes',
    },
  ],
};

const CONFIG_BASE = 'urn:iec62325.351:tc57wg16:451-6:configurationdocument';
export const CONFIGURATION: DocumentSpec<ConfigurationVersion> = {
  kind: 'configuration',
  root: 'Configuration_MarketDocument',
  standard: 'IEC 62325-451-6 (publication: configuration of production and consumption units)',
  namespaceBase: CONFIG_BASE,
  versions: [
    {
      version: '3:3',
      namespace: ns(CONFIG_BASE, '3:3'),
      schemaFile: 'iec62325-451-6-configuration_v3_3.xsd',
      emitted: true,
      idMaxLength: 60,
      resourceIdMaxLength: 60,
      floatLexical: 'unsignedDecimal',
      registeredResource: 'class',
      generatingUnitOrder: ['mRID', 'name', 'nominalP', 'generatingUnit_Location.name', 'generatingUnit_PSRType.psrType'],
      changes:
        'ID_String and ResourceID_String max 60; flat registeredResource.* became the RegisteredResource class with Measurements; float pattern ([0-9]*\\.?[0-9]*); generatingUnit_Location.name before generatingUnit_PSRType.psrType',
    },
    {
      version: '3:0',
      namespace: ns(CONFIG_BASE, '3:0'),
      schemaFile: 'iec62325-451-6-configuration_v3_0.xsd',
      emitted: false,
      idMaxLength: 35,
      resourceIdMaxLength: 18,
      floatLexical: 'oneFractionDigit',
      registeredResource: 'flat',
      generatingUnitOrder: ['mRID', 'name', 'nominalP', 'generatingUnit_PSRType.psrType', 'generatingUnit_Location.name'],
      changes: 'what the ENTSO-E Transparency Platform publishes',
    },
  ],
};

const RM_BASE = 'urn:iec62325.351:tc57wg16:451-n:resourcemappingdocument';
export const RESOURCE_MAPPING: DocumentSpec<ResourceMappingVersion> = {
  kind: 'resourceMapping',
  root: 'ResourceMapping_MarketDocument',
  standard: 'IEC 62325-451-n (ENTSO-E WG EDI resource mapping, built on IEC 62325-351)',
  namespaceBase: RM_BASE,
  versions: [
    {
      version: '1:1',
      namespace: ns(RM_BASE, '1:1'),
      schemaFile: 'iec62325-451-n-resourcemapping_v1_1.xsd',
      emitted: true,
      idMaxLength: 60,
      resourceIdMaxLength: 60,
      changes: 'the only version the hub handles',
    },
  ],
};

/** Every document, in a fixed order. */
export const DOCUMENTS: readonly DocumentSpec[] = [
  ACKNOWLEDGEMENT,
  STATUS_REQUEST,
  GENERATION_LOAD,
  UNAVAILABILITY,
  CONFIGURATION,
  RESOURCE_MAPPING,
];

/** The version the hub writes. */
export function emittedVersion<V extends VersionBase>(spec: DocumentSpec<V>): V {
  const v = spec.versions.find((x) => x.emitted);
  if (v === undefined) throw new Error(`${spec.root}: no emitted version in the document table`);
  return v;
}

/** The version entry for `version` ('3:0'), or the emitted one when undefined. Throws XML_UNSUPPORTED_VERSION. */
export function versionOf<V extends VersionBase>(spec: DocumentSpec<V>, version?: string): V {
  if (version === undefined) return emittedVersion(spec);
  const v = spec.versions.find((x) => x.version === version);
  if (v === undefined) {
    throw new HubError(
      'XML_UNSUPPORTED_VERSION',
      `${spec.root} version ${version} is not supported; supported versions: ${spec.versions.map((x) => x.version).join(', ')}`,
      { root: spec.root, version },
    );
  }
  return v;
}

/** The document and version of a root element in a namespace, or undefined. */
export function findDocument(root: string, namespace: string): { readonly spec: DocumentSpec; readonly version: VersionBase } | undefined {
  for (const spec of DOCUMENTS) {
    if (spec.root !== root) continue;
    const version = spec.versions.find((v) => v.namespace === namespace);
    if (version !== undefined) return { spec, version };
  }
  return undefined;
}
