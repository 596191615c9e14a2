-- The transactional outbox: one row per (event, queued listener). Relays claim rows with
-- FOR UPDATE SKIP LOCKED and a lease. Times are epoch milliseconds from the relay's clock, kept
-- as double precision so that they round-trip exactly as the JavaScript numbers they are.

CREATE TABLE bookingkit_outbox (
  position bigserial PRIMARY KEY,
  tenant_id text NOT NULL,
  event_id text NOT NULL,
  event_type text NOT NULL,
  listener text NOT NULL,
  ordering_key text NOT NULL,
  payload text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  lease_owner text,
  lease_expires_at double precision,
  available_at double precision NOT NULL,
  created_at double precision NOT NULL,
  delivered_at double precision,
  CONSTRAINT bookingkit_outbox_event_listener_key UNIQUE (event_id, listener)
);

-- Claiming scans pending rows in position order and checks that no earlier pending row of the
-- same (listener, ordering_key) exists: both through these partial indexes.
CREATE INDEX bookingkit_outbox_pending ON bookingkit_outbox (position) WHERE status = 'pending';
CREATE INDEX bookingkit_outbox_pending_key ON bookingkit_outbox (listener, ordering_key, position)
  WHERE status = 'pending';
CREATE INDEX bookingkit_outbox_status ON bookingkit_outbox (status, position);
