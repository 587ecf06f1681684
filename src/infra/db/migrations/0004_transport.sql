-- 0004 transport: the ECP-style message transport (src/transport, src/broker, src/endpoint;
-- docs/transport.md). Payloads are stored only as the sender protected them (compact JWE);
-- brokers never hold anything they could read.

-- One row per message (or acknowledgement batch) a local component must hand to its next hop:
-- an endpoint's outgoing messages towards the broker (or a DIRECT receiver), a broker's queue
-- per recipient endpoint. The row is the durable outbox of the hop: it stays until the next hop
-- answered for it (done_at), then is purged. (from_code, message_id) is the idempotency key.
create table transport_queue (
  id              bigserial   primary key,
  from_code       text        not null,                 -- local component that sends this hop
  to_code         text        not null,                 -- next hop: broker or receiving endpoint
  message_id      text        not null,
  kind            text        not null check (kind in ('message', 'ack')),
  envelope        jsonb       not null,
  payload         text        not null,                 -- compact JWE (message) or signed acknowledgements (ack)
  expires_at      timestamptz not null,
  queued_at       timestamptz not null default now(),
  attempts        integer     not null default 0,
  next_attempt_at timestamptz not null default now(),
  lease_until     timestamptz,                          -- a flush owns the row until then
  last_error      text,
  done_at         timestamptz,
  outcome         text,                                 -- accepted | duplicate | rejected | expired
  unique (from_code, message_id)
);
create index transport_queue_due on transport_queue (from_code, to_code, next_attempt_at) where done_at is null;
create index transport_queue_done on transport_queue (done_at) where done_at is not null;

-- The sending endpoint's record of each message it accepted: MADES state and trace.
create table endpoint_messages (
  message_id         text        primary key,
  endpoint_code      text        not null,
  receiver_code      text        not null,
  next_hop           text        not null,
  business_type      text        not null,
  ba_message_id      text,
  conversation_id    text,
  sender_application text,
  size               integer     not null,
  created_at         timestamptz not null,
  expires_at         timestamptz not null,
  state              text        not null check (state in ('ACCEPTED', 'TRANSPORTED', 'DELIVERED', 'RECEIVED', 'FAILED')),
  failure_reason     text,
  failure_detail     text,
  trace              jsonb       not null,              -- [{state, at, by, detail?}] in order
  updated_at         timestamptz not null
);
create index endpoint_messages_by_ba on endpoint_messages (endpoint_code, ba_message_id) where ba_message_id is not null;

-- The receiving endpoint's inbox: verified, decrypted messages waiting for the business
-- application. message_id is the de-duplication key: a message is stored (and handed to the
-- application) once however often it is delivered.
create table endpoint_inbox (
  seq                bigserial   unique,
  message_id         text        primary key,
  endpoint_code      text        not null,
  sender_code        text        not null,
  via_code           text        not null,              -- the component that delivered it (broker, or the sender on DIRECT)
  business_type      text        not null,
  ba_message_id      text,
  conversation_id    text,
  sender_application text,
  created_at         timestamptz not null,
  expires_at         timestamptz not null,
  content            bytea       not null,
  delivered_at       timestamptz not null,
  visible_at         timestamptz not null,              -- a receive hides a message until then unless confirmed
  received_at        timestamptz                        -- confirmed by the business application
);
create index endpoint_inbox_waiting on endpoint_inbox (endpoint_code, seq) where received_at is null;

-- Business-application API credentials: bearer tokens, stored as SHA-256, one endpoint each.
create table endpoint_api_tokens (
  token_sha256  text        primary key,
  endpoint_code text        not null,
  label         text        not null,
  created_at    timestamptz not null,
  revoked_at    timestamptz
);
