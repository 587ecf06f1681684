/**
 * The component directory context (docs/directory.md): registration, the CA's certificate
 * records, receiver-declared message paths, routing, and the signed directory document — plus
 * the endpoint/broker side (`createDirectoryCache`, `DirectoryView`). Crypto lives in src/crypto.
 */
export { createDirectory, DEFAULT_REPUBLISH_AFTER_MS } from './directory.js';
export type {
  CertificateListFilter,
  Directory,
  DirectoryAction,
  DirectoryChange,
  DirectoryChangeHook,
  DirectoryDeps,
  IssueRequest,
  PublishedDocument,
  PublishIfChangedOptions,
  PublishOptions,
  RenewRequest,
} from './directory.js';
export {
  createDirectoryCache,
  DEFAULT_REFRESH_INTERVAL_MS,
  DEFAULT_RETRY_AFTER_MS,
  fileCacheStore,
  memoryCacheStore,
  type CacheLogger,
  type DirectoryCache,
  type DirectoryCacheOptions,
  type DirectoryCacheStatus,
  type DirectoryCacheStore,
  type RefreshOutcome,
} from './directory-cache.js';
export {
  CERTS_USAGE,
  DIRECTORY_USAGE,
  runCertsCommand,
  runDirectoryCommand,
  splitConfigOption,
  type CommandIo,
  type DirectoryCommandDeps,
} from './directory-command.js';
export {
  DEFAULT_TTL_MS,
  DirectoryView,
  DOCUMENT_FORMAT,
  DOCUMENT_MEDIA_TYPE,
  signDirectoryDocument,
  verifyDirectoryDocument,
  type DirectoryDocumentBody,
  type PublishedCertificate,
  type RevokedEntry,
  type VerifiedDirectoryDocument,
} from './document.js';
export { EIC_TYPES, eicCheckCharacter, eicProblem, eicType, isEic, type EicType } from './eic.js';
export {
  COMPONENT_STATUSES,
  COMPONENT_TYPES,
  REVOCATION_REASONS,
  type CertificateRecord,
  type Component,
  type ComponentInput,
  type ComponentPatch,
  type MessagePath,
  type MessagePathInput,
  type MessagePathRoute,
  type RevocationReason,
} from './model.js';
export { matchingPaths, resolveRoute, ROUTE_REJECTIONS, type Route, type RouteQuery, type RouteRejectionCode } from './routing.js';
