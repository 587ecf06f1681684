/**
 * Verification (audit log requirement: "`tps-hub audit verify` detects any edited, deleted or
 * reordered entry and names the first bad one"). Streams the chain in pages of `pageSize`
 * entries (constant memory over millions of entries) and checks, in seq order:
 *   - seq runs 1, 2, 3… without gaps;
 *   - each entry's hash recomputes (hash.ts) and its prev_hash is the previous entry's hash;
 *   - each checkpoint is signed by one of the trusted public keys (never a key from the
 *     database) and commits to the hash the entry at its seq has;
 *   - no signed checkpoint lies beyond the last entry (a truncated tail up to a checkpoint).
 * At the first failure, diagnose.ts names the first bad entry and why.
 *
 * Limits (docs/audit.md, threat model): SHA-256 has no secret, so whoever can write the table
 * can recompute hashes; only the signed checkpoints catch that, and only up to the last one.
 * Entries after the last checkpoint — or a tail deleted together with its checkpoints — cannot
 * be told from a log that simply ended there without an anchor held outside the database, which
 * is why checkpoints are published (`tps-hub audit checkpoints`) and can be handed back to verify
 * as `anchors` (`--anchors FILE`): then each must still be in the database and the log must reach it.
 */
import { verify as verifySignature } from 'node:crypto';
import type { Queryable } from '../shared/sql.js';
import type { AuditPublicKey } from './audit-key.js';
import { diagnose, short, type FirstBad } from './diagnose.js';
import { GENESIS_HASH, checkpointSigningInput, entryHash } from './hash.js';
import { paged, readCheckpoints, readEntries, type AuditCheckpoint } from './rows.js';

export type { BadReason, FirstBad } from './diagnose.js';

export interface VerifyOptions {
  /** Trusted checkpoint keys (pinned outside the database); a checkpoint by any other key fails. */
  readonly publicKeys: readonly AuditPublicKey[];
  /**
   * Checkpoints published earlier (`tps-hub audit checkpoints`), held outside the database: the
   * external anchor. Each must still be in the database unchanged, and the log must reach it —
   * which catches a tail deleted together with its checkpoints.
   */
  readonly anchors?: readonly AuditCheckpoint[];
  /** Entries read per query (default 2000). */
  readonly pageSize?: number;
}

export interface VerifyResult {
  readonly ok: boolean;
  /** Entries verified (before the first bad one, if any). */
  readonly entries: number;
  /** Checkpoints verified. */
  readonly checkpoints: number;
  /** Seq of the last verified entry: the end of the log, or the one before the first bad one (0: none). */
  readonly lastSeq: number;
  /** Hash of the last entry when the log is intact (compare it with an anchor kept elsewhere). */
  readonly lastHash?: string;
  readonly lastCheckpoint?: { readonly seq: number; readonly at: string; readonly keyId: string };
  /** Verified entries after the last verified checkpoint: protected by the chain alone. */
  readonly unanchored: number;
  readonly firstBad?: FirstBad;
}

function checkSignature(cp: AuditCheckpoint, keys: ReadonlyMap<string, AuditPublicKey>): string | undefined {
  const key = keys.get(cp.keyId);
  if (!key) return `checkpoint at seq ${cp.seq} is signed by key ${cp.keyId}, which is not among the trusted public keys`;
  let valid: boolean;
  try {
    valid = verifySignature(null, checkpointSigningInput(cp), key.key, Buffer.from(cp.signature, 'base64'));
  } catch {
    valid = false; // a malformed signature
  }
  return valid ? undefined : `checkpoint at seq ${cp.seq}: signature by key ${cp.keyId} does not verify`;
}

interface ToCheck {
  readonly checkpoint: AuditCheckpoint;
  /** Set when the database's copy disagrees with the published one. */
  readonly problem?: string;
}

const same = (a: AuditCheckpoint, b: AuditCheckpoint) =>
  a.hash === b.hash && a.at === b.at && a.keyId === b.keyId && a.signature === b.signature;

/**
 * The stored checkpoints up to `bound`, in seq order, merged with the published anchors: where
 * both exist the published one is checked (and a differing stored copy is a problem), a
 * published one missing from the database is checked and is a problem itself.
 */
