import { afterEach, beforeEach, describe, it } from 'vitest';
import { createPostgresAppointmentRepository } from '../../src/adapters/postgres/postgres-appointment-repository.js';
import { createPostgresAvailabilityCache } from '../../src/adapters/postgres/postgres-availability-cache.js';
import { createPostgresCallRepository } from '../../src/adapters/postgres/postgres-call-repository.js';
import { createPostgresCustomerRepository } from '../../src/adapters/postgres/postgres-customer-repository.js';
import { createPostgresLockService } from '../../src/adapters/postgres/postgres-lock-service.js';
import { createPostgresOutboxStore } from '../../src/adapters/postgres/postgres-outbox-store.js';
import { createPostgresStores } from '../../src/adapters/postgres/postgres-stores.js';
import { createPostgresTenantDirectory } from '../../src/adapters/postgres/postgres-tenant-directory.js';
import { appointmentRepositoryContract } from '../../src/testing/contracts/appointment-repository.contract.js';
import { availabilityCacheContract } from '../../src/testing/contracts/availability-cache.contract.js';
import { callRepositoryContract } from '../../src/testing/contracts/call-repository.contract.js';
import { customerRepositoryContract } from '../../src/testing/contracts/customer-repository.contract.js';
import { lockServiceContract } from '../../src/testing/contracts/lock.contract.js';
import { outboxStoreContract } from '../../src/testing/contracts/outbox-store.contract.js';
import { tenantDirectoryContract } from '../../src/testing/contracts/tenant-directory.contract.js';
import { unitOfWorkContract } from '../../src/testing/contracts/unit-of-work.contract.js';
import { describeOnDatabases } from './postgres-test-database.js';

const api = { describe, it, beforeEach, afterEach };

describeOnDatabases('Postgres adapters', (database) => {
  const options = () => ({ sql: database().sql, schema: database().schema });

  appointmentRepositoryContract(api, 'postgres', () => createPostgresAppointmentRepository(options()));
  customerRepositoryContract(api, 'postgres', () => createPostgresCustomerRepository(options()));
  callRepositoryContract(api, 'postgres', () => createPostgresCallRepository(options()));
  outboxStoreContract(api, 'postgres', () => createPostgresOutboxStore(options()));
  unitOfWorkContract(api, 'postgres', () => createPostgresStores(options()));
  tenantDirectoryContract(api, 'postgres', async (tenants) => {
    const directory = createPostgresTenantDirectory(options());
    for (const tenant of tenants) await directory.save(tenant);
    return directory;
  });
  availabilityCacheContract(api, 'postgres', ({ clock }) =>
    createPostgresAvailabilityCache({ ...options(), clock }),
  );
  lockServiceContract(api, 'postgres, leases on a fake clock', ({ clock }) =>
    createPostgresLockService({ ...options(), clock }),
  );
  lockServiceContract(api, 'postgres, leases on the database clock', () => ({
    subject: createPostgresLockService(options()),
    advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  }));
});
