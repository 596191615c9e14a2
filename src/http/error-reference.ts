/** What the error reference says about one bookingkit error code. */
export interface ErrorReferenceEntry {
  /** The `name` of the error class that carries the code, e.g. `SlotConflictError`. */
  readonly name: string;
  /**
   * The HTTP status {@link problemResponse} answers with. Codes that are the server's fault are
   * listed with their 5xx status on purpose, so a code missing from the table is told apart from a
   * server error by design.
   */
  readonly status: number;
  /** What happened, in one sentence. */
  readonly meaning: string;
  /** What the caller (or, for a server error, the operator) should do about it. */
  readonly action: string;
}

/** Freezes the table and each of its entries, keeping the literal keys. */
function freezeTable<T extends Record<string, ErrorReferenceEntry>>(table: T): Readonly<T> {
  for (const entry of Object.values(table)) Object.freeze(entry);
  return Object.freeze(table);
}

/**
 * Every bookingkit error code: the class that carries it, the HTTP status {@link problemResponse}
 * answers with, what it means and what to do. The one source of {@link problemStatuses} and of the
 * error reference page (`docs/errors.md`). A test fails when the source defines a code that is not
 * here, or this lists one that no longer exists.
 *
 * @example
 * ```ts
 * const { status, action } = errorReference.SLOT_CONFLICT; // 409, 'Offer the caller one of the ...'
 * for (const [code, entry] of Object.entries(errorReference)) console.log(code, entry.status);
 * ```
 */
