import { TelemetryAttributes as A } from '../observability/attributes.js';
import { bookingkitInstruments } from '../observability/instruments.js';
import { markSpanFailed, withSpan } from '../observability/with-span.js';
import type { AttemptOutcome } from './run-attempt.js';
import type { SagaEvent } from './saga-events.js';

/**
 * Counts a saga that ended (`bookingkit.saga.outcomes`: `completed`, `compensated` or `failed`,
 * the last also for a compensation that failed), from the coordinator's events.
 *
 * @internal
 */
export function recordSagaEvent(event: SagaEvent): void {
  if (event.type !== 'completed' && event.type !== 'compensated' && event.type !== 'failed') return;
  bookingkitInstruments().sagaOutcomes.add(1, { [A.saga]: event.saga, [A.outcome]: event.type });
}

/** The saga an attempt belongs to, as its span names it. @internal */
export interface TracedSaga {
  readonly id: string;
  readonly name: string;
  readonly input: unknown;
}

/**
 * Runs one attempt of a step (or of its compensation) inside a span named
 * `saga.<saga>.<step>` (`.compensate` for a compensation), with the saga id, the attempt, and
 * the correlation id when the saga's input carries one (`input.correlationId`, as the booking
 * sagas' do). A failed attempt marks the span failed.
 *
 * @internal
 */
export function traceAttempt(
  saga: TracedSaga,
  step: string,
  compensation: boolean,
  attempt: number,
  run: () => Promise<AttemptOutcome>,
): Promise<AttemptOutcome> {
  const input = saga.input as { correlationId?: unknown } | null;
  const correlationId =
    typeof input === 'object' && input !== null && typeof input.correlationId === 'string'
      ? input.correlationId
      : undefined;
  return withSpan(
    `saga.${saga.name}.${step}${compensation ? '.compensate' : ''}`,
    {
      attributes: { [A.saga]: saga.name, [A.sagaStep]: step, [A.sagaId]: saga.id, [A.attempt]: attempt },
      correlationId,
    },
    async (span) => {
      const outcome = await run();
      if (!outcome.ok) markSpanFailed(span, outcome.error);
      return outcome;
    },
  );
}
