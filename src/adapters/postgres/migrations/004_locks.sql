-- Leases of the lock service: a row per held key; an expired row may be taken over.
-- Times are epoch milliseconds (from the database clock, or the service's clock when given one).
-- The one table without a tenant column: the LockService port is not tenant-scoped, so per-tenant
-- work puts the tenant in the key (`reconcile:tenant-a`).

CREATE TABLE bookingkit_locks (
  key text PRIMARY KEY,
  token text NOT NULL,
  expires_at double precision NOT NULL
);
