/**
 * Published checkpoints read back as external anchors for verify (the answer to "tail
 * truncation after the last checkpoint is undetectable without an external anchor"): the JSON
 * lines `tps-hub audit checkpoints` printed, kept by the regulator or the operator elsewhere.
 */
import { HubError } from '../shared/errors.js';
import type { AuditCheckpoint } from './rows.js';

const HEX64 = /^[0-9a-f]{64}$/;

/** Parses JSON lines of {seq, hash, at, keyId, signature}; blank lines are skipped. */
export function parseAnchors(text: string, source = 'anchors'): AuditCheckpoint[] {
  return text.split('\n').flatMap((line, i) => {
    if (line.trim() === '') return [];
    const where = `${source}:${i + 1}`;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      throw new HubError('INPUT_UNREADABLE', `${where}: not JSON: ${(e as Error).message}`);
    }
    const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
    const { seq, hash, at, keyId, signature } = o;
    if (
      typeof seq !== 'number' ||
      !Number.isSafeInteger(seq) ||
      seq < 1 ||
      typeof hash !== 'string' ||
      !HEX64.test(hash) ||
      typeof at !== 'string' ||
      typeof keyId !== 'string' ||
      typeof signature !== 'string'
    ) {
      throw new HubError('INPUT_UNREADABLE', `${where}: not a checkpoint {seq, hash, at, keyId, signature}`);
    }
    return [{ seq, hash, at, keyId, signature }];
  });
}
