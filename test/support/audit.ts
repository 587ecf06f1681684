/**
 * Audit log test fixtures: a migrated test database (PGlite or PostgreSQL, see backends.ts), a
 * signing key in a temporary directory, a trail and a sealer on a fixed clock, and a way to
 * tamper with the chain as a malicious DBA would — triggers disabled for the statement.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditKeyPath, loadOrCreateAuditKey, type AuditKey } from '../../src/audit/audit-key.js';
import { createAuditTrail, type AuditTrail } from '../../src/audit/record.js';
import { createSealer, type Sealer, type SealerOptions } from '../../src/audit/sealer.js';
import { migrate } from '../../src/infra/db/migrate.js';
import { fixedClock } from '../../src/shared/clock.js';
import type { Database, Queryable } from '../../src/shared/sql.js';
import { openTestDatabase, type TestDatabase } from './backends.js';

export interface AuditFixture {
  readonly db: TestDatabase;
  readonly clock: ReturnType<typeof fixedClock>;
  readonly key: AuditKey;
  readonly dataDir: string;
  readonly trail: AuditTrail;
  sealer(opts?: Partial<Omit<SealerOptions, 'db' | 'clock' | 'signer'>>, db?: Database): Sealer;
}

export async function openAuditFixture(): Promise<AuditFixture> {
  const db = await openTestDatabase();
  await migrate(db);
  const clock = fixedClock('2025-06-02T10:00:00.000Z');
  const dataDir = mkdtempSync(join(tmpdir(), 'audit-'));
  const key = loadOrCreateAuditKey(auditKeyPath(dataDir));
  return {
    db,
    clock,
    key,
    dataDir,
    trail: createAuditTrail(clock),
    sealer: (opts = {}, other = db) => createSealer({ db: other, clock, signer: key, ...opts }),
  };
}

/** Records `count` message state changes, `perTransaction` per transaction, the clock moving 1 ms each. */
export async function recordMessages(f: AuditFixture, count: number, perTransaction = 100, start = 0): Promise<void> {
  for (let i = start; i < start + count; i += perTransaction) {
    await f.db.transaction(async (tx) => {
      for (let k = i; k < Math.min(i + perTransaction, start + count); k++) {
        f.clock.advance(1);
        await f.trail.record(tx, {
          actor: k % 2 ? '10X1001A1001A450' : '10XCZ-CEPS-GRIDE',
          action: k % 3 ? 'message.state.accepted' : 'message.state.delivered',
          subject: `msg-${k}`,
          parties: k % 2 ? ['10X1001A1001A450', '10XCZ-CEPS-GRIDE'] : ['10XCZ-CEPS-GRIDE', '10YCZ-CEPS-----N'],
          details: { from: 'A', to: 'B', n: k, note: k % 7 ? 'ok' : 'ünïcödé 😀 "quoted"' },
        });
      }
    });
  }
}

/** Runs statements against the chain as a DBA who disabled the append-only triggers. */
export async function tamper(db: Queryable, ...statements: string[]): Promise<void> {
  await db.exec('alter table audit_log disable trigger user; alter table audit_checkpoint disable trigger user');
  try {
    for (const s of statements) await db.exec(s);
  } finally {
    await db.exec('alter table audit_log enable trigger user; alter table audit_checkpoint enable trigger user');
  }
}

export async function count(db: Queryable, table: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(`select count(*)::text as n from ${table}`);
  return Number(rows[0]?.n);
}
