-- 0006 room for HOT updates. A message's rows are updated in place several times in their life:
-- endpoint_messages three times (TRANSPORTED, DELIVERED, RECEIVED: state, trace, updated_at),
-- transport_queue rows when a flush leases them, endpoint_inbox rows when a receive hides them.
-- None of these changes touches an indexed column, so PostgreSQL can write them as heap-only
-- tuples (no new index entries) — but only when the page has room for the new version. With
-- the default fillfactor of 100 the pages are full and measured HOT ratios were 10–25 %;
-- leaving a fifth of each page free lets most of them stay on the page (docs/transport.md,
-- "Performance"). Applies to pages written from now on.
alter table endpoint_messages set (fillfactor = 80);
alter table transport_queue set (fillfactor = 80);
alter table endpoint_inbox set (fillfactor = 80);
