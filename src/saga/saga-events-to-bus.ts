import type { EventMetadata } from '../events/envelope.js';
import { checkStringOption } from '../util/options.js';
import type { SagaEvent, SagaEventListener } from './saga-events.js';

/** The data of each bus event that {@link sagaEventsToBus} publishes (as in `bookingEvents`). */
export interface SagaBusEventData {
  readonly 'saga.started': { readonly sagaId: string; readonly saga: string };
  readonly 'saga.step_completed': { readonly sagaId: string; readonly saga: string; readonly step: string };
  readonly 'saga.compensated': {
    readonly sagaId: string;
    readonly saga: string;
    readonly failedStep: string;
    readonly error: string;
  };
  readonly 'saga.failed': {
    readonly sagaId: string;
    readonly saga: string;
    readonly step: string | null;
    readonly error: string;
    readonly state: 'failed' | 'compensation_failed';
  };
  readonly 'appointment.manual_review_required': {
    readonly appointmentId: string | null;
    readonly sagaId: string | null;
    readonly reason: string;
  };
}

/** The bus event types that {@link sagaEventsToBus} publishes. */
export type SagaBusEventType = keyof SagaBusEventData;

/**
 * The part of an event bus that {@link sagaEventsToBus} uses. `EventBus<C>` fits whenever its
 * catalog `C` defines the {@link SagaBusEventType}s with compatible data, as `bookingEvents` does;
 * `Event` is the bus's event type.
 */
export interface SagaEventsBus<Event> {
  create(type: SagaBusEventType, data: SagaBusEventData[SagaBusEventType], meta: EventMetadata): Event;
  publish(event: Event): unknown;
}

/** Options of {@link sagaEventsToBus}. */
export interface SagaEventsToBusOptions {
  /** `tenantId` of events of sagas started without a tenant (the envelope requires one). @default 'system' */
  readonly fallbackTenantId?: string;
  /** The appointment a manual review is about, when a saga knows it. @default () => null */
  readonly appointmentIdOf?: (event: SagaEvent) => string | null;
}

/**
 * Returns a saga event listener that publishes the coordinator's events on a typed event bus:
 * `saga.started`, `saga.step_completed`, `saga.compensated`, `saga.failed` and
 * `appointment.manual_review_required`, with `aggregateType: 'saga'`, `aggregateId` the saga id,
 * and the saga's tenant. Other saga events are not published.
 *
 * @throws {@link InvalidOptionError} for an empty `fallbackTenantId`.
 * @example
 * ```ts
 * declare const store: SagaStore;
 * declare const bookSaga: RegisteredSaga;
 * declare function pageOperator(sagaId: string): void;
 * // ---cut---
 * const bus = createEventBus({ catalog: bookingEvents });
 * const coordinator = createSagaCoordinator({ store, sagas: [bookSaga], events: sagaEventsToBus(bus) });
 * bus.on('saga.failed', (event) => pageOperator(event.data.sagaId));
 * ```
 */
export function sagaEventsToBus<Event>(
  bus: SagaEventsBus<Event>,
  options: SagaEventsToBusOptions = {},
): SagaEventListener {
  const fallbackTenantId =
    options.fallbackTenantId === undefined
      ? 'system'
      : checkStringOption('fallbackTenantId', options.fallbackTenantId, 200, { factory: 'sagaEventsToBus' });
  const appointmentIdOf = options.appointmentIdOf ?? (() => null);
  return (event) => {
    const published = toBusEvent(event, appointmentIdOf);
    if (!published) return;
    const meta: EventMetadata = {
      tenantId: event.tenantId ?? fallbackTenantId,
      aggregateType: 'saga',
      aggregateId: event.sagaId,
      time: new Date(event.time).toISOString(),
    };
    bus.publish(bus.create(published.type, published.data, meta));
  };
}

type BusEvent = {
  [T in SagaBusEventType]: { readonly type: T; readonly data: SagaBusEventData[T] };
}[SagaBusEventType];

function toBusEvent(
  event: SagaEvent,
  appointmentIdOf: (event: SagaEvent) => string | null,
): BusEvent | undefined {
  const { sagaId, saga } = event;
  switch (event.type) {
    case 'started':
      return { type: 'saga.started', data: { sagaId, saga } };
    case 'step_completed':
      return { type: 'saga.step_completed', data: { sagaId, saga, step: event.step } };
    case 'compensated':
      return {
        type: 'saga.compensated',
        data: { sagaId, saga, failedStep: event.failedStep, error: event.error.message },
      };
    case 'failed': {
      const error =
        (event.state === 'compensation_failed' ? event.compensationError : event.error) ?? event.error;
      return {
        type: 'saga.failed',
        data: {
          sagaId,
          saga,
          step: event.step,
          error: error?.message ?? 'unknown error',
          state: event.state,
        },
      };
    }
    case 'manual_review_required':
      return {
        type: 'appointment.manual_review_required',
        data: { appointmentId: appointmentIdOf(event), sagaId, reason: event.reason },
      };
    default:
      return undefined;
  }
}
