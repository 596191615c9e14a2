import { BookingKitError, errorGuard } from '../errors/booking-kit-error.js';

/** Context of a {@link SagaNotRegisteredError}. */
export interface SagaNotRegisteredContext {
  readonly saga: string;
  /** The names the coordinator was given. */
  readonly registered: readonly string[];
}

/**
 * `start` was given a saga definition that is not among the coordinator's `sagas`. A coordinator
 * only runs sagas it could also recover after a restart, which needs the definition by name.
 *
 * @example
 * ```ts
 * declare const store: SagaStore;
 * declare const transferSaga: RegisteredSaga;
 * // ---cut---
 * createSagaCoordinator({ store, sagas: [transferSaga] }); // register every saga you start
 * ```
 */
export class SagaNotRegisteredError extends BookingKitError<'SAGA_NOT_REGISTERED', SagaNotRegisteredContext> {
  override name = 'SagaNotRegisteredError';

  constructor(context: SagaNotRegisteredContext) {
    super(
      'SAGA_NOT_REGISTERED',
      `Saga "${context.saga}" is not registered with this coordinator (registered: ${context.registered.join(', ') || 'none'}); pass it in createSagaCoordinator({ sagas })`,
      context,
    );
  }
}

/**
 * Tells whether `error` is a {@link SagaNotRegisteredError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isSagaNotRegisteredError(error)) console.log(error.context.registered);
 * ```
 */
export const isSagaNotRegisteredError = errorGuard<SagaNotRegisteredError>(
  'SagaNotRegisteredError',
  'SAGA_NOT_REGISTERED',
);

/** Context of a {@link SagaDefinitionChangedError}. */
export interface SagaDefinitionChangedContext {
  readonly sagaId: string;
  readonly saga: string;
  /** Step names in the stored record. */
  readonly storedSteps: readonly string[];
  /** Step names of the definition this process has. */
  readonly definedSteps: readonly string[];
}

/**
 * A stored saga's steps do not match the definition registered under its name (the saga was
 * changed by a deploy while runs were in flight). The run can be neither resumed nor compensated safely: it
 * is marked `failed` for manual review. Add a new saga name for a changed sequence of steps
 * instead of editing one that may have live runs.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isSagaDefinitionChangedError(error)) console.log(error.context.storedSteps, error.context.definedSteps);
 * ```
 */
export class SagaDefinitionChangedError extends BookingKitError<
  'SAGA_DEFINITION_CHANGED',
  SagaDefinitionChangedContext
> {
  override name = 'SagaDefinitionChangedError';

  constructor(context: SagaDefinitionChangedContext) {
    super(
      'SAGA_DEFINITION_CHANGED',
      `Saga ${context.saga} (${context.sagaId}) was stored with steps [${context.storedSteps.join(', ')}] but is defined with [${context.definedSteps.join(', ')}]`,
      context,
    );
  }
}

/**
 * Tells whether `error` is a {@link SagaDefinitionChangedError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isSagaDefinitionChangedError(error)) console.log(error.context.sagaId);
 * ```
 */
export const isSagaDefinitionChangedError = errorGuard<SagaDefinitionChangedError>(
  'SagaDefinitionChangedError',
  'SAGA_DEFINITION_CHANGED',
);
