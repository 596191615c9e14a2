import type { Attributes } from '@opentelemetry/api';
import { TelemetryAttributes as A } from '../../observability/attributes.js';
import { bookingkitInstruments } from '../../observability/instruments.js';
import { measure } from '../../observability/measure.js';
import { withSpan } from '../../observability/with-span.js';

/** What a command learns as it runs, for its span and its duration metric. @internal */
export interface CommandTelemetry {
  /** The command's correlation id (its idempotency key): span only. */
  correlate(correlationId: string): void;
  /** The resolved tenant: span and metric (an unknown tenant is never recorded). */
  tenant(tenantId: string): void;
}

/**
 * Runs one booking command inside a `booking.<command>` span and records its duration in
 * `bookingkit.booking.duration`: outcome `ok` with how the calendar was synced and whether it
 * was a replay, or `error` with the error's code.
 *
 * @internal
 */
export function observeCommand<R extends { readonly calendar: string; readonly replayed: boolean }>(
  command: string,
  run: (telemetry: CommandTelemetry) => Promise<R>,
): Promise<R> {
  return withSpan(`booking.${command}`, { attributes: { [A.command]: command } }, (span) => {
    const attributes: Attributes = { [A.command]: command };
    const telemetry: CommandTelemetry = {
      correlate: (correlationId) => void span.setAttribute(A.correlationId, correlationId),
      tenant(tenantId) {
        attributes[A.tenant] = tenantId;
        span.setAttribute(A.tenant, tenantId);
      },
    };
    return measure(
      bookingkitInstruments().bookingDuration,
      attributes,
      () => run(telemetry),
      (result) => ({ [A.outcome]: 'ok', [A.calendarSync]: result.calendar, [A.replayed]: result.replayed }),
    );
  });
}
