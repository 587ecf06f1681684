/**
 * The hash chain's definitions (audit log requirement: "each entry commits to the previous
 * entry's hash", "periodic signed checkpoints"). docs/audit.md repeats them for regulators who
 * verify an export independently; change nothing here without a new format version.
 *
 *   hash(entry) = lower-case hex SHA-256 of the UTF-8 bytes of
 *     JCS({ seq, at, actor, action, subject, parties, details, prev_hash })
 *   prev_hash of seq 1 = 64 zeros (GENESIS_HASH); of seq n > 1 = hash of seq n − 1
 *   checkpoint signature = base64 Ed25519 signature over the UTF-8 bytes of
 *     JCS({ seq, hash, at, keyId })
 *
 * `at` is always written `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC, microseconds — the precision of
 * PostgreSQL's timestamptz), `seq` is a JSON number, `subject` is a string or null.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields of a sealed entry that its hash covers. */
export interface ChainedFields {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string | null;
  readonly parties: readonly string[];
  readonly details: Readonly<Record<string, unknown>>;
  readonly prev_hash: string;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The exact text whose SHA-256 is an entry's hash. */
export function entryHashInput(e: ChainedFields): string {
  return canonicalJson({
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    action: e.action,
    subject: e.subject,
    parties: e.parties,
    details: e.details,
    prev_hash: e.prev_hash,
  });
}

export function entryHash(e: ChainedFields): string {
  return sha256Hex(entryHashInput(e));
}

export interface CheckpointFields {
  readonly seq: number;
  readonly hash: string;
  readonly at: string;
  readonly keyId: string;
}

/** The exact bytes a checkpoint signature covers. */
export function checkpointSigningInput(c: CheckpointFields): Buffer {
  return Buffer.from(canonicalJson({ seq: c.seq, hash: c.hash, at: c.at, keyId: c.keyId }), 'utf8');
}

/** `2025-06-02T11:10:00.123000Z`: the chain's timestamp form (a JS Date has milliseconds). */
export function chainTimestamp(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new TypeError('audit: invalid date');
  return d.toISOString().replace(/Z$/, '000Z');
}

/**
 * SQL expression giving a timestamptz column in the chain's timestamp form, so hashes are
 * computed over the stored value to the microsecond, whatever the driver or session time zone.
 */
export const sqlChainTimestamp = (column: string): string => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
