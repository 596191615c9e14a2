-- The tenant directory. Each inbound number, API key digest and route key identifies one tenant:
-- bookingkit_tenant_keys enforces that and serves the lookups; the tenant row keeps the lists
-- in their order.

CREATE TABLE bookingkit_tenants (
  tenant_id text COLLATE "C" PRIMARY KEY,
  name text NOT NULL,
  status text NOT NULL,
  time_zone text NOT NULL,
  calendar_unavailable_policy text NOT NULL,
  phone_numbers text[] NOT NULL DEFAULT '{}',
  api_key_hashes text[] NOT NULL DEFAULT '{}',
  route_keys text[] NOT NULL DEFAULT '{}'
);

CREATE TABLE bookingkit_tenant_keys (
  kind text NOT NULL CHECK (kind IN ('phone', 'api_key', 'route_key')),
  value text NOT NULL,
  tenant_id text COLLATE "C" NOT NULL REFERENCES bookingkit_tenants (tenant_id) ON DELETE CASCADE,
  CONSTRAINT bookingkit_tenant_keys_pkey PRIMARY KEY (kind, value)
);

CREATE INDEX bookingkit_tenant_keys_tenant ON bookingkit_tenant_keys (tenant_id);
