import { z } from 'zod';
import { parseWith } from '../../errors/validation-error.js';
import type { Notification } from '../../ports/notifier.js';

const NotificationSchema = z.object({
  tenantId: z.string().min(1),
  channel: z.enum(['email', 'sms', 'whatsapp', 'log']),
  recipient: z.string().min(1),
  template: z.string().min(1),
  data: z.record(z.string(), z.unknown()),
  idempotencyKey: z.string().min(1).max(500),
});

/**
 * Checks a notification's shape before a notifier accepts it.
 *
 * @throws {@link ValidationError} naming the bad field.
 * @internal
 */
export function checkNotification(notification: Notification): Notification {
  parseWith(NotificationSchema, notification, 'notification');
  return notification;
}

/**
 * The key under which a notifier remembers that a message was sent: idempotency keys are
 * scoped by tenant.
 *
 * @internal
 */
export const sentKey = (notification: Notification): string =>
  JSON.stringify([notification.tenantId, notification.idempotencyKey]);
