import { describe, expect, it } from 'vitest';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import type { Logger } from '../../ports/logger.js';
import { createLogNotifier, maskRecipient } from './log-notifier.js';

function recordingLogger(): { logger: Logger; lines: unknown[][] } {
  const lines: unknown[][] = [];
  const log = (...args: unknown[]): void => void lines.push(args);
  return { logger: { trace: log, debug: log, info: log, warn: log, error: log }, lines };
}

describe('log notifier', () => {
  it('logs a notification without the full phone number, email or message data', async () => {
    const { logger, lines } = recordingLogger();
    const notifier = createLogNotifier(logger);
    const base = { tenantId: 't', template: 'appointment.booked', data: { name: 'Ana Secret' } };
    await notifier.send({ ...base, channel: 'sms', recipient: '+493012345678', idempotencyKey: 'k1' });
    await notifier.send({
      ...base,
      channel: 'email',
      recipient: 'ana.maria@example.com',
      idempotencyKey: 'k2',
    });
    const text = JSON.stringify(lines);
    expect(text).not.toContain('3012345678');
    expect(text).not.toContain('ana.maria');
    expect(text).not.toContain('Ana Secret');
    expect(lines[0]?.[0]).toMatchObject({
      recipient: '+49********78',
      channel: 'sms',
      template: 'appointment.booked',
    });
    expect(lines[1]?.[0]).toMatchObject({ recipient: 'a********@example.com' });
  });

  it('logs a repeated idempotency key once', async () => {
    const { logger, lines } = recordingLogger();
    const notifier = createLogNotifier(logger, { rememberKeys: 10 });
    const message = {
      tenantId: 't',
      channel: 'log',
      recipient: 'x@example.com',
      template: 'x',
      data: {},
      idempotencyKey: 'k',
    } as const;
    await notifier.send(message);
    await notifier.send(message);
    expect(lines).toHaveLength(1);
  });

  it('masks odd recipients entirely and rejects a missing logger or a bad option', () => {
    expect(maskRecipient('@')).toBe('*');
    expect(maskRecipient('a@example.com')).toBe('*@example.com');
    expect(maskRecipient('1234')).toBe('****');
    let caught: unknown;
    try {
      createLogNotifier(undefined as never);
    } catch (error) {
      caught = error;
    }
    expect(isInvalidOptionError(caught)).toBe(true);
    expect(() => createLogNotifier(recordingLogger().logger, { rememberKeys: 0 })).toThrow(/rememberKeys/);
  });
});
