import type { WebhookVerifier } from '../http/webhook-handler.js';
import { requireOption } from '../util/options.js';
import { calcomSignatureHeader, verifyCalcomSignature } from './signature.js';

/**
 * A {@link WebhookVerifier} for `createWebhookHandler` (bookingkit/http) that checks Cal.com's
 * `x-cal-signature-256` over the raw body with {@link verifyCalcomSignature}.
 *
 * @param secret - the secret the Cal.com webhook was registered with.
 * @throws {@link bookingkit!InvalidOptionError} at creation, naming `calcomWebhookVerifier`, for a missing
 *   or empty `secret`.
 * @example
 * ```ts
 * const handler = createWebhookHandler({
 *   verify: calcomWebhookVerifier(process.env.CALCOM_WEBHOOK_SECRET!),
 *   parse: parseCalcomWebhook,
 *   handle: (webhook) => console.log(webhook.triggerEvent),
 * });
 * ```
 */
export function calcomWebhookVerifier(secret: string): WebhookVerifier {
  requireOption(
    'calcomWebhookVerifier',
    { secret },
    'secret',
    'the secret the Cal.com webhook was registered with, a non-empty string',
    (value) => typeof value === 'string' && value.length > 0,
  );
  return (body, headers) => verifyCalcomSignature(body, headers.get(calcomSignatureHeader), secret);
}

/**
 * The verifier of one tenant's webhook route: {@link calcomWebhookVerifier} with the route's
 * secret, chosen per request from the route key by `createCalcomWebhookHandler`. A route
 * registered without a secret refuses every delivery (Cal.com then signs nothing and sends
 * `no-secret-provided`), rather than accepting unsigned bodies.
 *
 * @param route - the route's secret, `null` when it has none.
 * @example
 * ```ts
 * declare const body: Uint8Array;
 * declare const headers: Headers;
 * // ---cut---
 * const verify = calcomRouteVerifier({ webhookSecret: null });
 * await verify(body, headers); // { ok: false, reason: 'no secret is configured for this route' }
 * ```
 */
export function calcomRouteVerifier(route: { readonly webhookSecret: string | null }): WebhookVerifier {
  if (route.webhookSecret === null || route.webhookSecret === '') {
    return () => ({ ok: false, reason: 'no secret is configured for this route' });
  }
  return calcomWebhookVerifier(route.webhookSecret);
}
