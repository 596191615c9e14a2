import { LRUCache } from 'lru-cache';
import { maskEmail } from '../../booking/customers/mask-email.js';
import { maskPhoneNumber } from '../../domain/phone-number.js';
import type { Logger } from '../../ports/logger.js';
import type { Notification, Notifier } from '../../ports/notifier.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { numberOption, requireOption } from '../../util/options.js';
import { checkNotification, sentKey } from './notification-schema.js';

/** Options of {@link createLogNotifier}. */
export interface LogNotifierOptions {
  /**
   * How many idempotency keys are remembered to skip repeated sends (least recently used go first).
   * @default 10000
   */
  readonly rememberKeys?: number;
}

/**
 * Masks a notification's recipient for logs: an email keeps its first character and domain, a
 * phone number its country code and last two digits.
 *
 * @example
 * ```ts
 * maskRecipient('+493012345678'); // '+49********78'
 * maskRecipient('ana@example.com'); // 'a**@example.com'
 * ```
 */
export function maskRecipient(recipient: string): string {
  return recipient.includes('@') ? maskEmail(recipient) : maskPhoneNumber(recipient);
}

/**
 * Creates a notifier that only logs what it would send, at `info`, with the recipient masked and
 * the message data left out (it may hold personal details). Useful in development and as the
 * default until a real channel is configured. Repeated idempotency keys are logged once.
 *
 * @throws `InvalidOptionError` naming `createLogNotifier` for a missing logger or a bad `rememberKeys`.
 * @example
 * ```ts
 * declare function pino(): Logger;
 * // ---cut---
 * // pino, or any logger with its (object, message) methods:
 * const notifier = createLogNotifier(pino());
 * ```
 */
export function createLogNotifier(logger: Logger, options: LogNotifierOptions = {}): Notifier {
  const factory = 'createLogNotifier';
  requireOption(
    factory,
    { logger },
    'logger',
    'a Logger (trace, debug, info, warn, error), e.g. pino()',
    (value) => typeof (value as Partial<Logger>).info === 'function',
  );
  const max = numberOption(
    'rememberKeys',
    options.rememberKeys,
    10_000,
    { min: 1, max: 10_000_000, integer: true },
    { factory },
  );
  const seen = new LRUCache<string, true>({ max });
  return {
    async send(notification: Notification, opts: OperationOptions = {}): Promise<void> {
      throwIfAborted(opts.signal);
      checkNotification(notification);
      const key = sentKey(notification);
      if (seen.has(key)) return;
      seen.set(key, true);
      logger.info(
        {
          tenantId: notification.tenantId,
          channel: notification.channel,
          recipient: maskRecipient(notification.recipient),
          template: notification.template,
          idempotencyKey: notification.idempotencyKey,
        },
        'notification',
      );
    },
  };
}
