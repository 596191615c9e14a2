import type { Attributes, Histogram } from '@opentelemetry/api';
import { TelemetryAttributes } from './attributes.js';
import { errorTypeOf } from './error-type.js';

/**
 * Runs `fn` and records its duration (seconds, from `performance.now()`: real time, whatever
 * clock the caller was given) in `histogram`, with `attributes` and the outcome: those
 * `onSuccess` returns for a result, or `bookingkit.outcome: 'error'` and `error.type` for an
 * error (rethrown), unless `onError` names another outcome (e.g. `refused`).
 *
 * @example
 * ```ts
 * import { metrics } from '@opentelemetry/api';
 * declare function sendReminder(): Promise<number>;
 * // ---cut---
 * const duration = metrics.getMeter('my-app').createHistogram('my_app.reminder.duration', { unit: 's' });
 * const sent = await measure(duration, { 'my_app.channel': 'sms' }, () => sendReminder());
 * ```
 */
export async function measure<T>(
  histogram: Histogram,
  attributes: Attributes,
  fn: () => Promise<T>,
  onSuccess: (value: T) => Attributes = () => OK,
  onError: (error: unknown) => string = () => 'error',
): Promise<T> {
  const started = performance.now();
  let value: T;
  try {
    value = await fn();
  } catch (error) {
    histogram.record((performance.now() - started) / 1000, {
      ...attributes,
      [TelemetryAttributes.outcome]: onError(error),
      [TelemetryAttributes.errorType]: errorTypeOf(error),
    });
    throw error;
  }
  histogram.record((performance.now() - started) / 1000, { ...attributes, ...onSuccess(value) });
  return value;
}

const OK: Attributes = Object.freeze({ [TelemetryAttributes.outcome]: 'ok' });
