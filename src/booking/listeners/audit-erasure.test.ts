import { describe, expect, it } from 'vitest';
import { createListenerHarness } from '../../../test/support/booking-listener-harness.js';
import { createMemoryAuditLog } from '../../adapters/memory/memory-audit-log.js';
import { registerAuditTrail } from './audit-listener.js';

describe('audit trail on customer.erased', () => {
  it("takes the personal fields out of the erased customer's recorded history and records the erasure", async () => {
    const { bus, seedAppointment, booked, cancelled, publish, deliver } = createListenerHarness();
    const auditLog = createMemoryAuditLog();
    registerAuditTrail(bus, { auditLog });
    const appointment = await seedAppointment();
    const other = await seedAppointment();
    await publish(booked(appointment, 'voice'));
    await publish(cancelled(appointment));
    await publish(cancelled(other));
    await deliver();
    await publish(
      bus.create(
        'customer.erased',
        {
          customerId: 'customer-1',
          customer: true,
          appointmentIds: [appointment.id],
          callIds: [],
          outboxMessages: 0,
          erasedBy: { type: 'staff', id: 'dpo' },
        },
        { tenantId: 'tenant-a', aggregateType: 'customer', aggregateId: 'customer-1', origin: 'admin' },
      ),
    );
    await deliver();
    const history = async (id: string) =>
      (await auditLog.listByAggregate('tenant-a', { type: 'appointment', id })).items.map((e) => [
        e.type,
        (e.data as { reason?: unknown }).reason,
      ]);
    expect(await history(appointment.id)).toEqual([
      ['appointment.booked', undefined],
      ['appointment.cancelled', null],
    ]);
    expect(await history(other.id)).toEqual([['appointment.cancelled', 'ill']]);
    const { items } = await auditLog.listByAggregate('tenant-a', { type: 'customer', id: 'customer-1' });
    expect(items.map((e) => [e.type, e.actor])).toEqual([['customer.erased', { type: 'staff', id: 'dpo' }]]);
  });
});
