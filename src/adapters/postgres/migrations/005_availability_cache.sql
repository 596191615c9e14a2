-- Cached availability, per tenant and key, invalidated by tag. Times are epoch milliseconds
-- from the cache's clock; expired rows are ignored on read and replaced on write.

CREATE TABLE bookingkit_availability_cache (
  tenant_id text NOT NULL,
  key text NOT NULL,
  value jsonb NOT NULL,
  tags text[] NOT NULL DEFAULT '{}',
  expires_at double precision NOT NULL,
  CONSTRAINT bookingkit_availability_cache_pkey PRIMARY KEY (tenant_id, key)
);

CREATE INDEX bookingkit_availability_cache_tags ON bookingkit_availability_cache USING gin (tags);
CREATE INDEX bookingkit_availability_cache_expiry ON bookingkit_availability_cache (expires_at);
