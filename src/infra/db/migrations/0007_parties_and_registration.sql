-- 0007 parties, API tokens and the static information of the Trade Permission System
-- (src/parties, src/tps, src/backends; docs/tps.md). Three kinds of store, kept apart on purpose:
--   * tps_*      the TPS backend: the whole truth, operators included; only the TPS reads it;
--   * agr_*      the AGR/BRP backend: each row belongs to one party (party_code), queries always
--                name it (src/backends/scope.ts);
--   * dso_*      the DSO backend: each row belongs to one DSO; there is no operator column at all,
--                so no DSO answer can ever contain an operator (NF3).

create table parties (
  code          text        primary key,                        -- EIC X code (A01) or GLN (A10)
  coding_scheme text        not null check (coding_scheme in ('A01', 'A10')),
  role          text        not null check (role in ('AGR', 'BRP', 'DSO', 'REGULATOR', 'TPS')),
  name          text        not null,
  endpoint_code text        unique,                             -- the hosted endpoint (EIC V code)
  created_at    timestamptz not null default now(),
  suspended_at  timestamptz
);

-- Public keys that verify API tokens (the private key stays on the issuing host).
create table api_token_keys (
  kid            text        primary key,
  public_key_pem text        not null unique,
  created_at     timestamptz not null default now(),
  retired_at     timestamptz
);

-- Issued API tokens, by jti (the token itself is never stored).
create table api_tokens (
  jti        text        primary key,
  party_code text        not null references parties (code),
  label      text        not null,
  kid        text        not null references api_token_keys (kid),
  issued_at  timestamptz not null,
  expires_at timestamptz not null,
  revoked_at timestamptz
);
create index api_tokens_party on api_tokens (party_code);

-- Documents a backend has processed from its endpoint's inbox (idempotency on the transport
-- message ID) and the answers it sent, re-sent as they were if the message is delivered again.
create table backend_inbox (
  endpoint_code text        not null,
  message_id    text        not null,
  processed_at  timestamptz not null default now(),
  answers       json        not null default '[]',             -- json, not jsonb: kept as written (documents of MBs)
  primary key (endpoint_code, message_id)
);

-- Requests a party's backend sent as documents to the TPS, and how the TPS answered.
create table backend_requests (
  request_id    text        primary key,
  party_code    text        not null references parties (code),
  document_mrid text        not null,                          -- the document the request was sent as …
  revision      integer     not null default 1,                -- … and its revision: what the acknowledgement names
  kind          text        not null,                          -- assets | connection-points | …
  body          json        not null,                          -- what the request asked for
  message_id    text,                                          -- transport message ID
  state         text        not null default 'sent' check (state in ('sent', 'accepted', 'rejected')),
  reasons       jsonb,
  created_at    timestamptz not null default now(),
  answered_at   timestamptz
);
create index backend_requests_party on backend_requests (party_code, created_at);
-- one live request per document revision (a rejected one frees it: the same revision may be sent again)
create unique index backend_requests_document on backend_requests (document_mrid, revision) where state <> 'rejected';

-- TPS: the grid areas of each DSO and their connection points (ResourceMapping, profile §4).
create table tps_grid_areas (
  area_code     text        primary key,                        -- EIC Y code
  dso_code      text        not null references parties (code),
  last_document timestamptz not null                            -- createdDateTime of the list in force
);
create table tps_connection_points (
  cp_id     text not null primary key,                          -- GSRN / EAN-18 (A10)
  area_code text not null references tps_grid_areas (area_code)
);
create index tps_connection_points_area on tps_connection_points (area_code);

-- TPS: the asset catalogue (Configuration, profile §4): the only place that knows operators.
create table tps_assets (
  asset_id           text        primary key,
  coding_scheme      text        not null,
  operator_code      text        not null references parties (code),
  cp_id              text        not null references tps_connection_points (cp_id),
  area_code          text        not null references tps_grid_areas (area_code),
  name               text,
  psr_type           text        not null,
  max_production_kw  numeric,                                   -- null: does not produce
  max_consumption_kw numeric,                                   -- null: does not consume
  valid_from         date        not null,
  registered_at      timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  check (max_production_kw is not null or max_consumption_kw is not null)
);
create index tps_assets_operator on tps_assets (operator_code);
create index tps_assets_area on tps_assets (area_code);

-- AGR/BRP backend: the party's assets as the TPS accepted them.
create table agr_assets (
  party_code         text        not null references parties (code),
  asset_id           text        not null,
  coding_scheme      text        not null,
  cp_id              text        not null,
  area_code          text,
  name               text,
  psr_type           text        not null,
  max_production_kw  numeric,
  max_consumption_kw numeric,
  valid_from         date        not null,
  updated_at         timestamptz not null default now(),
  primary key (party_code, asset_id)
);

-- DSO backend: the DSO's connection points as the TPS accepted them.
create table dso_connection_points (
  party_code text not null references parties (code),
  cp_id      text not null,
  area_code  text not null,
  primary key (party_code, cp_id)
);

-- DSO backend: the assets on the DSO's grid as the TPS told it (never the operator), with a
-- change sequence for "changes since the last call" (F5 long poll).
create sequence dso_asset_changes;
create table dso_assets (
  party_code         text    not null references parties (code),
  asset_id           text    not null,
  coding_scheme      text    not null,
  cp_id              text    not null,
  area_code          text,
  psr_type           text    not null,
  max_production_kw  numeric,
  max_consumption_kw numeric,
  valid_from         date    not null,
  removed            boolean not null default false,
  change_seq         bigint  not null default nextval('dso_asset_changes'),
  primary key (party_code, asset_id)
);
create index dso_assets_changes on dso_assets (party_code, change_seq);

-- Where each party's long polls have read up to, per feed (e.g. 'assets').
create table backend_cursors (
  party_code text   not null references parties (code),
  feed       text   not null,
  seq        bigint not null,
  primary key (party_code, feed)
);
