import { isBookingKitError } from '../errors/booking-kit-error.js';
import { observeWebhook } from '../observability/webhook-request.js';
import { silentLogger, type Logger } from '../ports/logger.js';
import { checkFunctionOption, checkStringOption, numberOption, requireOption } from '../util/options.js';
import { WebhookSignatureError } from './errors.js';
import { parseJsonBody } from './json-body.js';
import { checkProblemStatuses, problemResponse } from './problem.js';
import { readBodyLimited, type RawRequestBody } from './read-body.js';

/** Outcome of a {@link WebhookVerifier}: accepted, or refused with a short reason for logs. */
export type WebhookVerification = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Checks a webhook's signature over the raw body bytes (never a re-serialised object). Vendor
 * entries provide ready-made ones: `calcomWebhookVerifier` in `bookingkit/calcom`,
 * `retellWebhookVerifier` in `bookingkit/retell`.
 */
export type WebhookVerifier = (
  body: Uint8Array,
  headers: Headers,
) => WebhookVerification | Promise<WebhookVerification>;

/** What a webhook's `handle` function receives besides the parsed payload. */
export interface WebhookContext {
  /** The incoming request; its body has been consumed. */
  readonly request: Request;
  /** The raw body that was verified. */
  readonly body: RawRequestBody;
}

/** Options of {@link createWebhookHandler}. */
export interface WebhookHandlerOptions<T> {
  /** Checks the signature; a request that fails it gets a 401 and goes no further. */
  readonly verify: WebhookVerifier;
  /**
   * Turns the verified raw body into the payload, throwing a `ValidationError` when it is
   * malformed (answered with 400). Vendor parsers fit as they are (`parse: parseCalcomWebhook`).
   * @default parseJsonBody (the body as JSON, typed `unknown`)
   */
  readonly parse?: (body: Uint8Array) => T;
  /**
   * Does the work. Return a `Response` to answer with it; return nothing to answer 204. Errors it
   * throws become problem responses (bookingkit errors by code, anything else a bare 500).
   */
  readonly handle: (payload: T, context: WebhookContext) => Response | void | Promise<Response | void>;
  /**
   * Largest body accepted, in bytes; larger ones get a 413 without being read whole.
   * Retell `call_analyzed` bodies carry whole transcripts with word timings, which for a long call
   * run to megabytes; Cal.com bodies are a few KiB, so a Cal.com route can use a far lower limit.
   * @default 4194304 (4 MiB)
   */
  readonly limitBytes?: number;
  /**
   * Where refusals and failures are logged (with error codes and reasons; never bodies, headers
   * or secrets).
   * @default silentLogger
   */
  readonly logger?: Logger;
  /** Extra error-code-to-status rows for the problem responses. @default {} */
  readonly statuses?: Readonly<Record<string, number>>;
  /**
   * Names the webhook in metrics and spans (`bookingkit.webhook.source`, span `webhook.<name>`):
   * a fixed name per endpoint, never a value taken from the request.
   * @default 'webhook'
   */
  readonly name?: string;
}

/** Default of {@link WebhookHandlerOptions.limitBytes}: 4 MiB. */
export const defaultWebhookLimitBytes = 4 * 1024 * 1024;

/**
 * Builds a fetch-style webhook endpoint, `(request) => Promise<Response>`, that runs anywhere
 * `Request` and `Response` exist. For each request it reads the raw body under the size limit
 * (413), verifies the signature over those exact bytes (401, with a generic message whatever
 * check failed), parses (400), then calls `handle` (its result, or 204). Failures become RFC 9457
 * problem responses.
 *
 * @throws {@link bookingkit!InvalidOptionError} at creation, naming `createWebhookHandler`, for a missing
 *   `verify` or `handle`, a `parse` that is not a function, a bad `limitBytes` or `name`.
 * @example
 * ```ts
 * declare function onCancelled(payload: CalcomCancelledBookingPayload): Promise<void>;
 * // ---cut---
 * import { createWebhookHandler } from 'bookingkit/http';
 * import { calcomWebhookVerifier, parseCalcomWebhook } from 'bookingkit/calcom';
 *
 * const calcomWebhook = createWebhookHandler({
 *   verify: calcomWebhookVerifier(process.env.CALCOM_WEBHOOK_SECRET!),
 *   parse: parseCalcomWebhook,
 *   limitBytes: 256 * 1024,
 *   handle: async (webhook) => {
 *     if (webhook.known && webhook.triggerEvent === 'BOOKING_CANCELLED') await onCancelled(webhook.payload);
 *   },
 * });
 * // Hono: app.post('/webhooks/calcom', (c) => calcomWebhook(c.req.raw));
 * ```
 */
export function createWebhookHandler<T = unknown>(
  options: WebhookHandlerOptions<T>,
): (request: Request) => Promise<Response> {
  const factory = 'createWebhookHandler';
  const isFunction = (value: unknown): boolean => typeof value === 'function';
  const verify = requireOption(
    factory,
    options,
    'verify',
    'a WebhookVerifier, e.g. calcomWebhookVerifier(secret) or retellWebhookVerifier(apiKey)',
    isFunction,
  );
  checkFunctionOption('parse', options.parse, false, { factory });
  const handle = requireOption(
    factory,
    options,
    'handle',
    'a function that handles the parsed webhook, e.g. (webhook) => bookings.import(webhook)',
    isFunction,
  );
  const limitBytes = numberOption(
    'limitBytes',
    options.limitBytes,
    defaultWebhookLimitBytes,
    { integer: true },
    { factory },
  );
  const parse = options.parse ?? ((body: Uint8Array) => parseJsonBody(body, 'webhook body') as T);
  const logger = options.logger ?? silentLogger;
  const problemOptions = { statuses: checkProblemStatuses(options.statuses, { factory }) };

  const fail = (error: unknown, stage: string): Response => {
    const response = problemResponse(error, problemOptions);
    const code = isBookingKitError(error) ? error.code : undefined;
    if (response.status >= 500) logger.error({ err: error, stage, code }, 'webhook request failed');
    else logger.warn({ stage, code, status: response.status }, 'webhook request refused');
    return response;
  };

  const name =
    options.name === undefined ? 'webhook' : checkStringOption('name', options.name, 100, { factory });

  const respond = async (request: Request): Promise<Response> => {
    let body: RawRequestBody;
    try {
      body = await readBodyLimited(request, { limitBytes, signal: request.signal });
    } catch (error) {
      return fail(error, 'read');
    }

    let verification: WebhookVerification | undefined;
    try {
      verification = await verify(body.bytes, request.headers);
    } catch (error) {
      return fail(error, 'verify');
    }
    // Fail closed: only an explicit `{ ok: true }` lets a request through (a verifier that
    // returns a bare boolean or nothing is refused, not waved on).
    if (verification?.ok !== true) {
      const reason =
        typeof verification?.reason === 'string' ? verification.reason : 'invalid verifier result';
      logger.warn({ stage: 'verify', reason }, 'webhook signature refused');
      return problemResponse(new WebhookSignatureError(reason), problemOptions);
    }

    let payload: T;
    try {
      payload = parse(body.bytes);
    } catch (error) {
      return fail(error, 'parse');
    }

    try {
      const response = await handle(payload, { request, body });
      return response ?? new Response(null, { status: 204 });
    } catch (error) {
      return fail(error, 'handle');
    }
  };
  return (request: Request): Promise<Response> => observeWebhook(name, request, () => respond(request));
}
