import { describe, expect, it } from 'vitest';
import { isValidationError } from '../../errors/validation-error.js';
import type { Notification } from '../../ports/notifier.js';
import { createMemoryNotifier } from './memory-notifier.js';

const notification = (overrides: Partial<Notification> = {}): Notification => ({
  tenantId: 'tenant-a',
  channel: 'email',
  recipient: 'ana@example.com',
  template: 'appointment.booked',
  data: { start: '2026-01-06T10:00:00.000Z' },
  idempotencyKey: 'evt-1:appointment.booked',
  ...overrides,
});

describe('memory notifier', () => {
  it('records what it sends, oldest first, and filters by tenant, recipient and template', async () => {
    const notifier = createMemoryNotifier();
    await notifier.send(notification());
    await notifier.send(notification({ idempotencyKey: 'evt-2', template: 'appointment.cancelled' }));
    await notifier.send(notification({ tenantId: 'tenant-b', recipient: '+493012345678', channel: 'sms' }));
    expect(notifier.sent().map((n) => n.idempotencyKey)).toEqual([
      'evt-1:appointment.booked',
      'evt-2',
      'evt-1:appointment.booked',
    ]);
    expect(notifier.sent({ tenantId: 'tenant-a', template: 'appointment.cancelled' })).toHaveLength(1);
    expect(notifier.sent({ recipient: '+493012345678' })[0]?.channel).toBe('sms');
  });

  it('sends a message once per idempotency key, however often it is asked', async () => {
    const notifier = createMemoryNotifier();
    await Promise.all([
      notifier.send(notification()),
      notifier.send(notification()),
      notifier.send(notification({ data: { changed: true } })),
    ]);
    expect(notifier.sent()).toEqual([notification()]);
  });

  it('returns copies, forgets on clear, and refuses a malformed notification or an aborted signal', async () => {
    const notifier = createMemoryNotifier();
    await notifier.send(notification());
    (notifier.sent()[0]!.data as Record<string, unknown>).start = 'changed';
    expect(notifier.sent()[0]?.data).toEqual({ start: '2026-01-06T10:00:00.000Z' });
    notifier.clear();
    expect(notifier.sent()).toEqual([]);
    const bad = await notifier.send(notification({ recipient: '' })).catch((e: unknown) => e);
    expect(isValidationError(bad) && bad.context.issues[0]?.path).toBe('recipient');
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(notifier.send(notification(), { signal: controller.signal })).rejects.toThrow('stop');
    expect(notifier.sent()).toEqual([]);
  });
});
