-- Idempotency keys: one row per (tenant, key). A row is either an unfinished claim
-- ('in_progress', held by `token` until lock_expires_at) or a completed one with its result.
-- Times are epoch milliseconds from the caller's clock; expiry is decided when a row is read,
-- and expired rows are taken over in place. purgeExpired() deletes them in batches.

CREATE TABLE bookingkit_idempotency (
  tenant_id text NOT NULL,
  key text NOT NULL,
  fingerprint text NOT NULL,
  state text NOT NULL CHECK (state IN ('in_progress', 'completed')),
  token text NOT NULL,
  result jsonb,
  lock_expires_at bigint,
  expires_at bigint NOT NULL,
  PRIMARY KEY (tenant_id, key)
);

CREATE INDEX bookingkit_idempotency_expires_at ON bookingkit_idempotency (expires_at);
