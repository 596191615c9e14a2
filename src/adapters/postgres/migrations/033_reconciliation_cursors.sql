-- Each tenant's reconciliation cursor: where its next incremental run reads from on each side,
-- and when its last full run finished. One row per tenant, replaced after each run.

CREATE TABLE bookingkit_reconciliation_cursors (
  tenant_id text PRIMARY KEY,
  local_updated_since timestamptz,
  remote_updated_since timestamptz,
  last_full_run_at timestamptz,
  updated_at timestamptz NOT NULL
);
