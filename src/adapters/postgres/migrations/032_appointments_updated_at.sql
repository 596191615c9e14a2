-- Appointments by last change: incremental reconciliation lists a tenant's appointments changed
-- since its cursor, in (updated_at, id) order.

CREATE INDEX bookingkit_appointments_updated ON bookingkit_appointments (tenant_id, updated_at, id);
