import { SpanKind } from '@opentelemetry/api';
import { TelemetryAttributes as A } from './attributes.js';
import { bookingkitInstruments } from './instruments.js';
import { measure } from './measure.js';
import { withSpan } from './with-span.js';

/**
 * Runs one calendar provider call inside a `calendar.<operation>` client span and records its
 * duration in `bookingkit.calendar.duration`, by operation and outcome: `ok`, `refused` (the
 * calendar answered no: `isRefusal`), or `error` (unavailable, timed out, refused by the breaker).
 *
 * @example
 * ```ts
 * declare const calendar: CalendarProvider;
 * // ---cut---
 * const types = await observeCalendarCall('listEventTypes', 'acme', () => calendar.listEventTypes('acme'));
 * ```
 * @internal
 */
export function observeCalendarCall<T>(
  operation: string,
  tenantId: string,
  call: () => Promise<T>,
  isRefusal: (error: unknown) => boolean = () => false,
): Promise<T> {
  const attributes = { [A.calendarOperation]: operation };
  return withSpan(
    `calendar.${operation}`,
    { kind: SpanKind.CLIENT, attributes: { ...attributes, [A.tenant]: tenantId } },
    () =>
      measure(bookingkitInstruments().calendarDuration, attributes, call, undefined, (error) =>
        isRefusal(error) ? 'refused' : 'error',
      ),
  );
}
