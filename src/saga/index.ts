export * from './define-saga.js';
export type { SagaRetryOptions, SagaRetryPolicy } from './retry-policy.js';
export * from './coordinator.js';
export type { SagaCompletion } from './saga-outcome.js';
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
} from './saga-events.js';
export * from './saga-events-to-bus.js';
export * from './saga-errors.js';
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
} from './step-errors.js';
export * from './definition-errors.js';
export * from './saga-store.js';
