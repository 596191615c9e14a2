-- Appointments, customers and calls: one row per record, in real columns, keyed by tenant.
-- Ids use the "C" collation so that ordering matches every adapter (code-point order).

CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;

CREATE TABLE bookingkit_appointments (
  tenant_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  event_type_id text NOT NULL,
  resource_id text NOT NULL,
  customer_id text,
  start_at timestamptz NOT NULL,
  end_at timestamptz NOT NULL,
  time_zone text NOT NULL,
  status text NOT NULL,
  origin text NOT NULL,
  created_by jsonb NOT NULL,
  rescheduled_by jsonb,
  cancelled_by jsonb,
  cancellation_reason text,
  calendar_booking_uid text,
  calendar_booking_id text,
  previous_calendar_booking_uids text[] NOT NULL DEFAULT '{}',
  sync jsonb NOT NULL,
  version integer NOT NULL,
  idempotency_key text,
  metadata jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT bookingkit_appointments_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT bookingkit_appointments_range CHECK (end_at > start_at),
  -- The double-booking rule: the database refuses two active, overlapping appointments of one
  -- tenant and resource, whatever the concurrency. '[)' makes touching ranges compatible.
  CONSTRAINT bookingkit_appointments_no_overlap EXCLUDE USING gist (
    tenant_id WITH =,
    resource_id WITH =,
    tstzrange(start_at, end_at, '[)') WITH &&
  ) WHERE (status IN ('pending', 'confirmed'))
);

CREATE INDEX bookingkit_appointments_start ON bookingkit_appointments (tenant_id, start_at, id);
CREATE INDEX bookingkit_appointments_calendar_uid ON bookingkit_appointments (tenant_id, calendar_booking_uid)
  WHERE calendar_booking_uid IS NOT NULL;
CREATE INDEX bookingkit_appointments_previous_uids ON bookingkit_appointments USING gin (previous_calendar_booking_uids);
CREATE INDEX bookingkit_appointments_customer ON bookingkit_appointments (tenant_id, customer_id)
  WHERE customer_id IS NOT NULL;

CREATE TABLE bookingkit_customers (
  tenant_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  name text,
  email text,
  phone text,
  locale text,
  merged_into text,
  stats jsonb NOT NULL,
  version integer NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT bookingkit_customers_pkey PRIMARY KEY (tenant_id, id)
);

-- Phone and email are unique among the customers of a tenant that were not merged away.
CREATE UNIQUE INDEX bookingkit_customers_phone_key ON bookingkit_customers (tenant_id, phone)
  WHERE merged_into IS NULL;
CREATE UNIQUE INDEX bookingkit_customers_email_key ON bookingkit_customers (tenant_id, lower(email))
  WHERE merged_into IS NULL;

CREATE TABLE bookingkit_calls (
  tenant_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  from_number text,
  to_number text,
  direction text NOT NULL,
  status text NOT NULL,
  agent_id text,
  customer_id text,
  started_at timestamptz,
  ended_at timestamptz,
  disconnection_reason text,
  analysis jsonb,
  cost_cents bigint,
  appointment_ids text[] NOT NULL DEFAULT '{}',
  version integer NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT bookingkit_calls_pkey PRIMARY KEY (tenant_id, id)
);

-- Listings order calls by when they started, or were registered while they have not started.
CREATE INDEX bookingkit_calls_started ON bookingkit_calls (tenant_id, coalesce(started_at, created_at) DESC, id DESC);
