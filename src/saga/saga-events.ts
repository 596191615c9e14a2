import type { Logger } from '../ports/logger.js';
import type { SerializedError } from './saga-store.js';
import { toDisposable, type Disposable } from '../util/disposable.js';
import { recordSagaEvent } from './saga-telemetry.js';

/** Fields of every {@link SagaEvent}. */
export interface SagaEventBase {
  readonly sagaId: string;
  /** The saga's name. */
  readonly saga: string;
  readonly tenantId: string | null;
  /** When it happened (epoch ms, from the coordinator's clock). */
  readonly time: number;
}

/** A new saga run was logged and its first step is starting. */
export interface SagaStartedEvent extends SagaEventBase {
  readonly type: 'started';
}

/** A worker took over a live saga whose lease had expired (after a crash) and continues it. */
export interface SagaResumedEvent extends SagaEventBase {
  readonly type: 'resumed';
  readonly state: 'running' | 'compensating';
  /** How many times the saga has been taken over so far, this time included. */
  readonly recoveries: number;
}

/** A step's run is starting (first run, retry, or re-run after a crash). */
export interface SagaStepStartedEvent extends SagaEventBase {
  readonly type: 'step_started';
  readonly step: string;
  readonly attempt: number;
}

/** A step completed and its output is logged. */
export interface SagaStepCompletedEvent extends SagaEventBase {
  readonly type: 'step_completed';
  readonly step: string;
  readonly attempt: number;
}

/** One run of a step failed; it is retried unless `willRetry` is false. */
export interface SagaStepFailedEvent extends SagaEventBase {
  readonly type: 'step_failed';
  readonly step: string;
  readonly attempt: number;
  readonly error: SerializedError;
  readonly willRetry: boolean;
}

/** A step's compensation is starting (first run, retry, or re-run after a crash). */
export interface SagaCompensationStartedEvent extends SagaEventBase {
  readonly type: 'compensation_started';
  readonly step: string;
  readonly attempt: number;
}

/** A step's effect was undone. */
export interface SagaStepCompensatedEvent extends SagaEventBase {
  readonly type: 'step_compensated';
  readonly step: string;
  readonly attempt: number;
}

/** One run of a compensation failed; it is retried unless `willRetry` is false. */
export interface SagaCompensationFailedEvent extends SagaEventBase {
  readonly type: 'compensation_failed';
  readonly step: string;
  readonly attempt: number;
  readonly error: SerializedError;
  readonly willRetry: boolean;
}

/** Every step ran; the saga is final. */
export interface SagaCompletedEvent extends SagaEventBase {
  readonly type: 'completed';
}

/** A step failed and every completed step before it was undone; the saga is final. */
export interface SagaCompensatedEvent extends SagaEventBase {
  readonly type: 'compensated';
  readonly failedStep: string;
  readonly error: SerializedError;
}

/** The saga ended without its effects fully undone (see `SagaFailedError`); it is final. */
export interface SagaFailedEvent extends SagaEventBase {
  readonly type: 'failed';
  readonly state: 'failed' | 'compensation_failed';
  /** The step whose failure started compensation, if one failed. */
  readonly step: string | null;
  readonly error: SerializedError | null;
  /** The compensation that gave up, for `compensation_failed`. */
  readonly compensationStep: string | null;
  readonly compensationError: SerializedError | null;
}

/** An operator must look at this saga: always follows a `failed` event. */
export interface SagaManualReviewEvent extends SagaEventBase {
  readonly type: 'manual_review_required';
  /** What to look at, in words. */
  readonly reason: string;
}

/**
 * What a saga coordinator reports, in order, for each saga it drives. Events are emitted after
 * the transition they describe is logged, so a listener never sees a step completed that the log
 * does not know of; a crash between the write and the event loses the event (they are
 * notifications: put durable reactions in steps).
 */
export type SagaEvent =
  | SagaStartedEvent
  | SagaResumedEvent
  | SagaStepStartedEvent
  | SagaStepCompletedEvent
  | SagaStepFailedEvent
  | SagaCompensationStartedEvent
  | SagaStepCompensatedEvent
  | SagaCompensationFailedEvent
  | SagaCompletedEvent
  | SagaCompensatedEvent
  | SagaFailedEvent
  | SagaManualReviewEvent;

/** The names of {@link SagaEvent}s. */
export type SagaEventType = SagaEvent['type'];

/**
 * Receives every {@link SagaEvent}. It runs synchronously inside the coordinator; errors it
 * throws are logged and otherwise ignored (a listener never changes a saga's course).
 */
export type SagaEventListener = (event: SagaEvent) => void;

/**
 * The listener registry of a coordinator.
 *
 * @internal
 */
export interface SagaEventHub {
  emit(event: SagaEvent): void;
  subscribe(listener: SagaEventListener): Disposable;
}

/** @internal */
export function createSagaEventHub(logger: Logger): SagaEventHub {
  let listeners: readonly SagaEventListener[] = [];
  return {
    emit(event) {
      recordSagaEvent(event);
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (error) {
          logger.error({ err: error, sagaId: event.sagaId, event: event.type }, 'saga event listener threw');
        }
      }
    },
    subscribe(listener) {
      listeners = [...listeners, listener];
      return toDisposable(() => {
        listeners = listeners.filter((l) => l !== listener);
      });
    },
  };
}
