-- 0005 storage costs: payloads are compact JWEs (random bytes, base64url) — compression
-- never pays off on them, yet PostgreSQL's default (EXTENDED) tries pglz on every row before it
-- moves the value out of line. EXTERNAL keeps the out-of-line TOAST storage without the attempt
-- (docs/transport.md, "Performance").
alter table transport_queue alter column payload set storage external;

-- The audit chain's hash-form check, same rule without the bounded repetition: PostgreSQL's
-- regex engine took ~30 µs per row for '^[0-9a-f]{64}$' (twice per row, 8 rows per message);
-- length + "no character outside 0-9a-f" costs nothing measurable. Existing rows are re-checked.
alter table audit_log drop constraint audit_log_hash_form;
alter table audit_log add constraint audit_log_hash_form
  check (length(hash) = 64 and hash !~ '[^0-9a-f]' and length(prev_hash) = 64 and prev_hash !~ '[^0-9a-f]');
