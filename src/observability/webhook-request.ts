import { SpanKind } from '@opentelemetry/api';
import { TelemetryAttributes as A } from './attributes.js';
import { bookingkitInstruments } from './instruments.js';
import { withSpan } from './with-span.js';

/** Requests already timed by an outer endpoint: an inner handler does not time them again. */
const observed = new WeakSet<Request>();

/**
 * Handles one webhook request inside a `webhook.<source>` server span and records its duration
 * in `bookingkit.webhook.duration`, by source, status answered and outcome: `accepted` (2xx and
 * 3xx), `rejected` (4xx: too large, bad signature, malformed, unknown route) or `failed` (5xx).
 * A vendor endpoint that routes to a generic webhook handler times the request once, under its
 * own source.
 *
 * @example
 * ```ts
 * declare function handle(request: Request): Promise<Response>;
 * // ---cut---
 * const endpoint = (request: Request) => observeWebhook('billing', request, () => handle(request));
 * ```
 * @internal
 */
export function observeWebhook(
  source: string,
  request: Request,
  handle: () => Promise<Response>,
): Promise<Response> {
  if (observed.has(request)) return handle();
  observed.add(request);
  const attributes = { [A.webhookSource]: source };
  return withSpan(`webhook.${source}`, { kind: SpanKind.SERVER, attributes }, async (span) => {
    const started = performance.now();
    const response = await handle();
    const status = response.status;
    const outcome = status >= 500 ? 'failed' : status >= 400 ? 'rejected' : 'accepted';
    span.setAttribute(A.httpStatus, status);
    bookingkitInstruments().webhookDuration.record((performance.now() - started) / 1000, {
      ...attributes,
      [A.outcome]: outcome,
      [A.httpStatus]: status,
    });
    return response;
  });
}
