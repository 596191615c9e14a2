import { ValidationError, parseWith } from '../errors/validation-error.js';
import { parseJsonObject } from '../http/json-body.js';
import { RetellKnownWebhook, retellWebhookEvents } from './webhook-schema.js';

/**
 * A webhook whose `event` is not one Retell documents (yet). It is returned, not thrown, so a
 * handler can acknowledge it with a 2xx instead of making Retell retry a delivery that will never
 * parse.
 */
export interface RetellUnknownWebhook {
  readonly known: false;
  /** The event name as sent. */
  readonly event: string;
  /** The whole parsed body, unvalidated. */
  readonly body: Readonly<Record<string, unknown>>;
}

/** A parsed Retell webhook: a documented event (`known: true`; narrow on `event`), or an unknown one. */
export type RetellWebhook = (RetellKnownWebhook & { readonly known: true }) | RetellUnknownWebhook;

const known = new Set<string>(retellWebhookEvents);

/**
 * Parses a Retell webhook body (call events, transfer events, the inbound-call webhook, chat
 * events). Unknown extra fields are kept; an event name Retell does not document comes back as
 * `{ known: false }` rather than an error. Call this only after the signature has been verified.
 *
 * Retell retries deliveries and can send one event twice within a second: deduplicate on
 * `event` + `call.call_id` (transfers: + `call.start_timestamp`).
 *
 * @param rawBody - the body as received, bytes (must be UTF-8) or text.
 * @throws {@link bookingkit!ValidationError} naming the offending field (e.g. `call.call_id`) when the body
 *   is not JSON, not an object, has no `event` name, or a documented event lacks a required field.
 * @example
 * ```ts
 * declare const rawBody: string;
 * // ---cut---
 * const webhook = parseRetellWebhook(rawBody);
 * if (webhook.known && webhook.event === 'call_analyzed') console.log(webhook.call.call_analysis?.call_summary);
 * ```
 */
export function parseRetellWebhook(rawBody: string | Uint8Array): RetellWebhook {
  const body = parseJsonObject(rawBody, 'Retell webhook');
  const event = body.event;
  if (typeof event !== 'string' || event === '') {
    throw new ValidationError('Retell webhook', [
      { path: 'event', message: 'Expected the event name, a non-empty string' },
    ]);
  }
  if (!known.has(event)) return { known: false, event, body };
  const webhook = parseWith(RetellKnownWebhook, body, `Retell "${event}" webhook`);
  return { ...webhook, known: true };
}
