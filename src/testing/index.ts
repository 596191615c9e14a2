/**
 * Test helpers for applications built on bookingkit, and for adapter authors: a controllable
 * fake clock and one contract suite per port, which every adapter must pass.
 *
 * @example
 * ```ts
 * declare function createMyOutboxStore(): OutboxStore;
 * // ---cut---
 * import { describe, it, beforeEach, afterEach } from 'vitest';
 * import { createFakeClock, outboxStoreContract } from 'bookingkit/testing';
 *
 * const clock = createFakeClock();
 * outboxStoreContract({ describe, it, beforeEach, afterEach }, 'my store', () => createMyOutboxStore());
 * ```
 *
 * @module bookingkit/testing
 */
export * from './fake-clock.js';
export * from './contracts/test-api.js';
export * from './contracts/outbox-store.contract.js';
export * from './contracts/storage-contracts.js';
export * from './contracts/idempotency-store.contract.js';
export * from './contracts/breaker-state-store.contract.js';
export * from './contracts/saga-store.contract.js';
export * from './faulty-calendar-provider.js';
export * from './contracts/calendar-provider.contract.js';
export * from './contracts/audit-log.contract.js';
export * from './contracts/customer-stats-store.contract.js';
