/**
 * IEC 62325-451 documents: typed models, builders (model → XML, checked first) and parsers (XML → model,
 * any accepted version), with the document/version table, time arithmetic and lexical decimals.
 * Which DREM message is which document: docs/iec62325-profile.md.
 */
export type { AcknowledgementDocument, InErrorPeriod, ReceivedDocument, RejectedTimeSeries } from './acknowledgement.js';
export { buildAcknowledgement, checkAcknowledgement, parseAcknowledgement } from './acknowledgement.js';
export type { AttributeInstanceComponent, StatusRequestDocument } from './status-request.js';
export { buildStatusRequest, checkStatusRequest, parseStatusRequest } from './status-request.js';
export type { GlDocument, GlMktPSRType, GlPowerSystemResource, GlTimeSeries } from './generation-load.js';
export { buildGl, checkGl, parseGl } from './generation-load.js';
export type {
  AssetRegisteredResource,
  ProductionRegisteredResource,
  UnavailabilityDocument,
  UnavailabilityTimeSeries,
} from './unavailability.js';
export { buildUnavailability, checkUnavailability, parseUnavailability } from './unavailability.js';
export type {
  ConfigurationDocument,
  ConfigurationMktPSRType,
  ConfigurationRegisteredResource,
  ConfigurationTimeSeries,
  GeneratingUnit,
  Measurement,
} from './configuration.js';
export { buildConfiguration, checkConfiguration, parseConfiguration } from './configuration.js';
export type { MappedResource, ResourceMappingDocument, ResourceMappingTimeSeries } from './resource-mapping.js';
export { buildResourceMapping, checkResourceMapping, parseResourceMapping } from './resource-mapping.js';
export type { DetectedDocument, IecDocument } from './detect.js';
export { buildDocument, detectAndParse } from './detect.js';
export type { BuildOptions, CodedId, DateAndTime, Participant, Period, Point, Reason } from './model.js';
export type { CheckMode, Problem } from './internal/check.js';
export type { IecInput, IecIssue, ParseOptions } from './internal/read.js';
export type {
  AcknowledgementVersion,
  ConfigurationVersion,
  DocumentKind,
  DocumentSpec,
  GeneratingUnitElement,
  GenerationLoadVersion,
  QuantityUnitElement,
  ResourceMappingVersion,
  StatusRequestVersion,
  UnavailabilityVersion,
  VersionBase,
} from './documents.js';
export {
  ACKNOWLEDGEMENT,
  CONFIGURATION,
  DOCUMENTS,
  emittedVersion,
  findDocument,
  GENERATION_LOAD,
  RESOURCE_MAPPING,
  STATUS_REQUEST,
  UNAVAILABILITY,
  versionOf,
} from './documents.js';
export type { FloatLexical } from './decimal.js';
export { canonicalDecimal, decimalEquals, decimalFromNumber, decimalProblem, FLOAT_LEXICAL, floatProblem, isDecimal } from './decimal.js';
export type { Block, BlockCurveType, CurvePeriod, Resolution, TimeInterval, UtcInterval } from './time.js';
export {
  addResolution,
  BLOCK_CURVE_TYPES,
  compactCurve,
  curvePeriodProblems,
  dateProblem,
  esmpDateTimeProblem,
  expandCurve,
  formatEsmpDateTime,
  formatIntervalString,
  formatResolution,
  formatTimeInterval,
  formatYmdhm,
  MAX_POSITION,
  parseEsmpDateTime,
  parseIntervalString,
  parseResolution,
  parseTimeInterval,
  parseYmdhm,
  pointCount,
  positionAt,
  positionInterval,
  positionStart,
  resolutionProblem,
  timeIntervalProblems,
  timeOfDayProblem,
  ymdhmProblem,
} from './time.js';
