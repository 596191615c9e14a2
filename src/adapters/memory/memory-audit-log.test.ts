import { describe, expect, it } from 'vitest';
import { isValidationError } from '../../errors/validation-error.js';
import type { AuditEntry } from '../../ports/audit-log.js';
import { createMemoryAuditLog } from './memory-audit-log.js';

const entry = (overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  eventId: 'evt-1',
  type: 'appointment.booked',
  tenantId: 'tenant-a',
  aggregateType: 'appointment',
  aggregateId: 'a1',
  aggregateVersion: 1,
  origin: 'api',
  actor: { type: 'customer', id: 'c1' },
  correlationId: 'evt-1',
  causationId: null,
  occurredAt: '2026-01-05T09:00:00.000Z',
  recordedAt: '2026-01-05T09:00:01.000Z',
  data: { appointmentId: 'a1' },
  ...overrides,
});

describe('memory audit log', () => {
  it('records an event once per tenant and event id', async () => {
    const log = createMemoryAuditLog();
    expect(await log.append(entry())).toBe(true);
    expect(await log.append(entry({ origin: 'voice' }))).toBe(false);
    expect(await log.append(entry({ tenantId: 'tenant-b' }))).toBe(true);
    const { items } = await log.listByAggregate('tenant-a', { type: 'appointment', id: 'a1' });
    expect(items).toEqual([entry()]);
  });

  it('lists one aggregate oldest first, page by page', async () => {
    const log = createMemoryAuditLog();
    await log.append(entry({ eventId: 'e3', occurredAt: '2026-01-05T11:00:00.000Z' }));
    await log.append(entry({ eventId: 'e1', occurredAt: '2026-01-05T09:00:00.000Z' }));
    await log.append(entry({ eventId: 'e2', occurredAt: '2026-01-05T10:00:00.000Z' }));
    await log.append(entry({ eventId: 'other', aggregateId: 'a2' }));
    const first = await log.listByAggregate('tenant-a', { type: 'appointment', id: 'a1' }, { limit: 2 });
    expect(first.items.map((e) => e.eventId)).toEqual(['e1', 'e2']);
    const second = await log.listByAggregate(
      'tenant-a',
      { type: 'appointment', id: 'a1' },
      { limit: 2, cursor: first.nextCursor! },
    );
    expect(second).toMatchObject({ items: [{ eventId: 'e3' }], nextCursor: null });
    expect((await log.listByAggregate('tenant-b', { type: 'appointment', id: 'a1' })).items).toEqual([]);
  });

  it('hands out copies and refuses a malformed entry or an aborted signal', async () => {
    const log = createMemoryAuditLog();
    await log.append(entry());
    const [copy] = (await log.listByAggregate('tenant-a', { type: 'appointment', id: 'a1' })).items;
    (copy!.data as Record<string, unknown>).appointmentId = 'changed';
    expect((await log.listByAggregate('tenant-a', { type: 'appointment', id: 'a1' })).items[0]?.data).toEqual(
      { appointmentId: 'a1' },
    );
    const bad = await log.append(entry({ eventId: '', occurredAt: 'yesterday' })).catch((e: unknown) => e);
    expect(isValidationError(bad) && bad.context.issues.map((i) => i.path)).toEqual([
      'eventId',
      'occurredAt',
    ]);
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(log.append(entry({ eventId: 'e9' }), { signal: controller.signal })).rejects.toThrow('stop');
    expect((await log.listByAggregate('tenant-a', { type: 'appointment', id: 'a1' })).items).toHaveLength(1);
  });
});
