import { ValidationError, parseWith } from '../errors/validation-error.js';
import { parseJsonObject } from '../http/json-body.js';
import { CalcomKnownWebhook, calcomTriggerEvents } from './webhook-schema.js';

/**
 * A webhook whose `triggerEvent` Cal.com does not document (yet). It is returned, not thrown, so a
 * handler can acknowledge it with a 2xx: Cal.com does not retry most failed deliveries, and a
 * trigger that will never parse should not look like an outage.
 */
export interface CalcomUnknownWebhook {
  readonly known: false;
  /** The trigger name as sent. */
  readonly triggerEvent: string;
  /** The whole parsed body, unvalidated. */
  readonly body: Readonly<Record<string, unknown>>;
}

/** A parsed Cal.com webhook: a documented trigger (`known: true`; narrow on `triggerEvent`), or an unknown one. */
export type CalcomWebhook = (CalcomKnownWebhook & { readonly known: true }) | CalcomUnknownWebhook;

const known = new Set<string>(calcomTriggerEvents);

/**
 * Parses a Cal.com webhook body (`{ triggerEvent, createdAt, payload }`, sent without a payload
 * template). Unknown extra fields are kept; a trigger Cal.com does not document comes back as
 * `{ known: false }` rather than an error. Call this only after the signature has been verified.
 *
 * Cal.com sends no delivery id and may deliver twice (or not at all): deduplicate on
 * `triggerEvent` + `payload.uid` (+ `payload.startTime`), and reconcile periodically.
 *
 * @param rawBody - the body as received, bytes (must be UTF-8) or text.
 * @throws {@link bookingkit!ValidationError} naming the offending field (e.g. `payload.startTime`) when the
 *   body is not JSON, not an object, has no `triggerEvent`, or a documented trigger lacks a field.
 * @example
 * ```ts
 * declare const rawBody: string;
 * // ---cut---
 * const webhook = parseCalcomWebhook(rawBody);
 * if (webhook.known && webhook.triggerEvent === 'BOOKING_RESCHEDULED') {
 *   console.log(webhook.payload.rescheduleUid, '→', webhook.payload.uid);
 * }
 * ```
 */
export function parseCalcomWebhook(rawBody: string | Uint8Array): CalcomWebhook {
  const body = parseJsonObject(rawBody, 'Cal.com webhook');
  const triggerEvent = body.triggerEvent;
  if (typeof triggerEvent !== 'string' || triggerEvent === '') {
    throw new ValidationError('Cal.com webhook', [
      { path: 'triggerEvent', message: 'Expected the trigger name, a non-empty string' },
    ]);
  }
  if (!known.has(triggerEvent)) return { known: false, triggerEvent, body };
  const webhook = parseWith(CalcomKnownWebhook, body, `Cal.com ${triggerEvent} webhook`);
  return { ...webhook, known: true };
}
