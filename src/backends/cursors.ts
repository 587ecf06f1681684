/**
 * Where each party's long polls have read up to, per feed ('assets', 'schedules', 'limits'): a
 * feed returns the rows whose change number is above the cursor, and moves it past them.
 */
import type { Queryable } from '../shared/sql.js';
import type { PartyScope } from './scope.js';

export type Feed = 'assets' | 'schedules' | 'limits';

/** SQL for "after the party's cursor of `feed`", with the party as $1. */
export const afterCursor = (feed: Feed): string =>
  `change_seq > coalesce((select seq from backend_cursors where party_code = $1 and feed = '${feed}'), 0)`;

/** Moves the cursor to `seq` (never back). */
export async function advanceCursor(db: Queryable, scope: PartyScope, feed: Feed, seq: string | undefined): Promise<void> {
  if (seq === undefined) return;
  await db.query(
    `insert into backend_cursors (party_code, feed, seq) values ($1, $2, $3)
     on conflict (party_code, feed) do update set seq = greatest(backend_cursors.seq, excluded.seq)`,
    [scope.party, feed, seq],
  );
}
