/**
 * bookingkit: building blocks for booking backends that sit between a voice AI agent (Retell),
 * an online scheduler (Cal.com) and their own database.
 *
 * This core entry holds, layer by layer: errors, the domain vocabulary, the ports, the building
 * blocks (events, resilience, idempotency, tenancy, saga), the booking service, the embedded
 * memory adapters and the composition root. Every name is listed here once, under its layer.
 * Vendor code lives in `bookingkit/calcom` and `bookingkit/retell`, storage adapters in
 * `bookingkit/postgres` and `bookingkit/redis`, HTTP handlers in `bookingkit/http` and test helpers
 * in `bookingkit/testing`.
 *
 * @example
 * ```ts
 * import { createBookingKit } from 'bookingkit';
 *
 * const kit = createBookingKit({ tenants: [{ id: 'acme', name: 'Acme', timeZone: 'Europe/Berlin' }] });
 * kit.bus.on('appointment.booked', (event) => console.log('booked', event.data.start));
 * await kit.start();
 * // kit.service.book(...), kit.service.cancel(...), ...
 * await kit.close();
 * ```
 *
 * @module bookingkit
 */
// Errors: the base class every bookingkit error extends, option and validation errors, store errors
export {
  isBookingKitError,
  errorGuard,
  type BookingKitErrorOptions,
  BookingKitError,
} from './errors/booking-kit-error.js';
export {
  type InvalidOptionContext,
  type InvalidOptionDetails,
  InvalidOptionError,
  isInvalidOptionError,
} from './errors/invalid-option-error.js';
export {
  type VersionConflictContext,
  VersionConflictError,
  isVersionConflictError,
  type DuplicateRecordContext,
  DuplicateRecordError,
  isDuplicateRecordError,
  type NotFoundContext,
  NotFoundError,
  isNotFoundError,
  type CorruptRecordContext,
  CorruptRecordError,
  isCorruptRecordError,
  type StorageUnavailableContext,
  StorageUnavailableError,
  isStorageUnavailableError,
} from './errors/store-errors.js';
export {
  toValidationIssues,
  formatValidationIssues,
  parseWith,
  type ValidationIssue,
  type ValidationErrorContext,
  ValidationError,
  isValidationError,
} from './errors/validation-error.js';
export type { UnavailableReason } from './errors/unavailable-reason.js';

// Observability: OpenTelemetry metrics and spans (no-op unless the host registers an SDK)
export { TELEMETRY_SCOPE } from './observability/telemetry.js';
export { TelemetryAttributes } from './observability/attributes.js';
export { errorTypeOf } from './observability/error-type.js';

// Domain: the vocabulary every block speaks (zod schemas, each with its same-named type)
export {
  AppointmentStatus,
  ACTIVE_APPOINTMENT_STATUSES,
  SyncState,
  ExternalRefs,
  Appointment,
} from './domain/appointment.js';
export {
  CallStatus,
  KnownCallStatus,
  CallDirection,
  KnownCallDirection,
  CallType,
  KnownCallType,
  Call,
} from './domain/call.js';
export { CallPatch, CallUpsert } from './domain/call-merge.js';
export { Locale, DEFAULT_LOCALE } from './domain/locale.js';
export { Id, Instant, TimeZone, Metadata } from './domain/common.js';
export { CustomerStats, Customer } from './domain/customer.js';
export { Origin, Actor } from './domain/origin.js';
export {
  KEPT_APPOINTMENT_METADATA,
  anonymisedCustomer,
  anonymisedAppointment,
  anonymisedCall,
} from './domain/personal-data.js';
export { normalizePhoneNumber } from './domain/normalize-phone-number.js';
export { maskPhoneNumber, PhoneNumber, type CountryCode } from './domain/phone-number.js';
export { TimeRange } from './domain/time-range.js';
export { uuidv7 } from './util/uuid.js';