async function* checkpointsToCheck(
  db: Queryable,
  bound: number,
  anchors: readonly AuditCheckpoint[],
  pageSize: number,
): AsyncGenerator<ToCheck> {
  const published = [...anchors].sort((a, b) => a.seq - b.seq);
  let i = 0;
  const missing = (c: AuditCheckpoint): ToCheck => ({
    checkpoint: c,
    problem: `the published checkpoint at seq ${c.seq} is missing from the database`,
  });
  for await (const stored of paged((after) => readCheckpoints(db, after, pageSize), pageSize, Number.MIN_SAFE_INTEGER)) {
    if (stored.seq > bound) break;
    for (let p = published[i]; p && p.seq < stored.seq; p = published[++i]) yield missing(p);
    const p = published[i];
    if (p && p.seq === stored.seq) {
      i += 1;
      yield same(p, stored)
        ? { checkpoint: p }
        : { checkpoint: p, problem: `the checkpoint at seq ${p.seq} in the database differs from the published one` };
    } else {
      yield { checkpoint: stored };
    }
  }
  for (let p = published[i]; p; p = published[++i]) yield missing(p);
}

export async function verifyAuditLog(db: Queryable, opts: VerifyOptions): Promise<VerifyResult> {
  const pageSize = opts.pageSize ?? 2000;
  const keys = new Map(opts.publicKeys.map((k) => [k.keyId, k]));
  // Checkpoints written after verification started are left for the next run: each one we look
  // at was committed after the entries it covers, so those entries are visible to every page.
  const bound = await db.query<{ max: string | null }>('select max(seq)::text as max from audit_checkpoint');
  const lastCheckpointSeq = Number(bound.rows[0]?.max ?? 0);
  const checkpoints = checkpointsToCheck(db, lastCheckpointSeq, opts.anchors ?? [], pageSize);
  const nextCheckpoint = async () => {
    const r = await checkpoints.next();
    return r.done ? undefined : r.value;
  };

  let n = 1;
  let prevHash = GENESIS_HASH;
  let entries = 0;
  let verifiedCheckpoints = 0;
  let lastCheckpoint: AuditCheckpoint | undefined;
  const result = (firstBad?: FirstBad): VerifyResult => {
    // diagnose() may name an entry before n (one that verified on its own but is shown to be
    // bad by what follows it): everything before the first bad one is what is known good.
    const lastSeq = firstBad ? Math.min(n, firstBad.seq) - 1 : n - 1;
    return {
      ok: firstBad === undefined,
      entries: Math.min(entries, lastSeq),
      checkpoints: verifiedCheckpoints,
      lastSeq,
      ...(firstBad ? {} : { lastHash: prevHash }),
      ...(lastCheckpoint ? { lastCheckpoint: { seq: lastCheckpoint.seq, at: lastCheckpoint.at, keyId: lastCheckpoint.keyId } } : {}),
      unanchored: Math.max(0, lastSeq - (lastCheckpoint?.seq ?? 0)),
      ...(firstBad ? { firstBad } : {}),
    };
  };

  let next = await nextCheckpoint();
  const all = paged((after) => readEntries(db, after + 1, Number.MAX_SAFE_INTEGER, pageSize), pageSize, Number.MIN_SAFE_INTEGER);
  for await (const e of all) {
    if (e.seq !== n || e.prev_hash !== prevHash || entryHash(e) !== e.hash) return result(await diagnose(db, n, prevHash, e));
    for (; next && next.checkpoint.seq <= e.seq; next = await nextCheckpoint()) {
      const cp = next.checkpoint;
      const bad =
        cp.seq < e.seq ? `checkpoint at seq ${cp.seq} lies before the start of the chain` : (next.problem ?? checkSignature(cp, keys));
      if (bad) return result({ seq: cp.seq, reason: 'checkpoint', detail: bad });
      if (cp.hash !== e.hash) {
        const since = (lastCheckpoint?.seq ?? 0) + 1;
        return result({
          seq: cp.seq,
          reason: 'checkpoint',
          detail: `the signed checkpoint at seq ${cp.seq} commits to hash ${short(cp.hash)} but entry ${cp.seq} hashes to ${short(e.hash)}: entries ${since}–${cp.seq} were rewritten with recomputed hashes`,
        });
      }
      verifiedCheckpoints += 1;
      lastCheckpoint = cp;
    }
    entries += 1;
    prevHash = e.hash;
    n += 1;
  }
  if (next) {
    // A checkpoint beyond the last entry: if genuine, the entries up to it were deleted.
    const cp = next.checkpoint;
    const bad = checkSignature(cp, keys);
    if (bad) return result({ seq: cp.seq, reason: 'checkpoint', detail: bad });
    return result({
      seq: n,
      reason: 'deleted',
      detail: `${n === cp.seq ? `entry ${n} is` : `entries ${n}–${cp.seq} are`} missing: the log ends at seq ${n - 1} but a signed checkpoint commits to seq ${cp.seq}`,
    });
  }
  return result();
}
