/**
 * Naming what went wrong where the chain first breaks (audit log requirement: "`tps-hub audit
 * verify` detects any edited, deleted or reordered entry and names the first bad one").
 *
 * Verification stops at the first position n where the stored entry is not [seq n, hash
 * recomputes, prev_hash = hash of n − 1]. Every entry commits to its own seq, so an entry moved
 * to another seq no longer recomputes there — but it still recomputes at the seq it was sealed
 * as. Looking at the entries around n (a window of WINDOW entries) therefore tells the cases
 * apart; the decision table is in docs/audit.md ("What verify reports").
 */
import type { Queryable } from '../shared/sql.js';
import { entryHash } from './hash.js';
import { readEntries, type AuditLogEntry } from './rows.js';

export type BadReason = 'edited' | 'deleted' | 'inserted' | 'reordered' | 'checkpoint';

export interface FirstBad {
  readonly seq: number;
  readonly reason: BadReason;
  readonly detail: string;
}

/** How far around the break entries are examined. */
export const WINDOW = 1000;

export const short = (hash: string): string => `${hash.slice(0, 12)}…`;

function consistentAt(e: AuditLogEntry, seq: number): boolean {
  return entryHash({ ...e, seq }) === e.hash;
}

/** The seq an entry was sealed as, if it is within WINDOW of where it is stored now. */
function sealedAs(e: AuditLogEntry): number | undefined {
  for (let d = 1; d <= WINDOW; d++) {
    if (e.seq - d >= 1 && consistentAt(e, e.seq - d)) return e.seq - d;
    if (consistentAt(e, e.seq + d)) return e.seq + d;
  }
  return undefined;
}

const range = (a: number, b: number) => (a === b ? `entry ${a} is` : `entries ${a}–${b} are`);

/**
 * `n`: the first seq not verified; `prevHash`: the verified hash of n − 1 (zeros for n = 1);
 * `found`: the first stored entry with seq ≥ n, which does not continue the chain.
 */
export async function diagnose(db: Queryable, n: number, prevHash: string, found: AuditLogEntry): Promise<FirstBad> {
  if (found.seq < n) return { seq: found.seq, reason: 'inserted', detail: `entry ${found.seq} is before the start of the chain (seq 1)` };
  const window = await readEntries(db, n, n + WINDOW, WINDOW + 1);
  // The entry originally sealed as seq n, wherever it is stored now.
  const original = window.find((x) => x.prev_hash === prevHash && consistentAt(x, n));

  if (found.seq > n) {
    if (original)
      return {
        seq: n,
        reason: 'reordered',
        detail: `entry ${n} is missing; the entry sealed as seq ${n} is stored at seq ${original.seq}`,
      };
    return { seq: n, reason: 'deleted', detail: `${range(n, found.seq - 1)} missing (the next stored entry is ${found.seq})` };
  }

  if (consistentAt(found, n)) {
    // Its own hash is right for seq n, but it commits to another predecessor.
    if (original)
      return {
        seq: n,
        reason: 'inserted',
        detail: `entry ${n} does not chain to entry ${n - 1}; the entry sealed as seq ${n} is stored at seq ${original.seq}`,
      };
    if (n === 1)
      return { seq: 1, reason: 'edited', detail: `entry 1 commits to previous hash ${short(found.prev_hash)} instead of 64 zeros` };
    return {
      seq: n - 1,
      reason: 'edited',
      detail: `entry ${n} commits to previous hash ${short(found.prev_hash)} but entry ${n - 1} hashes to ${short(prevHash)}: entry ${n - 1} was changed and its hash recomputed`,
    };
  }

  const was = sealedAs(found);
  if (was !== undefined && was < n)
    return {
      seq: was,
      reason: 'inserted',
      detail: `the entry sealed as seq ${was} is stored at seq ${n}: ${range(was, n - 1)} inserted before it`,
    };
  if (was !== undefined) {
    if (original)
      return {
        seq: n,
        reason: 'reordered',
        detail: `the entry stored at seq ${n} was sealed as seq ${was}; the entry sealed as seq ${n} is stored at seq ${original.seq}`,
      };
    return {
      seq: n,
      reason: 'deleted',
      detail: `the entry stored at seq ${n} was sealed as seq ${was}: ${range(n, was - 1)} deleted and later entries renumbered`,
    };
  }
  if (original)
    return {
      seq: n,
      reason: 'inserted',
      detail: `entry ${n} does not belong to the chain; the entry sealed as seq ${n} is stored at seq ${original.seq}`,
    };
  const link = found.prev_hash === prevHash ? '' : `; its previous hash ${short(found.prev_hash)} is not entry ${n - 1}'s either`;
  return { seq: n, reason: 'edited', detail: `stored hash ${short(found.hash)}, recomputed ${short(entryHash(found))}${link}` };
}
