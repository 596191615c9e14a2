-- The audit log: one row per (tenant, event), append-only. Ids use the "C" collation so that the
-- listing order (occurred_at, then event id) matches every adapter (code-point order). Times are
-- kept to the millisecond, as JavaScript has them, so that keyset cursors match rows exactly.

CREATE TABLE bookingkit_audit_log (
  tenant_id text COLLATE "C" NOT NULL,
  event_id text COLLATE "C" NOT NULL,
  type text NOT NULL,
  aggregate_type text COLLATE "C" NOT NULL,
  aggregate_id text COLLATE "C" NOT NULL,
  aggregate_version bigint NOT NULL,
  origin text NOT NULL,
  actor jsonb,
  correlation_id text NOT NULL,
  causation_id text,
  occurred_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL,
  data jsonb,
  CONSTRAINT bookingkit_audit_log_pkey PRIMARY KEY (tenant_id, event_id)
);

CREATE INDEX bookingkit_audit_log_aggregate
  ON bookingkit_audit_log (tenant_id, aggregate_type, aggregate_id, occurred_at, event_id);
