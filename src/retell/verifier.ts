import type { WebhookVerifier } from '../http/webhook-handler.js';
import { systemClock, type Clock } from '../ports/clock.js';
import { numberOption, requireOption } from '../util/options.js';
import { defaultRetellToleranceMs, retellSignatureHeader, verifyRetellSignature } from './signature.js';

/** Options of {@link retellWebhookVerifier}. */
export interface RetellWebhookVerifierOptions {
  /** Where the current time comes from, for the replay window. @default systemClock */
  readonly clock?: Clock;
  /** Largest accepted distance between now and the signed timestamp, inclusive. @default 300000 */
  readonly toleranceMs?: number;
}

/**
 * A {@link WebhookVerifier} for `createWebhookHandler` (bookingkit/http) that checks Retell's
 * `x-retell-signature` over the raw body with {@link verifyRetellSignature}. Use it for call
 * webhooks, the inbound-call webhook and custom-function endpoints alike.
 *
 * @param apiKey - the Retell API key with the webhook badge.
 * @throws {@link bookingkit!InvalidOptionError} at creation, naming `retellWebhookVerifier`, for a missing
 *   or empty `apiKey` or a bad `toleranceMs`.
 * @example
 * ```ts
 * declare const clock: Clock;
 * // ---cut---
 * const handler = createWebhookHandler({
 *   verify: retellWebhookVerifier(process.env.RETELL_API_KEY!, { clock }),
 *   parse: parseRetellWebhook,
 *   handle: (webhook) => console.log(webhook.event),
 * });
 * ```
 */
export function retellWebhookVerifier(
  apiKey: string,
  options: RetellWebhookVerifierOptions = {},
): WebhookVerifier {
  const factory = 'retellWebhookVerifier';
  requireOption(
    factory,
    { apiKey },
    'apiKey',
    'the Retell API key with the webhook badge, a non-empty string',
    (value) => typeof value === 'string' && value.length > 0,
  );
  const toleranceMs = numberOption(
    'toleranceMs',
    options.toleranceMs,
    defaultRetellToleranceMs,
    { integer: true },
    { factory },
  );
  const clock = options.clock ?? systemClock;
  return (body, headers) =>
    verifyRetellSignature(body, headers.get(retellSignatureHeader), apiKey, {
      now: clock.now(),
      toleranceMs,
    });
}
