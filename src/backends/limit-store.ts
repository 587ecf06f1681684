/**
 * Capacity limits in the party backends (migration 0009): a DSO keeps its own limits as the TPS
 * accepted them (`dso_limits`), an AGR/BRP the shares the TPS sent it (`agr_limits`, with a
 * change number for the wait feed). Every query names the caller's party.
 */
import { advanceCursor, afterCursor } from './cursors.js';
import type { Queryable } from '../shared/sql.js';
import type { CapacityLimit } from '../tps/profile/capacity-limits.js';
import type { PartyScope } from './scope.js';

type Table = 'dso_limits' | 'agr_limits';

/** Keeps the newest revision; false when `l` is not newer than the one held. */
export async function saveLimit(db: Queryable, table: Table, scope: PartyScope, l: CapacityLimit): Promise<boolean> {
  const seq = table === 'agr_limits' ? ", change_seq = nextval('agr_limit_changes')" : '';
  const r = await db.query(
    `insert into ${table} (party_code, document_mrid, revision, period_start, period_end, cancelled, limit_body)
     values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (party_code, document_mrid) do update set revision = excluded.revision, period_start = excluded.period_start,
       period_end = excluded.period_end, cancelled = excluded.cancelled, limit_body = excluded.limit_body${seq}
     where ${table}.revision < excluded.revision`,
    [scope.party, l.mRID, l.revision, l.start, l.end, l.cancelled, JSON.stringify(l)],
  );
  return r.rowCount > 0;
}

export async function getLimit(db: Queryable, table: Table, scope: PartyScope, id: string): Promise<CapacityLimit | undefined> {
  const { rows } = await db.query<{ limit_body: CapacityLimit }>(
    `select limit_body from ${table} where party_code = $1 and document_mrid = $2`,
    [scope.party, id],
  );
  return rows[0]?.limit_body;
}

/** Limits in force that overlap [from, to). */
export async function listLimits(db: Queryable, table: Table, scope: PartyScope, from: Date, to: Date): Promise<CapacityLimit[]> {
  const { rows } = await db.query<{ limit_body: CapacityLimit }>(
    `select limit_body from ${table} where party_code = $1 and not cancelled and period_start < $3 and period_end > $2 order by period_start, document_mrid`,
    [scope.party, from.toISOString(), to.toISOString()],
  );
  return rows.map((r) => r.limit_body);
}

/** Limits in force that have not ended at `now`. */
export async function activeLimits(db: Queryable, table: Table, scope: PartyScope, now: Date): Promise<CapacityLimit[]> {
  const { rows } = await db.query<{ limit_body: CapacityLimit }>(
    `select limit_body from ${table} where party_code = $1 and not cancelled and period_end > $2 order by period_start, document_mrid`,
    [scope.party, now.toISOString()],
  );
  return rows.map((r) => r.limit_body);
}

/** New or changed shares after the party's cursor of the 'limits' feed (cancellations included); advances the cursor. */
export async function takeLimitChanges(db: Queryable, scope: PartyScope, limit = 1_000): Promise<CapacityLimit[]> {
  const { rows } = await db.query<{ limit_body: CapacityLimit; change_seq: string }>(
    `select limit_body, change_seq from agr_limits where party_code = $1
        and ${afterCursor('limits')}
      order by change_seq limit $2`,
    [scope.party, limit],
  );
  await advanceCursor(db, scope, 'limits', rows.at(-1)?.change_seq);
  return rows.map((r) => r.limit_body);
}
