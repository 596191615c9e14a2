import type { OperationOptions } from '../util/abort.js';

/** A message to a customer or staff member. */
export interface Notification {
  readonly tenantId: string;
  readonly channel: 'email' | 'sms' | 'whatsapp' | 'log';
  /** Email address or E.164 phone number. */
  readonly recipient: string;
  /** What happened, e.g. `appointment.booked`; the channel renders it. */
  readonly template: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** Stable per logical message, so a retried delivery does not send twice. */
  readonly idempotencyKey: string;
}

/**
 * Sends notifications. Email, SMS and WhatsApp are channels of this one port; the booking layer
 * only decides what to say and to whom.
 *
 * @example
 * ```ts
 * declare const notifier: Notifier;
 * declare const tenantId: string;
 * declare const start: string;
 * declare const event: DomainEvent<BookingEvents, 'appointment.booked'>;
 * // ---cut---
 * await notifier.send({ tenantId, channel: 'email', recipient: 'ana@example.com',
 *   template: 'appointment.booked', data: { start }, idempotencyKey: `booked:${event.id}` });
 * ```
 */
export interface Notifier {
  send(notification: Notification, options?: OperationOptions): Promise<void>;
}
