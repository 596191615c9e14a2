import { SpanKind, SpanStatusCode, type Attributes, type Span } from '@opentelemetry/api';
import { TelemetryAttributes } from './attributes.js';
import { errorTypeOf } from './error-type.js';
import { currentTracer } from './telemetry.js';

/** How {@link withSpan} starts its span. @internal */
export interface WithSpanOptions {
  /** @default SpanKind.INTERNAL */
  readonly kind?: SpanKind;
  /** Attributes known at the start. */
  readonly attributes?: Attributes;
  /** Set as `bookingkit.correlation_id`, the correlation id of the events the operation writes. */
  readonly correlationId?: string | undefined;
}

/**
 * Runs `fn` inside an active span of bookingkit's tracer: a span started in `fn` (a calendar
 * call, a saga step) becomes its child when the host installed a context manager. An error `fn`
 * throws is recorded on the span (exception event, status `ERROR`, `error.type`) and rethrown;
 * the span ends either way. Without an SDK the span is the API's non-recording one and `fn`
 * runs as it would without it.
 *
 * Internal: its parameters are `@opentelemetry/api` types, which no public declaration of
 * bookingkit names (a consumer may not have that package's types).
 *
 * @internal
 */
export function withSpan<T>(
  name: string,
  options: WithSpanOptions,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const attributes =
    options.correlationId === undefined
      ? options.attributes
      : { ...options.attributes, [TelemetryAttributes.correlationId]: options.correlationId };
  return currentTracer().startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, ...(attributes ? { attributes } : {}) },
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        markSpanFailed(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/**
 * Records `error` on `span`: an `exception` event, `error.type`, and status `ERROR` with the
 * error's message. For operations that answer a failure instead of throwing it.
 *
 * @internal
 */
export function markSpanFailed(span: Span, error: unknown): void {
  if (!span.isRecording()) return;
  span.recordException(error instanceof Error ? error : String(error));
  span.setAttribute(TelemetryAttributes.errorType, errorTypeOf(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}
