/**
 * bookingkit: building blocks for booking backends that sit between a voice AI agent (Retell),
 * an online scheduler (Cal.com) and their own database.
 *
 * This core entry holds the building blocks (event bus, ...), the ports, the embedded memory
 * adapters and the booking domain. Vendor adapters live in `bookingkit/calcom`,
 * `bookingkit/retell`, `bookingkit/postgres` and `bookingkit/redis`; test helpers in
 * `bookingkit/testing`.
 *
 * @example
 * ```ts
 * import { createEventBus, bookingEvents } from 'bookingkit';
 * const bus = createEventBus({ catalog: bookingEvents });
 * ```
 *
 * @module bookingkit
 */
// Composition root
export * from './kit/index.js';
export * from './errors/index.js';
export * from './events/index.js';
export * from './domain/origin.js';
export * from './booking/events.js';
export * from './ports/index.js';
export * from './domain/index.js';
export * from './booking/errors.js';
export * from './tenancy/tenant.js';
export * from './adapters/memory/memory-outbox-store.js';
export type { OperationOptions } from './util/abort.js';
export type { Disposable } from './util/disposable.js';
export { uuidv7 } from './util/uuid.js';
export * from './idempotency/index.js';
export * from './adapters/memory/memory-idempotency-store.js';
export * from './tenancy/index.js';
export * from './adapters/memory/storage.js';
export * from './resilience/index.js';
export * from './saga/index.js';
export * from './adapters/memory/memory-saga-store.js';
export * from './booking/index.js';
export * from './adapters/memory/memory-booking-adapters.js';