// Ports: the interfaces the blocks and the booking service are written against
export type { AppointmentQuery, AppointmentRepository } from './ports/appointment-repository.js';
export type { ReconciliationCursorStore } from './ports/reconciliation-cursor-store.js';
export { ReconciliationCursor } from './domain/reconciliation-cursor.js';
export { AuditEntry, type AuditAggregate, type AuditLog } from './ports/audit-log.js';
export type { CacheEntryOptions, AvailabilityCache } from './ports/availability-cache.js';
export {
  APPOINTMENT_TAG,
  type CalendarAttendee,
  type CalendarBooking,
  type CreateCalendarBookingRequest,
  type CalendarEventType,
  type CalendarProvider,
  type CalendarBookingLookup,
  type CalendarUpdatedBookingsQuery,
} from './ports/calendar-provider.js';
export type { CallRepository, CallUpsertResult } from './ports/call-repository.js';
export { type TimerHandle, type TimerOptions, type Clock, systemClock } from './ports/clock.js';
export type { CustomerRepository } from './ports/customer-repository.js';
export type {
  CustomerStatsChange,
  CustomerStatsOutcome,
  CustomerStatsStore,
} from './ports/customer-stats-store.js';
export type {
  InvalidationMessage,
  InvalidationHandler,
  InvalidationBroadcast,
} from './ports/invalidation-broadcast.js';
export type { LockLease, LockService } from './ports/lock.js';
export { type LogFn, type Logger, silentLogger } from './ports/logger.js';
export type { Notification, Notifier } from './ports/notifier.js';
export type {
  OutboxStatus,
  OutboxMessageInput,
  OutboxMessage,
  OutboxClaimRequest,
  OutboxFailure,
  OutboxQuery,
  OutboxWriter,
  OutboxScrubFilter,
  OutboxScrubber,
  OutboxRelayStore,
  OutboxAdmin,
  OutboxStore,
} from './ports/outbox-store.js';
export type { Page, PageRequest } from './ports/page.js';
export type { TransactionalStores, UnitOfWork, NoExtraStores } from './ports/unit-of-work.js';
export type { OperationOptions } from './util/abort.js';
export type { Disposable } from './util/disposable.js';

// Events: typed catalog, bus, envelopes, outbox relay and outbox administration
export {
  defineEventCatalog,
  mergeEventCatalogs,
  type Upcaster,
  type EventDefinition,
  type EventSpec,
  type EventSpecs,
  type SchemaOf,
  type EventCatalog,
  type SpecsOf,
  type EventType,
  type EventData,
  type EventDataInput,
  type DomainEvent,
} from './events/catalog.js';
export {
  createEvent,
  EventEnvelope,
  type EventMetadata,
  type CreateEventOptions,
} from './events/envelope.js';
export {
  type EventValidationContext,
  EventValidationError,
  isEventValidationError,
  type UnknownEventTypeContext,
  UnknownEventTypeError,
  isUnknownEventTypeError,
  type ListenerFailure,
  type EventListenerErrorContext,
  EventListenerError,
  isEventListenerError,
} from './events/errors.js';
export {
  createEventBus,
  type EventBusOptions,
  type PublishOptions,
  type HistoryFilter,
  type ListenerStats,
  type EventBusStats,
  type QueuedListener,
  type EventBus,
} from './events/event-bus.js';
export {
  type DeliveryContext,
  type EventHandler,
  type QueuedRetryOptions,
  type ListenerOptions,
  DEFAULT_QUEUED_RETRY_DELAYS,
} from './events/listener.js';
export {
  createOutboxAdmin,
  type OutboxAdminOptions,
  type PurgeDeliveredOptions,
  type DeadLetterQuery,
  type OutboxAdminTools,
} from './events/outbox-admin.js';
export {
  createOutboxRelay,
  type OutboxRelayOptions,
  type RelayRoundResult,
  type OutboxRelay,
} from './events/outbox-relay.js';
export type { PublishReport, PublishResult } from './events/publish-result.js';
export { serializeEvent, deserializeEvent, validateEvent } from './events/serialization.js';