export const errorReference = freezeTable({
  // Requests and input
  VALIDATION: {
    name: 'ValidationError',
    status: 400,
    meaning: 'The input failed validation; each offending field and its problem is listed in `issues`.',
    action: 'Fix the fields named in `issues` and send the request again.',
  },
  WEBHOOK_SIGNATURE_INVALID: {
    name: 'WebhookSignatureError',
    status: 401,
    meaning: 'A webhook’s signature is missing, stale or does not match its body.',
    action:
      'Check that the sender and this server share the same signing secret and that clocks agree; the log says which check failed.',
  },
  PAYLOAD_TOO_LARGE: {
    name: 'PayloadTooLargeError',
    status: 413,
    meaning: 'The request body is larger than the configured limit; reading stopped at the limit.',
    action: 'Send a smaller body, or raise `limitBytes` if such bodies are legitimate.',
  },

  AUTHENTICATION_FAILED: {
    name: 'AuthenticationError',
    status: 401,
    meaning:
      'A REST request carried no API key, a malformed `Authorization` header, or a key no tenant owns.',
    action: 'Send the tenant’s API key as `Authorization: Bearer <API key>`.',
  },

  // Tenancy
  TENANT_UNKNOWN: {
    name: 'UnknownTenantError',
    status: 404,
    meaning: 'No tenant owns the phone number, API key, route key or id of the request.',
    action:
      'Check the number, key or route the request was sent with; bookingkit never falls back to a default tenant.',
  },
  TENANT_SUSPENDED: {
    name: 'TenantSuspendedError',
    status: 403,
    meaning: 'The tenant exists but is suspended, so its requests are refused.',
    action: 'Reactivate the tenant in the tenant directory before sending requests for it.',
  },

  // Composition root
  KIT_CLOSED: {
    name: 'KitClosedError',
    status: 503,
    meaning: 'The booking kit was closed (the instance is shutting down) and takes no new commands.',
    action: 'Send the request to another instance, or again once this one has restarted.',
  },

  // Bookings
  SLOT_CONFLICT: {
    name: 'SlotConflictError',
    status: 409,
    meaning: 'The requested time overlaps an active appointment of the same resource.',
    action: 'Offer the caller one of the `alternatives` in the response, or ask for another time.',
  },
  CALENDAR_SLOT_UNAVAILABLE: {
    name: 'CalendarSlotUnavailableError',
    status: 409,
    meaning: 'The external calendar refused the time because it was taken there.',
    action: 'Ask for another time; the calendar is the judge of what it has free.',
  },
  CALENDAR_OUTSIDE_BOOKING_HOURS: {
    name: 'CalendarOutsideBookingHoursError',
    status: 422,
    meaning:
      'The external calendar takes no bookings of the event type at that time: outside its hours, in the past or within its minimum notice.',
    action: 'Ask for a time within the bookable hours; trying the same time again cannot succeed.',
  },
  CALENDAR_REQUEST_REJECTED: {
    name: 'CalendarRequestRejectedError',
    status: 502,
    meaning:
      'The external calendar refused a request bookingkit made for good: what it names does not exist there, or the calendar rejects it as it stands.',
    action:
      'Operator: compare the event types and bookings with the calendar (the log has the calendar’s status and detail); repeating the request cannot help.',
  },
  CALENDAR_UNAVAILABLE: {
    name: 'CalendarUnavailableError',
    status: 503,
    meaning:
      'The external calendar could not be reached and the tenant’s policy is to fail: nothing was booked, moved or cancelled.',
    action: 'Try again after `Retry-After` seconds (when given), with the same Idempotency-Key.',
  },
  CALCOM_AUTH_FAILED: {
    name: 'CalcomAuthError',
    status: 502,
    meaning:
      'Cal.com refused the tenant’s credentials (HTTP 401, or 498 for an expired access token): the API key is wrong, expired or revoked.',
    action:
      'Operator: give the tenant a valid Cal.com API key in its credentials; repeating the request cannot help until then.',
  },
  CALCOM_RATE_LIMITED: {
    name: 'CalcomRateLimitedError',
    status: 503,
    meaning:
      'Too many requests were made with the tenant’s Cal.com API key: Cal.com answered 429, or the client’s rate limiter would have waited too long.',
    action:
      'Try again in a minute (Cal.com’s limit resets within one); operator: share one rate limiter between instances that use the same key, or ask Cal.com for a higher limit.',
  },
  CALCOM_UNAVAILABLE: {
    name: 'CalcomUnavailableError',
    status: 503,
    meaning:
      'Cal.com could not be reached, did not answer in time, or failed on its side (5xx); a write may have taken effect.',
    action:
      'Try again later with the same Idempotency-Key; bookingkit looks a create up by its tag before repeating it.',
  },
  CALCOM_RESPONSE_INVALID: {
    name: 'CalcomResponseError',
    status: 502,
    meaning:
      'Cal.com answered with a body of an unexpected shape, most often that of another API version, which it serves for a `cal-api-version` it does not know.',
    action:
      'Operator: compare the client’s `versions` with the Cal.com deployment; the log names the endpoint, the version sent and each field.',
  },
  RETELL_AUTH_FAILED: {
    name: 'RetellAuthError',
    status: 502,
    meaning: 'Retell refused the API key (HTTP 401 or 403): it is wrong, revoked or of another workspace.',
    action:
      'Operator: give the Retell client a valid API key of the workspace; repeating the request cannot help until then.',
  },
  RETELL_RATE_LIMITED: {
    name: 'RetellRateLimitedError',
    status: 503,
    meaning:
      'Retell answered 429: the account is rate limited. Reads were retried after the wait Retell asked for; a phone call create is never retried.',
    action: 'Try again later; operator: spread the calls to Retell out, or ask Retell for a higher limit.',
  },
  RETELL_UNAVAILABLE: {
    name: 'RetellUnavailableError',
    status: 503,
    meaning:
      'Retell could not be reached, did not answer in time, or failed on its side (5xx); a phone call create may have dialled.',
    action:
      'Try again later; before creating a phone call again, look for the first one by its metadata with `listCalls`.',
  },
  RETELL_REQUEST_REJECTED: {
    name: 'RetellApiError',
    status: 502,
    meaning:
      'Retell refused a request for good: it is malformed (400), the account cannot pay (402), or what it names does not exist there (404, 422).',
    action:
      'Operator: read Retell’s status and message in the log (numbers, agent id, payment); repeating the request cannot help.',
  },
  RETELL_RESPONSE_INVALID: {
    name: 'RetellResponseError',
    status: 502,
    meaning:
      'Retell answered with a body of an unexpected shape: a required field is missing or of another type, or the body is not JSON.',
    action:
      'Operator: the log names the endpoint and each field; check for a change of Retell’s API or something answering in its place.',
  },
  INVALID_TRANSITION: {
    name: 'InvalidTransitionError',
    status: 409,
    meaning:
      'The command does not apply to the appointment’s current status, e.g. confirming a cancelled one.',
    action: 'Read the appointment again and send a command that fits its status.',
  },

  // Idempotency
  IDEMPOTENCY_IN_PROGRESS: {
    name: 'IdempotencyInProgressError',
    status: 409,
    meaning: 'Another request with the same Idempotency-Key is still being processed.',
    action:
      'Send the request again with the same key after `Retry-After` seconds; it will answer the first one’s result.',
  },
  IDEMPOTENCY_MISMATCH: {
    name: 'IdempotencyMismatchError',
    status: 422,
    meaning: 'The Idempotency-Key was already used for a different request.',
    action: 'Use a new key for each distinct request; reuse a key only to retry the very same request.',
  },

  // Storage
  NOT_FOUND: {
    name: 'NotFoundError',
    status: 404,
    meaning: 'The record does not exist, or belongs to another tenant.',
    action: 'Check the id and the tenant the request was sent for.',
  },
  VERSION_CONFLICT: {
    name: 'VersionConflictError',
    status: 409,
    meaning: 'The record changed since it was read (optimistic concurrency).',
    action: 'Read the record again and retry the command against its current version.',
  },
  DUPLICATE_RECORD: {
    name: 'DuplicateRecordError',
    status: 409,
    meaning: 'A record with the same unique key already exists.',
    action: 'Look up the existing record instead of creating it again.',
  },
  CORRUPT_RECORD: {
    name: 'CorruptRecordError',
    status: 500,
    meaning:
      'A stored record could not be read back: malformed, written by something else, or of an incompatible version.',
    action: 'Operator: inspect the record named in the log (store, key and problem) and repair or remove it.',
  },
  STORAGE_UNAVAILABLE: {
    name: 'StorageUnavailableError',
    status: 503,
    meaning:
      'The database could not be reached or ended the connection (a restart, a failover, a network failure).',
    action:
      'Retry after the `Retry-After` seconds with the same idempotency key; operator: check the database and the readiness endpoint.',
  },
  TRANSACTION_ROLLED_BACK: {
    name: 'TransactionRolledBackError',
    status: 500,
    meaning:
      'Postgres rolled a transaction back at COMMIT because a statement inside it had failed; nothing was written.',
    action:
      'Operator: find the failed statement in the log; the code that caught and ignored its error needs fixing.',
  },
  UNIT_OF_WORK_MISUSE: {
    name: 'UnitOfWorkMisuseError',
    status: 500,
    meaning: 'The memory stores were used in a way that would deadlock or write outside the unit of work.',
    action:
      'Host developer: write through the stores passed to `unitOfWork.run`, not after it finished, and keep slow calls out of it.',
  },

  // Resilience
  BROKEN_CIRCUIT: {
    name: 'BrokenCircuitError',
    status: 503,
    meaning: 'A circuit breaker is open, so the call to the service behind it was refused at once.',
    action:
      'Try again after `Retry-After` seconds (when given); operator: check the service the breaker guards.',
  },
  BULKHEAD_REJECTED: {
    name: 'BulkheadRejectedError',
    status: 503,
    meaning:
      'Too many calls were running and queued, so this one was refused at once, without running, to shed load.',
    action:
      'Try again after `Retry-After` seconds, with backoff; operator: add instances or raise the limits (`admission` of the booking service) if this is normal load.',
  },
  TIMEOUT: {
    name: 'TimeoutError',
    status: 504,
    meaning: 'A call ran longer than its time limit and was aborted.',
    action: 'Try again with the same Idempotency-Key; operator: check the slow dependency named in the log.',
  },

  // Sagas
  SAGA_COMPENSATED: {
    name: 'SagaCompensatedError',
    status: 500,
    meaning:
      'A step of a multi-step operation failed and every step before it was undone: nothing lasting happened.',
    action: 'Operator: the log holds the failed step’s error; the caller may try again once it is fixed.',
  },
  SAGA_FAILED: {
    name: 'SagaFailedError',
    status: 500,
    meaning:
      'A multi-step operation stopped without being fully undone, and a manual-review event was emitted.',
    action: 'Operator: review the saga named in the log and finish or undo its steps by hand.',
  },
  SAGA_IN_PROGRESS: {
    name: 'SagaInProgressError',
    status: 409,
    meaning: 'Another worker is running the saga with this id right now.',
    action: 'Ask again after `Retry-After` seconds, or read the saga’s record.',
  },
  SAGA_LEASE_LOST: {
    name: 'SagaLeaseLostError',
    status: 500,
    meaning: 'This worker lost a saga’s lease to another worker, which finishes the saga.',
    action:
      'Look up the outcome before repeating the request, since another worker finishes it; operator: look for slow steps or stalled workers.',
  },
  SAGA_ID_CONFLICT: {
    name: 'SagaIdConflictError',
    status: 500,
    meaning:
      'A saga id is already used by another saga, or by the same saga with a different input or tenant.',
    action: 'Host developer: derive saga ids so that each distinct request gets its own.',
  },
  SAGA_NOT_REGISTERED: {
    name: 'SagaNotRegisteredError',
    status: 500,
    meaning: 'A saga was started that is not registered with the coordinator.',
    action: 'Host developer: pass every saga you start in `createSagaCoordinator({ sagas })`.',
  },
  SAGA_DEFINITION_CHANGED: {
    name: 'SagaDefinitionChangedError',
    status: 500,
    meaning:
      'A stored saga’s steps no longer match its definition, because a deploy changed it under a live run.',
    action:
      'Operator: finish the run by hand; host developer: give a changed sequence of steps a new saga name.',
  },
  NON_RETRYABLE: {
    name: 'NonRetryableError',
    status: 500,
    meaning: 'A saga step failed in a way another attempt cannot fix; the wrapped error says why.',
    action: 'Operator: read the wrapped error in the log.',
  },
  SAGA_STEP_TIMEOUT: {
    name: 'StepTimeoutError',
    status: 504,
    meaning: 'A saga step or compensation ran longer than its `timeoutMs`.',
    action: 'Try again with the same Idempotency-Key; operator: check the step named in the log.',
  },
  SAGA_STEP_IN_DOUBT: {
    name: 'StepInDoubtError',
    status: 500,
    meaning: 'A non-idempotent saga step was interrupted, so whether it took effect is unknown.',
    action: 'Operator: check whether the step named in the log took effect, and finish the saga by hand.',
  },

  // Reconciliation
  RECONCILIATION_ABORTED: {
    name: 'ReconciliationAbortedError',
    status: 503,
    meaning:
      'A reconciliation plan was abandoned: a listing of the database or the calendar was partial or shifted between pages.',
    action: 'Run the reconciliation again later; nothing was classified or changed from the partial read.',
  },
  RECONCILIATION_LOCK_LOST: {
    name: 'ReconciliationLockLostError',
    status: 503,
    meaning:
      'A scheduled reconciliation run stopped: its lock was taken or could not be extended in time, so another instance may be reconciling the tenant.',
    action:
      'Nothing to undo: what the run applied is replayed, not repeated, by the next run. Check the lock store if it happens often.',
  },
  MASS_CANCELLATION_REFUSED: {
    name: 'MassCancellationRefusedError',
    status: 409,
    meaning: 'A reconciliation plan would cancel more than the allowed share of the bookings it compared.',
    action: 'Look at the plan; apply it with `{ force: true }` if the cancellations are right.',
  },

  // Events
  EVENT_VALIDATION: {
    name: 'EventValidationError',
    status: 500,
    meaning: 'An event built by the server does not match the event catalog.',
    action: 'Host developer: fix the event data at the paths named in the log.',
  },
  EVENT_TYPE_UNKNOWN: {
    name: 'UnknownEventTypeError',
    status: 500,
    meaning: 'An event type is not in the catalog (possible only when types are bypassed at run time).',
    action: 'Host developer: register the event type in the catalog, or dead-letter the foreign event.',
  },
  EVENT_LISTENER_FAILED: {
    name: 'EventListenerError',
    status: 500,
    meaning: 'One or more listeners of a strict event bus failed after every listener had run.',
    action: 'Operator: the log lists each failed listener and its error.',
  },

  // Configuration
  INVALID_OPTION: {
    name: 'InvalidOptionError',
    status: 500,
    meaning: 'A factory was given an option that is missing, of the wrong type or out of range.',
    action:
      'Host developer: fix the option named in the message; this is a programming error, not a bad request.',
  },
});

/** A bookingkit error code, e.g. `SLOT_CONFLICT`: a key of {@link errorReference}. */
export type ErrorCode = keyof typeof errorReference;
