-- 0009 capacity limits (F6, F7; docs/tps.md, profile §6): a DSO's Unavailability_MarketDocument,
-- kept by the TPS with the fairness policy and the total, divided into one share per asset; each
-- AGR/BRP keeps only its own assets' shares.

create table tps_limits (
  document_mrid text        primary key,
  dso_code      text        not null references parties (code),
  revision      integer     not null,
  kind          text        not null check (kind in ('foreseen', 'unforeseen')),
  direction     text        not null check (direction in ('consumption', 'production')),
  period_start  timestamptz not null,
  period_end    timestamptz not null,
  action        text,                                           -- unforeseen: start | stop | hold
  cancelled     boolean     not null default false,
  policy        text        not null,                           -- the fairness policy used
  limit_body    json        not null,                           -- the limit as received (groups, totals per position)
  received_at   timestamptz not null default now()
);
create index tps_limits_dso on tps_limits (dso_code);
create table tps_limit_shares (
  document_mrid text      not null references tps_limits (document_mrid) on delete cascade,
  asset_id      text      not null,
  operator_code text      not null,
  shares_kw     numeric[],                                      -- per PT15M position; null: no capacity given (unforeseen)
  primary key (document_mrid, asset_id)
);
create index tps_limit_shares_operator on tps_limit_shares (operator_code);

-- AGR/BRP backend: the shares of the party's assets, as the TPS sent them.
create sequence agr_limit_changes;
create table agr_limits (
  party_code    text        not null references parties (code),
  document_mrid text        not null,                           -- the TPS's document to this party
  revision      integer     not null,
  period_start  timestamptz not null,
  period_end    timestamptz not null,
  cancelled     boolean     not null default false,
  limit_body    json        not null,
  change_seq    bigint      not null default nextval('agr_limit_changes'),
  primary key (party_code, document_mrid)
);
create index agr_limits_period on agr_limits (party_code, period_start, period_end);
create index agr_limits_changes on agr_limits (party_code, change_seq);

-- DSO backend: the DSO's own limits as the TPS accepted them.
create table dso_limits (
  party_code    text        not null references parties (code),
  document_mrid text        not null,
  revision      integer     not null,
  period_start  timestamptz not null,
  period_end    timestamptz not null,
  cancelled     boolean     not null default false,
  limit_body    json        not null,
  primary key (party_code, document_mrid)
);