// Resilience: circuit breaker (trip policies, state store port), retry, timeout, bulkhead, fallback
export {
  exponentialBackoff,
  constantBackoff,
  type Backoff,
  type ExponentialBackoffOptions,
} from './resilience/backoff.js';
export type {
  BreakerStateChangeEvent,
  BreakerSuccessEvent,
  BreakerFailureEvent,
  BreakerRejectedEvent,
} from './resilience/breaker/breaker-events.js';
export type { CircuitBreakerOptions } from './resilience/breaker/breaker-options.js';
export {
  CircuitState,
  BreakerSnapshot,
  INITIAL_BREAKER_SNAPSHOT,
  type WindowSpec,
  type OutcomeKind,
  type OutcomeRun,
  type OutcomeBatch,
  type WindowStats,
  EMPTY_WINDOW_STATS,
  type RecordResult,
  type BreakerTransition,
  type TransitionResult,
  type ProbeRequest,
  type ProbeSettlement,
  type ProbeResult,
  type BreakerStateStore,
} from './resilience/breaker/breaker-state-store.js';
export { circuitBreaker } from './resilience/breaker/circuit-breaker.js';
export type { CircuitBreaker, ManualControlOptions } from './resilience/breaker/circuit-breaker-policy.js';
export { consecutiveFailures } from './resilience/breaker/consecutive-failures.js';
export { countWindow, type CountWindowOptions } from './resilience/breaker/count-window.js';
export type { FailureRateOptions } from './resilience/breaker/failure-rate.js';
export { slowCallRate, type SlowCallRateOptions } from './resilience/breaker/slow-call-rate.js';
export { timeWindow, type TimeWindowOptions } from './resilience/breaker/time-window.js';
export type { TripPolicy } from './resilience/breaker/trip-policy.js';
export { bulkhead, type BulkheadOptions, type Bulkhead } from './resilience/bulkhead.js';
export {
  type BrokenCircuitContext,
  BrokenCircuitError,
  isBrokenCircuitError,
  type TimeoutContext,
  TimeoutError,
  isTimeoutError,
  type BulkheadRejectedContext,
  BulkheadRejectedError,
  isBulkheadRejectedError,
} from './resilience/errors.js';
export type { PolicyEvent, PolicyEventListener } from './resilience/event.js';
export { fallback, type FallbackOptions } from './resilience/fallback.js';
export {
  httpResponseOf,
  headerValue,
  isServiceFault,
  isFailureResponse,
  isTransientError,
  type HeadersLike,
  type HttpResponseLike,
  type HttpErrorLike,
} from './resilience/http.js';
export type { ExecuteOptions, Policy, PolicyContext, RetryContext } from './resilience/policy.js';
export {
  parseRetryAfter,
  retryAfterHeader,
  rateLimitResetHeader,
  type RetryAfterExtractor,
  type RateLimitResetOptions,
} from './resilience/retry-after.js';
export { retry, type RetryEvent, type RetryOptions } from './resilience/retry.js';
export { timeout, type TimeoutOptions } from './resilience/timeout.js';
export {
  wrap,
  type AnyPolicy,
  type PolicyContextOf,
  type PolicyExtraOf,
  type IntersectionOf,
  type WrappedContext,
} from './resilience/wrap.js';

// Idempotency: the store port, idempotent(), keys and fingerprints
export { canonicalJson } from './idempotency/canonical-json.js';
export {
  type IdempotencyInProgressContext,
  IdempotencyInProgressError,
  isIdempotencyInProgressError,
  type IdempotencyMismatchContext,
  IdempotencyMismatchError,
  isIdempotencyMismatchError,
} from './idempotency/errors.js';
export { fingerprint } from './idempotency/fingerprint.js';
export {
  IdempotencyKey,
  IdempotencyScope,
  MAX_IDEMPOTENCY_KEY_LENGTH,
} from './idempotency/idempotency-scope.js';
export type {
  IdempotencyValue,
  IdempotencyBeginOptions,
  IdempotencyBeginResult,
  IdempotencyCompleteOptions,
  IdempotencyReleaseOptions,
  IdempotencyStore,
} from './idempotency/idempotency-store.js';
export {
  idempotent,
  type IdempotentOptions,
  type IdempotentContext,
  type IdempotentOutcome,
} from './idempotency/idempotent.js';
export {
  idempotentJoined,
  type IdempotencyJoin,
  type IdempotencyTransaction,
} from './idempotency/idempotent-joined.js';

