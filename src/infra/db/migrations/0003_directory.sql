-- 0003 directory: the component directory and its certificate authority (src/directory,
-- docs/directory.md). Components are registered by the directory operator; certificates are
-- issued by the directory CA (the private key lives in DATA_DIR, never here); message paths are
-- declared by receivers; every publication of the signed directory document is kept.

create table directory_components (
  code              text        primary key,                -- EIC V-code
  type              text        not null check (type in ('ENDPOINT', 'BROKER', 'COMPONENT_DIRECTORY')),
  organisation      text        not null,
  organisation_code text        not null,                   -- EIC X-code
  market_roles      jsonb       not null default '[]',      -- RoleTypeList codes
  urls              jsonb       not null default '[]',
  contact           jsonb,
  status            text        not null default 'ACTIVE' check (status in ('ACTIVE', 'SUSPENDED')),
  created_at        timestamptz not null,
  updated_at        timestamptz not null
);

-- Certificates outlive their component: after a removal they stay, revoked, so the revocation
-- list in the directory document keeps naming them until they expire. Hence no foreign key.
create table directory_certificates (
  serial             text        primary key,               -- upper-case hex
  component_code     text        not null,
  usage              text        not null check (usage in ('authentication', 'signing', 'encryption')),
  pem                text        not null,
  fingerprint_sha256 text        not null unique,
  not_before         timestamptz not null,
  not_after          timestamptz not null,
  issued_at          timestamptz not null,
  revoked_at         timestamptz,
  revocation_reason  text,
  replaces_serial    text,                                  -- renewal: the certificate this one follows
  check ((revoked_at is null) = (revocation_reason is null))
);
create index directory_certificates_component on directory_certificates (component_code, usage);

create table directory_message_paths (
  id            text        primary key,                    -- UUID
  receiver_code text        not null references directory_components (code) on delete cascade,
  message_type  text        not null,                       -- businessType, or '*'
  senders       jsonb       not null,                       -- "*" or a list of component codes
  broker_code   text,                                       -- null: DIRECT
  valid_from    timestamptz not null,
  valid_to      timestamptz,
  created_at    timestamptz not null,
  check (valid_to is null or valid_to > valid_from)
);
create index directory_message_paths_receiver on directory_message_paths (receiver_code);

-- Each published document: content_id strictly increasing; body is the exact signed JSON text;
-- signature is the JWS (ES256) protected header and signature with a detached payload
-- ("<header>..<signature>"), so body + signature re-form the compact JWS that is served.
create table directory_documents (
  content_id   bigint      primary key check (content_id > 0),
  issued_at    timestamptz not null,
  ttl_ms       bigint      not null check (ttl_ms > 0),
  body         text        not null,
  signature    text        not null,
  content_hash text        not null                         -- SHA-256 of the body without contentId/issuedAt/ttlMs
);
