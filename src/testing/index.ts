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
// Time
export { createFakeClock, type FakeClock } from './fake-clock.js';

// Fixtures
export {
  at,
  anAppointment,
  aCustomer,
  aCall,
  aTenant,
  aSagaStep,
  aSagaRecord,
  FIXTURE_DAY,
  FIXTURE_TIME,
  SAGA_T0,
} from './fixtures.js';

// Calendar fault injection
export {
  withCalendarFaults,
  type CalendarOperation,
  type CalendarFaultKind,
  type CalendarFaults,
  type FaultyCalendarProvider,
} from './faulty-calendar-provider.js';

// Contract suites: one per port, for every adapter (see docs/decisions/0003)
export type { ContractTestApi, ContractSubject, ContractFactory } from './contracts/test-api.js';
export type {
  TimedContractContext,
  TimedContractSubject,
  TimedContractFactory,
  TimedSubjectHandle,
} from './contracts/timed-subject.js';
export { appointmentRepositoryContract } from './contracts/appointment-repository.contract.js';
export { customerRepositoryContract } from './contracts/customer-repository.contract.js';
export { callRepositoryContract } from './contracts/call-repository.contract.js';
export { unitOfWorkContract, type UnitOfWorkContractSubject } from './contracts/unit-of-work.contract.js';
export { outboxStoreContract } from './contracts/outbox-store.contract.js';
export { sagaStoreContract } from './contracts/saga-store.contract.js';
export { idempotencyStoreContract } from './contracts/idempotency-store.contract.js';
export {
  breakerStateStoreContract,
  type BreakerStateStoreCapabilities,
} from './contracts/breaker-state-store.contract.js';
export {
  tenantDirectoryContract,
  type TenantDirectoryContractFactory,
} from './contracts/tenant-directory.contract.js';
export { lockServiceContract } from './contracts/lock.contract.js';
export { availabilityCacheContract } from './contracts/availability-cache.contract.js';
export {
  calendarProviderContract,
  type CalendarProviderFixture,
} from './contracts/calendar-provider.contract.js';
export { auditLogContract } from './contracts/audit-log.contract.js';
export { reconciliationCursorStoreContract } from './contracts/reconciliation-cursor-store.contract.js';
export {
  customerStatsStoreContract,
  type CustomerStatsStoreFixture,
} from './contracts/customer-stats-store.contract.js';

// Cal.com simulator: an in-memory Cal.com API v2 to test against instead of an account
export { createCalcomSimulator } from './calcom-simulator/calcom-simulator.js';
export type { CalcomSimulator, CalcomSimWebhooks } from './calcom-simulator/calcom-simulator-api.js';
export type { CalcomSimulatorOptions, CalcomSimAccountInput } from './calcom-simulator/simulator-options.js';
export {
  CalcomSimEventType,
  type CalcomSimEventTypeInput,
  type CalcomSimEventTypeRecord,
  type CalcomSimWeeklyHours,
} from './calcom-simulator/sim-event-type.js';
export type { CalcomSimAccount } from './calcom-simulator/sim-accounts.js';
export type {
  CalcomSimBooking,
  CalcomSimAttendee,
  CalcomSimBookingStatus,
} from './calcom-simulator/sim-booking-record.js';
export type { CalcomSimWebhookSubscription } from './calcom-simulator/sim-webhook-subscriptions.js';
export type { CalcomSimDelivery, CalcomSimWebhookControl } from './calcom-simulator/sim-webhook-delivery.js';
export type { CalcomSimFaultControl, CalcomSimRequestMatch } from './calcom-simulator/sim-faults.js';
export type {
  CalcomExchange,
  CalcomRecordedRequest,
  CalcomRecordedResponse,
} from './calcom-simulator/sim-exchange.js';
export type { CalcomSimListenOptions } from './calcom-simulator/sim-http-server.js';
export type { MswHttpNamespace } from './calcom-simulator/sim-msw.js';
export { CalcomSimError, type CalcomExceptionCode } from './calcom-simulator/sim-error.js';
export { CalcomSimConnectionDropped } from './calcom-simulator/sim-connection-dropped.js';

// Retell call simulator: plays scripted, signed Retell calls against your endpoints
export {
  createRetellCallSimulator,
  type RetellCallSimulator,
  type RetellSimCallScript,
} from './retell-simulator/retell-call-simulator.js';
export type {
  RetellCallSimulatorOptions,
  RetellSimTarget,
  RetellSimHandler,
} from './retell-simulator/retell-simulator-options.js';
export type {
  RetellSimCallSpec,
  RetellSimStep,
  RetellSimScriptBuilder,
  RetellSimWebhookEvent,
  RetellSimDeliveryEvent,
  RetellSimAnalysis,
  RetellSimFunctionOptions,
  RetellSimFunctionRetry,
} from './retell-simulator/sim-script.js';
export type { RetellSimPlayOptions, RetellSimDuplicates } from './retell-simulator/sim-play-options.js';
export type { RetellSimCallResult } from './retell-simulator/sim-call-result.js';
export type { RetellSimExchange, RetellSimResponse } from './retell-simulator/sim-exchange.js';
export type { RetellSimFunctionResult } from './retell-simulator/sim-function-call.js';