// Tenancy: tenants, the tenant directory port, tenant resolution
export { hashApiKey } from './tenancy/api-key.js';
export {
  type TenantLookupKind,
  type UnknownTenantContext,
  UnknownTenantError,
  isUnknownTenantError,
  type TenantSuspendedContext,
  TenantSuspendedError,
  isTenantSuspendedError,
} from './tenancy/errors.js';
export { resolveTenant, type TenantLookup } from './tenancy/resolve-tenant.js';
export type { TenantDirectory } from './tenancy/tenant-directory.js';
export { CalendarUnavailablePolicy, Tenant, type TenantInput } from './tenancy/tenant.js';

// Saga: definitions, the coordinator, the saga store port, saga events and errors
export type {
  RegisteredSaga,
  SagaCoordinator,
  SagaCoordinatorOptions,
  SagaRecoveryOptions,
  SagaRecoveryReport,
  SagaStartOptions,
  SagaJoin,
} from './saga/coordinator-types.js';
export type { SagaTransactions, SagaTransactionScope } from './saga/saga-transactions.js';
export { createSagaCoordinator } from './saga/coordinator.js';
export {
  defineSaga,
  type LoggedOutput,
  type NoResults,
  type WithStepOutput,
  type SagaStepContext,
  type SagaCompensationContext,
  type SagaStepOptions,
  type SagaLocalStepOptions,
  type SagaLocalStepContext,
  type SagaLocalCompensationContext,
  type SagaStep,
  type SagaDefinition,
  type DefineSagaOptions,
  type SagaInput,
  type SagaResults,
} from './saga/define-saga.js';
export {
  type SagaNotRegisteredContext,
  SagaNotRegisteredError,
  isSagaNotRegisteredError,
  type SagaDefinitionChangedContext,
  SagaDefinitionChangedError,
  isSagaDefinitionChangedError,
} from './saga/definition-errors.js';
export type { SagaRetryOptions, SagaRetryPolicy } from './saga/retry-policy.js';
export {
  type SagaCompensatedContext,
  SagaCompensatedError,
  isSagaCompensatedError,
  type SagaFailedContext,
  SagaFailedError,
  isSagaFailedError,
  type SagaInProgressContext,
  SagaInProgressError,
  isSagaInProgressError,
  type SagaLeaseLostContext,
  SagaLeaseLostError,
  isSagaLeaseLostError,
  type SagaIdConflictContext,
  SagaIdConflictError,
  isSagaIdConflictError,
} from './saga/saga-errors.js';
export {
  sagaEventsToBus,
  type SagaBusEventData,
  type SagaBusEventType,
  type SagaEventsBus,
  type SagaEventsToBusOptions,
} from './saga/saga-events-to-bus.js';
export type {
  SagaEvent,
  SagaEventBase,
  SagaEventListener,
  SagaEventType,
  SagaStartedEvent,
  SagaResumedEvent,
  SagaStepStartedEvent,
  SagaStepCompletedEvent,
  SagaStepFailedEvent,
  SagaCompensationStartedEvent,
  SagaStepCompensatedEvent,
  SagaCompensationFailedEvent,
  SagaCompletedEvent,
  SagaCompensatedEvent,
  SagaFailedEvent,
  SagaManualReviewEvent,
} from './saga/saga-events.js';
export type { SagaCompletion } from './saga/saga-outcome.js';
export {
  SagaState,
  LIVE_SAGA_STATES,
  PURGEABLE_SAGA_STATES,
  SagaStepStatus,
  type JsonValue,
  SerializedError,
  SagaStepEntry,
  SagaRecord,
  type SagaCreateResult,
  type SagaSaveOptions,
  type SagaClaimRequest,
  type SagaQuery,
  type SagaPurgeOptions,
  type SagaStore,
} from './saga/saga-store.js';
export {
  NonRetryableError,
  isNonRetryableError,
  StepTimeoutError,
  isStepTimeoutError,
  StepInDoubtError,
  isStepInDoubtError,
  type NonRetryableContext,
  type StepTimeoutContext,
  type StepInDoubtContext,
} from './saga/step-errors.js';

