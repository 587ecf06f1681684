/** The AGR/BRP backend's schedules as the TPS accepted them (migration 0008), scoped to the party. */
import type { Queryable } from '../../shared/sql.js';
import type { Schedule, ScheduleProcess } from '../../tps/profile/schedules.js';
import type { PartyScope } from '../scope.js';

interface Row {
  document_mrid: string;
  revision: number;
  process_type: ScheduleProcess;
  period_start: Date | string;
  period_end: Date | string;
  resolution: string;
  cancelled: boolean;
  series: { assetId: string; codingScheme: string; points: string[] }[];
}

const minute = (d: Date | string) => new Date(d).toISOString().slice(0, 16) + 'Z';

const toSchedule = (r: Row): Schedule => ({
  mRID: r.document_mrid,
  revision: r.revision,
  processType: r.process_type,
  start: minute(r.period_start),
  end: minute(r.period_end),
  resolution: r.resolution,
  cancelled: r.cancelled,
  series: r.series,
});

export async function getSchedule(db: Queryable, scope: PartyScope, id: string): Promise<Schedule | undefined> {
  const { rows } = await db.query<Row>('select * from agr_schedules where party_code = $1 and document_mrid = $2', [scope.party, id]);
  return rows[0] ? toSchedule(rows[0]) : undefined;
}

/** Schedules in force that overlap [from, to). */
export async function listSchedules(db: Queryable, scope: PartyScope, from: Date, to: Date): Promise<Schedule[]> {
  const { rows } = await db.query<Row>(
    `select * from agr_schedules where party_code = $1 and not cancelled and period_start < $3 and period_end > $2 order by period_start, document_mrid`,
    [scope.party, from.toISOString(), to.toISOString()],
  );
  return rows.map(toSchedule);
}

/** Keeps the newest revision the TPS accepted. */
export async function saveSchedule(db: Queryable, scope: PartyScope, s: Schedule): Promise<void> {
  await db.query(
    `insert into agr_schedules (party_code, document_mrid, revision, process_type, period_start, period_end, resolution, cancelled, series)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     on conflict (party_code, document_mrid) do update set revision = excluded.revision, process_type = excluded.process_type,
       period_start = excluded.period_start, period_end = excluded.period_end, resolution = excluded.resolution,
       cancelled = excluded.cancelled, series = excluded.series
     where agr_schedules.revision < excluded.revision`,
    [scope.party, s.mRID, s.revision, s.processType, s.start, s.end, s.resolution, s.cancelled, JSON.stringify(s.series)],
  );
}
