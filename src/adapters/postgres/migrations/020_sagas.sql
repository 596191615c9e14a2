-- The saga log: one row per saga run, rewritten whole by one UPDATE per transition under an
-- optimistic version and the lease owner. Inputs and step outputs are kept as `json` (the text
-- the coordinator wrote; nothing queries inside it). Times are epoch milliseconds from the
-- coordinator's clock, kept as double precision (as in the outbox) so they round-trip exactly.
-- Ids use the "C" collation so that ordering matches every adapter (code-point order).

CREATE TABLE bookingkit_sagas (
  id text COLLATE "C" NOT NULL,
  tenant_id text COLLATE "C",
  name text NOT NULL,
  state text NOT NULL CHECK (state IN ('running', 'compensating', 'completed', 'compensated', 'failed', 'compensation_failed')),
  input json NOT NULL,
  steps json NOT NULL,
  failed_step text,
  error json,
  lease_owner text,
  lease_expires_at double precision,
  recoveries integer NOT NULL DEFAULT 0,
  version integer NOT NULL,
  created_at double precision NOT NULL,
  updated_at double precision NOT NULL,
  CONSTRAINT bookingkit_sagas_pkey PRIMARY KEY (id)
) WITH (fillfactor = 70);

-- No index covers the columns that every transition rewrites (steps, lease, version), so a step
-- transition that keeps the state is a HOT update (the free space left by fillfactor keeps the
-- new row version on its page) and touches no index.

-- recover(): the live sagas (few: only those in flight), by name.
CREATE INDEX bookingkit_sagas_live ON bookingkit_sagas (name, id) WHERE state IN ('running', 'compensating');
-- Operators: sagas by state, optionally of one tenant, in id order.
CREATE INDEX bookingkit_sagas_state ON bookingkit_sagas (state, id);
CREATE INDEX bookingkit_sagas_tenant_state ON bookingkit_sagas (tenant_id, state, id);