// Booking: the booking service and its commands, the event catalog, availability, customers, listeners
export {
  createBookingService,
  type BookOptions,
  type BookingResult,
  type BookingService,
} from './booking/service/booking-service.js';
export type { BookingStores, BookingServiceOptions } from './booking/service/booking-service-options.js';
export {
  AppointmentRef,
  CustomerInput,
  BookCommand,
  RescheduleCommand,
  CancelCommand,
  ConfirmCommand,
  MarkNoShowCommand,
  SyncToCalendarCommand,
  CalendarMode,
} from './booking/service/commands.js';
export {
  type SlotConflictContext,
  SlotConflictError,
  isSlotConflictError,
  type CalendarSlotUnavailableContext,
  CalendarSlotUnavailableError,
  isCalendarSlotUnavailableError,
  type InvalidTransitionContext,
  InvalidTransitionError,
  isInvalidTransitionError,
  type CalendarOutsideBookingHoursContext,
  CalendarOutsideBookingHoursError,
  isCalendarOutsideBookingHoursError,
  type CalendarRequestRejectedContext,
  CalendarRequestRejectedError,
  isCalendarRequestRejectedError,
} from './booking/errors.js';
export {
  type CalendarUnavailableContext,
  CalendarUnavailableError,
  isCalendarUnavailableError,
} from './booking/service/errors.js';
export type { CalendarSyncOptions } from './booking/service/calendar-sync-listener.js';
export { type BookingEventSpecs, type BookingEvents, bookingEvents } from './booking/events.js';
export { eventTypeTag } from './booking/availability/availability-keys.js';
export {
  createAvailabilityService,
  type AvailabilityService,
  type AvailabilityServiceOptions,
  type FindAlternativesOptions,
} from './booking/availability/availability-service.js';
export {
  createBroadcastingCache,
  type BroadcastingCache,
  type BroadcastingCacheOptions,
} from './booking/availability/broadcasting-cache.js';
export type { CustomerEventDraft, CustomerEventType } from './booking/customers/customer-events.js';
export {
  normalizeContact,
  type CustomerContactInput,
  type NormalizedContact,
} from './booking/customers/customer-input.js';
export type { MergeCustomersResult } from './booking/customers/customer-merge.js';
export {
  createCustomerService,
  type CustomerService,
  type CustomerServiceOptions,
  type FindOrCreateCustomerOptions,
  type FindOrCreateCustomerResult,
} from './booking/customers/customer-service.js';
export { maskEmail } from './booking/customers/mask-email.js';
export {
  createCustomerErasure,
  type CustomerErasure,
  type CustomerErasureOptions,
  type CustomerErasureResult,
  type EraseCustomerOptions,
} from './booking/customers/customer-erasure.js';
export { erasedEventData, erasedEventPayload } from './booking/customers/erased-event-data.js';
export {
  actorOf,
  registerAuditTrail,
  toAuditEntry,
  type AuditTrailDeps,
} from './booking/listeners/audit-listener.js';
export {
  registerAvailabilityInvalidation,
  type AvailabilityInvalidationDeps,
} from './booking/listeners/availability-invalidation-listener.js';
export {
  registerCustomerStatistics,
  type CustomerStatisticsDeps,
} from './booking/listeners/customer-stats-listener.js';
export type { BookingListenerOptions } from './booking/listeners/listener-support.js';
export {
  NOTIFIED_EVENT_TYPES,
  registerNotifications,
  type NotificationDeps,
  type NotificationListenerOptions,
  type NotificationRoute,
} from './booking/listeners/notification-listener.js';
export {
  registerBookingListeners,
  type BookingListenerDeps,
  type BookingListenersOptions,
} from './booking/listeners/register-booking-listeners.js';
export { registerCallLinks, type CallLinkDeps } from './booking/listeners/call-link-listener.js';

