-- The events already counted in customers' stats (bookingkit_customers.stats), one row per
-- (tenant, event). A change inserts its event here and updates the counters in one transaction;
-- the primary key makes a redelivered or concurrent duplicate count nothing. applied_at lets an
-- operator prune ids older than any possible redelivery.

CREATE TABLE bookingkit_customer_stats_events (
  tenant_id text COLLATE "C" NOT NULL,
  event_id text COLLATE "C" NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT bookingkit_customer_stats_events_pkey PRIMARY KEY (tenant_id, event_id)
);
