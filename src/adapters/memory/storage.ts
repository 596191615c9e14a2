export { createMemoryAppointmentRepository } from './memory-appointment-repository.js';
export { createMemoryCustomerRepository } from './memory-customer-repository.js';
export { createMemoryCallRepository } from './memory-call-repository.js';
export { createMemoryStores, type MemoryStores, type MemoryStoresOptions } from './memory-stores.js';
export { createMemoryTenantDirectory, type MemoryTenantDirectoryOptions } from './memory-tenant-directory.js';
export {
  createMemoryAvailabilityCache,
  type MemoryAvailabilityCacheOptions,
} from './memory-availability-cache.js';
export { createMemoryLockService, type MemoryLockServiceOptions } from './memory-lock-service.js';
export {
  UnitOfWorkMisuseError,
  isUnitOfWorkMisuseError,
  type UnitOfWorkMisuseContext,
} from './unit-of-work-misuse-error.js';
