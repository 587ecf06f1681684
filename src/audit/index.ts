/**
 * The audit context (ECP transport issue, item 6): an append-only, hash-chained log of every
 * state change and administrative change, with periodic signed checkpoints. docs/audit.md.
 *
 *   record    AuditTrail.record(tx, entry) — inside the business transaction
 *   sealer    createSealer(...).sealOnce() — chains pending events, signs checkpoints
 *   verify    verifyAuditLog(db, { publicKeys }) — names the first bad entry
 *   export    exportAuditLog(db, filter) — JSON lines for regulators
 *   keys      loadOrCreateAuditKey(path) — the Ed25519 checkpoint key
 */
export { parseAnchors } from './anchors.js';
export { ACTION_PATTERN, AUDIT_ACTIONS, messageStateAction } from './actions.js';
export {
  auditKeyPath,
  keyIdOf,
  loadAuditKey,
  loadOrCreateAuditKey,
  publicKeyOfKeyFile,
  publicKeyPathFor,
  readPublicKey,
  readPublicKeyFile,
  type AuditKey,
  type AuditPublicKey,
} from './audit-key.js';
export { canonicalJson } from './canonical-json.js';
export { exportAuditCheckpoints, exportAuditLog, readAuditLog, type ExportFilter } from './export.js';
export { GENESIS_HASH, checkpointSigningInput, entryHash, entryHashInput, type ChainedFields } from './hash.js';
export { createAuditTrail, type AuditEntry, type AuditTrail } from './record.js';
export type { AuditCheckpoint, AuditLogEntry } from './rows.js';
export { SEALER_LOCK_KEY, createSealer, type AuditSigner, type Sealer, type SealerOptions } from './sealer.js';
export { verifyAuditLog, type BadReason, type FirstBad, type VerifyOptions, type VerifyResult } from './verify.js';
