// The public factories of the Postgres storage adapters (their helpers stay internal).
export { createPostgresAppointmentRepository } from './postgres-appointment-repository.js';
export { createPostgresCustomerRepository } from './postgres-customer-repository.js';
export { createPostgresCallRepository } from './postgres-call-repository.js';
export { createPostgresOutboxStore } from './postgres-outbox-store.js';
export { createPostgresUnitOfWork } from './postgres-unit-of-work.js';
export { createPostgresStores, type PostgresStores } from './postgres-stores.js';
export { createPostgresTenantDirectory, type PostgresTenantDirectory } from './postgres-tenant-directory.js';
export { createPostgresLockService, type PostgresLockServiceOptions } from './postgres-lock-service.js';
export { createPostgresAvailabilityCache } from './postgres-availability-cache.js';
export { createPostgresAuditLog } from './postgres-audit-log.js';
export { createPostgresCustomerStatsStore } from './postgres-customer-stats-store.js';
