import { z } from 'zod';
import { parseWith } from '../errors/validation-error.js';
import { fingerprint } from '../idempotency/fingerprint.js';
import { IdempotencyKey } from '../idempotency/idempotency-scope.js';

const Part = z.string().min(1);

/** A booking delivery: `payload` is the booking, identified by `uid`. */
const BookingDelivery = z.object({
  triggerEvent: Part,
  payload: z.object({ uid: Part, startTime: Part, status: Part.nullish() }),
});

/** `BOOKING_NO_SHOW_UPDATED` has its own shape: the booking uid and the attendees' no-show flags. */
const NoShowDelivery = z.object({
  triggerEvent: z.literal('BOOKING_NO_SHOW_UPDATED'),
  payload: z.object({ bookingUid: Part, attendees: z.array(z.unknown()) }),
});

/**
 * Derives the idempotency key of a Cal.com webhook delivery (`{ triggerEvent, createdAt, payload }`).
 *
 * Cal.com sends no delivery id, and the same change can arrive twice (a retry after a timeout,
 * two subscriptions to one URL), so the key is made of what identifies the change itself:
 * `calcom:<triggerEvent>:<payload.uid>:<payload.startTime>[:<payload.status>]` (no status part
 * when it is absent or `null`). A reschedule
 * carries the new booking's uid and time, and a confirmation changes the status, so each of
 * them gets a key of its own. `BOOKING_NO_SHOW_UPDATED` (which has no start time) is keyed on
 * `payload.bookingUid` and a fingerprint of the attendees' no-show flags. `createdAt` is left
 * out on purpose: it is the send time, which differs between duplicate deliveries.
 *
 * @param body - the parsed JSON body (after its signature was verified over the raw bytes).
 * @throws {@link bookingkit!ValidationError} when a field the key needs is missing, or the key would not be a
 *   valid {@link IdempotencyKey} (e.g. longer than 255 characters). `PING` test deliveries have
 *   no booking and are refused.
 * @example
 * ```ts
 * declare const request: Request;
 * declare const store: IdempotencyStore;
 * declare const tenantId: string;
 * declare function handle(body: unknown): Promise<string>;
 * // ---cut---
 * const body = await request.json();
 * const key = calcomWebhookKey(body); // 'calcom:BOOKING_CREATED:bk_123:2026-01-05T09:00:00Z:ACCEPTED'
 * await idempotent(store, { tenantId, key, fingerprint: fingerprint(body.payload) }, () => handle(body));
 * ```
 */
export function calcomWebhookKey(body: unknown): string {
  const subject = 'Cal.com webhook body';
  const trigger = (body as { triggerEvent?: unknown } | null)?.triggerEvent;
  let key: string;
  if (trigger === 'BOOKING_NO_SHOW_UPDATED') {
    const { payload } = parseWith(NoShowDelivery, body, subject);
    key = `calcom:${trigger}:${payload.bookingUid}:${fingerprint(payload.attendees)}`;
  } else {
    const { triggerEvent, payload } = parseWith(BookingDelivery, body, subject);
    key = [
      `calcom:${triggerEvent}`,
      payload.uid,
      payload.startTime,
      ...(payload.status === undefined || payload.status === null ? [] : [payload.status]),
    ].join(':');
  }
  return parseWith(IdempotencyKey, key, 'Cal.com webhook idempotency key');
}
