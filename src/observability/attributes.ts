/**
 * The attribute names bookingkit puts on its metrics and spans: OpenTelemetry semantic-convention
 * names where one exists (`error.type`, `http.response.status_code`), `bookingkit.*` otherwise.
 *
 * Metric attributes hold bounded values only: command, operation, outcome and state names, error
 * codes, listener, saga, breaker and webhook names (fixed by the code that creates them), and the
 * tenant id. The tenant id is the one unbounded-looking value: it is set only once the tenant was
 * resolved (an unknown tenant never becomes a label), and a host with very many tenants drops it
 * with an SDK `View`. Personal data (names, phone numbers, emails) is never an attribute.
 * Correlation, saga and run ids are span attributes only: a span is one operation, a metric
 * series is forever.
 *
 * @example
 * ```ts
 * import { metrics } from '@opentelemetry/api';
 * metrics.getMeter('my-app').createCounter('my_app.bookings').add(1, { [TelemetryAttributes.tenant]: 'acme' });
 * ```
 */
export const TelemetryAttributes = Object.freeze({
  /** The tenant id (resolved tenants only). */
  tenant: 'bookingkit.tenant',
  /** What happened: per instrument, a small fixed set (`ok`, `error`, `accepted`, `dead_lettered` ...). */
  outcome: 'bookingkit.outcome',
  /** The bookingkit error code (`SLOT_CONFLICT`), else the error's class name (semantic convention). */
  errorType: 'error.type',
  /** The booking command: `book`, `reschedule`, `cancel`, `confirm`, `no-show`, `sync-to-calendar`. */
  command: 'bookingkit.command',
  /** After a successful command: `synced`, `queued` or `not_needed`. */
  calendarSync: 'bookingkit.calendar_sync',
  /** After a successful command: whether it replayed an earlier answer. */
  replayed: 'bookingkit.replayed',
  /** The calendar provider method: `createBooking`, `getAvailableSlots` ... */
  calendarOperation: 'bookingkit.calendar.operation',
  /** The breaker's name. */
  breaker: 'bookingkit.breaker',
  /** A breaker state: `closed`, `open`, `half-open`, `isolated`, `disabled`. */
  breakerState: 'bookingkit.breaker.state',
  /** Which cache: `availability`. */
  cache: 'bookingkit.cache',
  /** `hit` or `miss`. */
  cacheResult: 'bookingkit.cache.result',
  /** The webhook endpoint: `calcom`, `retell`, `retell_inbound`, or a custom handler's `name`. */
  webhookSource: 'bookingkit.webhook.source',
  /** The HTTP status answered (semantic convention). */
  httpStatus: 'http.response.status_code',
  /** The queued listener's name. */
  listener: 'bookingkit.outbox.listener',
  /** The saga's name. */
  saga: 'bookingkit.saga',
  /** The saga step's name. */
  sagaStep: 'bookingkit.saga.step',
  /** Reconciliation: `full` or `incremental`. */
  reconcileMode: 'bookingkit.reconcile.mode',
  /** Reconciliation: the drift class (`missing_remote`, `time_drift` ...). */
  driftClass: 'bookingkit.reconcile.drift_class',
  /** Reconciliation: the action (`heal_remote`, `import_local` ...). */
  reconcileAction: 'bookingkit.reconcile.action',
  /** Span only: the correlation id the command's events carry (its idempotency key). */
  correlationId: 'bookingkit.correlation_id',
  /** Span only: the saga's id. */
  sagaId: 'bookingkit.saga.id',
  /** Span only: the attempt number of a saga step. */
  attempt: 'bookingkit.attempt',
  /** Span only: the reconciliation run's id. */
  runId: 'bookingkit.reconcile.run_id',
});
