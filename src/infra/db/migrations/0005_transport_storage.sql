-- 0005 transport storage: payloads are compact JWEs (random bytes, base64url) — compression
-- never pays off on them, yet PostgreSQL's default (EXTENDED) tries pglz on every row before it
-- moves the value out of line. EXTERNAL keeps the out-of-line TOAST storage without the attempt
-- (docs/transport.md, "Performance").
alter table transport_queue alter column payload set storage external;
