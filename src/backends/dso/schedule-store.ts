/**
 * The DSO backend's schedules (migration 0008): per asset on the DSO's grid, the series the TPS
 * sent — never the operator — with a change number for the "wait for schedules" feed (F9).
 */
import { advanceCursor, afterCursor } from '../cursors.js';
import type { Queryable } from '../../shared/sql.js';
import type { Schedule } from '../../tps/profile/schedules.js';
import type { PartyScope } from '../scope.js';

export interface DsoScheduleSeries {
  readonly scheduleId: string;
  readonly revision: number;
  readonly process: 'day-ahead' | 'intraday';
  readonly assetId: string;
  readonly start: string;
  readonly end: string;
  readonly resolution: string;
  readonly points: readonly number[];
  /** Only in the feed: the series was cancelled (or its asset left the schedule). */
  readonly cancelled?: boolean;
}

interface Row {
  document_mrid: string;
  asset_id: string;
  revision: number;
  process_type: string;
  period_start: Date | string;
  period_end: Date | string;
  resolution: string;
  points_kw: string[];
  cancelled: boolean;
  change_seq: string;
}

const minute = (d: Date | string) => new Date(d).toISOString().slice(0, 16) + 'Z';
const toSeries = (r: Row, feed: boolean): DsoScheduleSeries => ({
  scheduleId: r.document_mrid,
  revision: r.revision,
  process: r.process_type === 'A40' ? 'intraday' : 'day-ahead',
  assetId: r.asset_id,
  start: minute(r.period_start),
  end: minute(r.period_end),
  resolution: r.resolution,
  points: r.points_kw.map(Number),
  ...(feed && r.cancelled ? { cancelled: true } : {}),
});

const COLUMNS =
  'document_mrid, asset_id, revision, process_type, period_start, period_end, resolution, points_kw::text[] as points_kw, cancelled, change_seq';

/**
 * Applies a revision from the TPS, if newer than what the DSO holds: the series it carries
 * replace those of the same document; a cancelled revision marks them cancelled. Returns false
 * for a stale revision (nothing changes).
 */
export async function applySchedule(db: Queryable, scope: PartyScope, s: Schedule): Promise<boolean> {
  const { rows } = await db.query<{ revision: number }>(
    'select max(revision) as revision from dso_schedule_series where party_code = $1 and document_mrid = $2',
    [scope.party, s.mRID],
  );
  const held = rows[0]?.revision ?? null;
  if (held !== null && held >= s.revision) return false;
  await db.query(
    `update dso_schedule_series set cancelled = true, revision = $3, change_seq = nextval('dso_schedule_changes')
      where party_code = $1 and document_mrid = $2 and not cancelled and not (asset_id = any($4::text[]))`,
    [scope.party, s.mRID, s.revision, s.cancelled ? [] : s.series.map((x) => x.assetId)],
  );
  await db.query(
    `insert into dso_schedule_series (party_code, document_mrid, asset_id, revision, process_type, period_start, period_end, resolution, points_kw, cancelled)
     select $1, $2, x.asset_id, $3, $4, $5, $6, $7, array(select jsonb_array_elements_text(x.points))::numeric[], $8
       from jsonb_to_recordset($9::jsonb) as x(asset_id text, points jsonb)
     on conflict (party_code, document_mrid, asset_id) do update set revision = excluded.revision, process_type = excluded.process_type,
       period_start = excluded.period_start, period_end = excluded.period_end, resolution = excluded.resolution,
       points_kw = excluded.points_kw, cancelled = excluded.cancelled, change_seq = nextval('dso_schedule_changes')`,
    [
      scope.party,
      s.mRID,
      s.revision,
      s.processType,
      s.start,
      s.end,
      s.resolution,
      s.cancelled,
      JSON.stringify(s.series.map((x) => ({ asset_id: x.assetId, points: x.points }))),
    ],
  );
  return true;
}

/** Series in force that overlap [from, to). */
export async function listScheduleSeries(db: Queryable, scope: PartyScope, from: Date, to: Date): Promise<DsoScheduleSeries[]> {
  const { rows } = await db.query<Row>(
    `select ${COLUMNS} from dso_schedule_series
      where party_code = $1 and not cancelled and period_start < $3 and period_end > $2 order by period_start, asset_id`,
    [scope.party, from.toISOString(), to.toISOString()],
  );
  return rows.map((r) => toSeries(r, false));
}

/** Changes after the party's cursor of the 'schedules' feed; advances the cursor past what it returns. */
export async function takeScheduleChanges(db: Queryable, scope: PartyScope, limit = 10_000): Promise<DsoScheduleSeries[]> {
  const { rows } = await db.query<Row>(
    `select ${COLUMNS} from dso_schedule_series where party_code = $1
        and ${afterCursor('schedules')}
      order by change_seq limit $2`,
    [scope.party, limit],
  );
  await advanceCursor(db, scope, 'schedules', rows.at(-1)?.change_seq);
  return rows.map((r) => toSeries(r, true));
}
