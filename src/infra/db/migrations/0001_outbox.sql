-- 0001 outbox: the durable source of truth for queued work (transactional outbox pattern).
-- A business change and the job it causes are written in ONE transaction; the dispatcher
-- (src/infra/queue/dispatcher.ts) moves pending rows into the queue driver (BullMQ or
-- in-process). A row is completed only when its handler has succeeded, so neither a Redis
-- outage nor a crash between commit and enqueue, nor a Redis that lost its data, loses work.
create table outbox (
  id            bigserial primary key,
  queue         text        not null,
  job_id        text        not null,
  payload       jsonb       not null,
  available_at  timestamptz not null default now(),  -- not before (delayed jobs)
  created_at    timestamptz not null default now(),
  dispatched_at timestamptz,                         -- last handed to the queue driver
  completed_at  timestamptz,                         -- handler succeeded
  failed_at     timestamptz,                         -- retries exhausted (dead letter)
  dispatch_count integer    not null default 0,
  max_attempts  integer,                             -- retry policy (null: driver default)
  backoff_ms    integer,
  attempts      integer     not null default 0,      -- handler attempts reported back
  last_error    text,
  constraint outbox_job_unique unique (queue, job_id)
);

-- Rows the dispatcher still has to look at: never dispatched, or dispatched but not finished
-- (re-dispatched after a lease expires, in case the queue lost the job).
create index outbox_open on outbox (available_at, id) where completed_at is null and failed_at is null;