// Reconciliation: find and heal drift between the local database and the calendar
export { createReconciler, type Reconciler, type ReconcileRunOptions } from './reconcile/reconciler.js';
export type { ReconcilerOptions, ReconcilerBookings } from './reconcile/reconciler-options.js';
export {
  scheduleReconciliation,
  type ReconciliationSchedule,
  type ReconciliationScheduleOptions,
} from './reconcile/schedule.js';
export {
  resolveReconcilePolicy,
  DEFAULT_RECONCILE_POLICY,
  type ReconcilePolicy,
  type ReconcilePolicyInput,
  type ComparedField,
} from './reconcile/policy.js';
export {
  DRIFT_CLASSES,
  CLASS_OF_CAUSE,
  type DriftClass,
  type DriftCause,
  type ReconcileAction,
  type PlanItem,
  type LocalSide,
} from './reconcile/drift.js';
export type { ReconciliationPlan, PlanCounts } from './reconcile/plan-types.js';
export type { ReconciliationReport, ReconcileFailure } from './reconcile/reconcile-report.js';
export type { ApplyOptions } from './reconcile/apply-plan.js';
export type { PlanRequest } from './reconcile/plan-window.js';
export type { ChangesPlanRequest } from './reconcile/plan-changes.js';
export type { SkipReason, SagaLister } from './reconcile/in-flight.js';
export {
  ReconciliationAbortedError,
  isReconciliationAbortedError,
  MassCancellationRefusedError,
  isMassCancellationRefusedError,
  ReconciliationLockLostError,
  isReconciliationLockLostError,
  type ReconciliationAbortReason,
  type ReconciliationAbortedContext,
  type MassCancellationRefusedContext,
  type ReconciliationLockLostContext,
} from './reconcile/errors.js';

// Memory adapters: the embedded default of every port (also the test doubles)
export { createLogNotifier, maskRecipient, type LogNotifierOptions } from './adapters/memory/log-notifier.js';
export { createMemoryAppointmentRepository } from './adapters/memory/memory-appointment-repository.js';
export { createMemoryAuditLog } from './adapters/memory/memory-audit-log.js';
export {
  createMemoryAvailabilityCache,
  type MemoryAvailabilityCacheOptions,
} from './adapters/memory/memory-availability-cache.js';
export {
  createMemoryCalendarProvider,
  type MemoryCalendarProvider,
  type MemoryCalendarProviderOptions,
} from './adapters/memory/memory-calendar-provider.js';
export {
  SeedCalendarBooking,
  type SeedCalendarBookingInput,
} from './adapters/memory/memory-calendar-requests.js';
export {
  MemoryCalendarEventType,
  type MemoryCalendarEventTypeInput,
} from './adapters/memory/memory-calendar-schedule.js';
export { createMemoryCallRepository } from './adapters/memory/memory-call-repository.js';
export { createMemoryReconciliationCursorStore } from './adapters/memory/memory-reconciliation-cursor-store.js';
export { createMemoryCustomerRepository } from './adapters/memory/memory-customer-repository.js';
export {
  createMemoryCustomerStatsStore,
  type MemoryCustomerStatsStoreOptions,
} from './adapters/memory/memory-customer-stats-store.js';
export {
  createMemoryIdempotencyStore,
  type MemoryIdempotencyStoreOptions,
} from './adapters/memory/memory-idempotency-store.js';
export {
  createMemoryInvalidationHub,
  type MemoryInvalidationHub,
} from './adapters/memory/memory-invalidation-broadcast.js';
export {
  createMemoryLockService,
  type MemoryLockServiceOptions,
} from './adapters/memory/memory-lock-service.js';
export {
  createMemoryNotifier,
  type MemoryNotifier,
  type SentNotificationFilter,
} from './adapters/memory/memory-notifier.js';
export {
  createMemoryOutboxStore,
  type MemoryOutboxStoreOptions,
} from './adapters/memory/memory-outbox-store.js';
export { createMemorySagaStore } from './adapters/memory/memory-saga-store.js';
export {
  createMemoryStores,
  type MemoryStores,
  type MemoryStoresOptions,
} from './adapters/memory/memory-stores.js';
export {
  createMemoryTenantDirectory,
  type MemoryTenantDirectoryOptions,
} from './adapters/memory/memory-tenant-directory.js';
export {
  UnitOfWorkMisuseError,
  isUnitOfWorkMisuseError,
  type UnitOfWorkMisuseContext,
} from './adapters/memory/unit-of-work-misuse-error.js';
export { createMemoryBreakerStateStore } from './resilience/breaker/memory-breaker-state-store.js';

// Composition root: one call assembles a working booking backend
export type {
  BookingKitOptions,
  BookingKitRelayOptions,
  BookingKitServiceOptions,
  BookingKitStores,
  BookingKitTenant,
} from './kit/booking-kit-options.js';
export { createBookingKit, type BookingKit } from './kit/booking-kit.js';
export { KitClosedError, isKitClosedError, type KitClosedContext } from './kit/errors.js';
