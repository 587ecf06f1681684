-- 0008 operational schedules (F8, F9; docs/tps.md, profile §7): GL_MarketDocument A67 from an
-- AGR/BRP, kept by the TPS with its operator, split per DSO without it.

-- TPS: each schedule document in force (highest revision per mRID) and its series per asset.
create table tps_schedules (
  document_mrid text        primary key,
  operator_code text        not null references parties (code),
  revision      integer     not null,
  process_type  text        not null,                          -- A01 day ahead, A40 intraday
  period_start  timestamptz not null,
  period_end    timestamptz not null,
  resolution    text        not null,
  cancelled     boolean     not null default false,
  received_at   timestamptz not null default now()
);
create index tps_schedules_operator on tps_schedules (operator_code);
create table tps_schedule_series (
  document_mrid text      not null references tps_schedules (document_mrid) on delete cascade,
  asset_id      text      not null,
  dso_code      text      not null,
  points_kw     numeric[] not null,                              -- one value per position; + production, − consumption
  primary key (document_mrid, asset_id)
);
create index tps_schedule_series_asset on tps_schedule_series (asset_id);
create index tps_schedule_series_dso on tps_schedule_series (dso_code);

-- AGR/BRP backend: the party's schedules as the TPS accepted them.
create table agr_schedules (
  party_code    text        not null references parties (code),
  document_mrid text        not null,
  revision      integer     not null,
  process_type  text        not null,
  period_start  timestamptz not null,
  period_end    timestamptz not null,
  resolution    text        not null,
  cancelled     boolean     not null default false,
  series        json        not null,                          -- [{ assetId, points }]
  primary key (party_code, document_mrid)
);

-- DSO backend: schedules of assets on the DSO's grid, as the TPS split them (no operator).
create sequence dso_schedule_changes;
create table dso_schedule_series (
  party_code    text        not null references parties (code),
  document_mrid text        not null,                          -- the TPS's document to this DSO
  asset_id      text        not null,
  revision      integer     not null,
  process_type  text        not null,
  period_start  timestamptz not null,
  period_end    timestamptz not null,
  resolution    text        not null,
  points_kw     numeric[]   not null,
  cancelled     boolean     not null default false,
  change_seq    bigint      not null default nextval('dso_schedule_changes'),
  primary key (party_code, document_mrid, asset_id)
);
create index dso_schedule_series_period on dso_schedule_series (party_code, period_start, period_end);
create index dso_schedule_series_changes on dso_schedule_series (party_code, change_seq);
