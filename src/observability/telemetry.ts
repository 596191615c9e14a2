import {
  metrics,
  trace,
  type Meter,
  type MeterProvider,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';

/**
 * The instrumentation scope of every bookingkit meter and tracer: what an SDK shows as
 * `otel.scope.name` and what a `View` or sampler selects bookingkit's telemetry by.
 *
 * @example
 * ```ts
 * import { metrics } from '@opentelemetry/api';
 * const meter = metrics.getMeter(TELEMETRY_SCOPE);
 * ```
 */
export const TELEMETRY_SCOPE = 'bookingkit';

let meterOf: { readonly provider: MeterProvider; readonly meter: Meter } | undefined;
let tracerOf: { readonly provider: TracerProvider; readonly tracer: Tracer } | undefined;

/**
 * bookingkit's meter from the meter provider registered now. The OpenTelemetry API has no proxy
 * meter: a meter taken from the no-op provider stays a no-op after an SDK registers. So the
 * meter is looked up again whenever the global provider changed (one property read when it did
 * not), and an SDK started after bookingkit was imported still receives its measurements.
 *
 * @example
 * ```ts
 * const bookings = currentMeter().createCounter('my_app.bookings');
 * ```
 */
export function currentMeter(): Meter {
  const provider = metrics.getMeterProvider();
  if (meterOf?.provider !== provider) meterOf = { provider, meter: provider.getMeter(TELEMETRY_SCOPE) };
  return meterOf.meter;
}

/**
 * bookingkit's tracer from the tracer provider registered now (the API's proxy provider, which
 * forwards to an SDK registered later). Looked up again after `trace.disable()` replaced it.
 *
 * @example
 * ```ts
 * currentTracer().startActiveSpan('my-step', (span) => span.end());
 * ```
 */
export function currentTracer(): Tracer {
  const provider = trace.getTracerProvider();
  if (tracerOf?.provider !== provider) tracerOf = { provider, tracer: provider.getTracer(TELEMETRY_SCOPE) };
  return tracerOf.tracer;
}
