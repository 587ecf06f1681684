-- 0002 audit: the append-only, hash-chained audit log (ECP transport issue, item 6; docs/audit.md).
--
-- audit_event: written by business code INSIDE its own transaction (src/audit/record.ts), so
-- an audit record commits or rolls back with the change it describes. One cheap insert, no
-- global lock. Rows wait here until the sealer chains them.
create table audit_event (
  id       bigserial   primary key,
  at       timestamptz not null,                  -- from the injected Clock, not now()
  actor    text        not null,                  -- component code, party, 'system', admin user
  action   text        not null,                  -- stable dotted name, e.g. message.state.accepted
  subject  text,                                  -- message ID, component code, certificate serial…
  parties  text[]      not null default '{}',     -- parties whose data it concerns (regulator queries)
  details  jsonb       not null default '{}'
);

-- audit_log: the chain. The sealer (src/audit/sealer.ts) moves events here in one transaction
-- under an advisory lock: seq runs 1, 2, 3… without gaps, in seal order, and
--   hash = SHA-256(JCS({seq, at, actor, action, subject, parties, details, prev_hash})),
-- prev_hash = the previous entry's hash (64 zeros for seq 1).
create table audit_log (
  seq       bigint      primary key,
  at        timestamptz not null,
  actor     text        not null,
  action    text        not null,
  subject   text,
  parties   text[]      not null,
  details   jsonb       not null,
  prev_hash text        not null,
  hash      text        not null,
  sealed_at timestamptz not null,                 -- informational, not covered by the hash
  constraint audit_log_seq_positive check (seq > 0),
  constraint audit_log_hash_form check (hash ~ '^[0-9a-f]{64}$' and prev_hash ~ '^[0-9a-f]{64}$')
);
-- Regulator queries: whose data (parties), which message or component (subject), when (at).
create index audit_log_parties on audit_log using gin (parties);
create index audit_log_subject on audit_log (subject, seq);
create index audit_log_at on audit_log (at);

-- audit_checkpoint: Ed25519 signature over JCS({seq, hash, at, keyId}), written by the sealer
-- every N entries or T seconds when something new was sealed.
create table audit_checkpoint (
  seq       bigint      primary key,              -- the audit_log entry it commits to
  hash      text        not null,                 -- that entry's hash
  at        timestamptz not null,
  key_id    text        not null,                 -- first 16 hex of SHA-256(raw public key)
  signature text        not null                  -- base64
);

-- Append-only where the database can enforce it: updates, deletes and truncation of the chain
-- and its checkpoints are refused. Tampering then needs a deliberate
-- `alter table … disable trigger`, and is still caught by `tps-hub audit verify`.
create function audit_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'audit: % on % refused: the audit log is append-only', tg_op, tg_table_name
    using errcode = 'insufficient_privilege';
end
$$;

create trigger audit_log_append_only before update or delete on audit_log
  for each row execute function audit_refuse_change();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_refuse_change();
create trigger audit_checkpoint_append_only before update or delete on audit_checkpoint
  for each row execute function audit_refuse_change();
create trigger audit_checkpoint_no_truncate before truncate on audit_checkpoint
  for each statement execute function audit_refuse_change();
