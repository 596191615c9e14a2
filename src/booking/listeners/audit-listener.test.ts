import { describe, expect, it } from 'vitest';
import { createListenerHarness } from '../../../test/support/booking-listener-harness.js';
import { createMemoryAuditLog } from '../../adapters/memory/memory-audit-log.js';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import { actorOf, registerAuditTrail } from './audit-listener.js';

describe('audit trail listener', () => {
  it('records every event of an appointment with origin, actor and correlation, oldest first', async () => {
    const { bus, clock, seedAppointment, booked, cancelled, publish, deliver } = createListenerHarness();
    const auditLog = createMemoryAuditLog();
    registerAuditTrail(bus, { auditLog, clock });
    const appointment = await seedAppointment();
    const first = booked(appointment, 'voice');
    await publish(first);
    await clock.advance(60_000);
    const second = bus.create('appointment.cancelled', cancelled(appointment).data, {
      tenantId: 'tenant-a',
      aggregateType: 'appointment',
      aggregateId: appointment.id,
      aggregateVersion: 3,
      origin: 'calcom',
      parent: first,
    });
    await publish(second);
    await deliver();
    const { items } = await auditLog.listByAggregate('tenant-a', { type: 'appointment', id: appointment.id });
    expect(items.map((entry) => [entry.type, entry.origin, entry.actor])).toEqual([
      ['appointment.booked', 'voice', { type: 'staff', id: 'staff-1' }],
      ['appointment.cancelled', 'calcom', { type: 'customer' }],
    ]);
    expect(items[1]).toMatchObject({
      eventId: second.id,
      correlationId: first.correlationId,
      causationId: first.id,
      aggregateVersion: 3,
      occurredAt: second.time,
      data: { reason: 'ill' },
    });
  });

  it('records events of every type in the catalog, with no actor where none is named', async () => {
    const { bus, publish, deliver } = createListenerHarness();
    const auditLog = createMemoryAuditLog();
    registerAuditTrail(bus, { auditLog });
    expect(bus.listenerCount()).toBe(bus.catalog.types.length);
    await publish(
      bus.create(
        'circuit.opened',
        { breaker: 'calcom', reason: '5 failures', retryAt: '2026-01-05T09:01:00.000Z' },
        {
          tenantId: 'tenant-a',
          aggregateType: 'breaker',
          aggregateId: 'calcom',
        },
      ),
    );
    await deliver();
    const { items } = await auditLog.listByAggregate('tenant-a', { type: 'breaker', id: 'calcom' });
    expect(items).toMatchObject([{ type: 'circuit.opened', actor: null, origin: 'system' }]);
  });

  it('finds the actor under any of the catalog’s actor fields', () => {
    expect(actorOf({ markedBy: { type: 'staff', id: 's1' } })).toEqual({ type: 'staff', id: 's1' });
    expect(actorOf({ requestedBy: { type: 'agent', id: 'agent_1' } })).toEqual({
      type: 'agent',
      id: 'agent_1',
    });
    expect(actorOf({ bookedBy: 'not an actor' })).toBeNull();
    expect(actorOf(null)).toBeNull();
  });

  it('rejects a missing audit log', () => {
    const { bus } = createListenerHarness();
    let caught: unknown;
    try {
      registerAuditTrail(bus, { auditLog: undefined as never });
    } catch (error) {
      caught = error;
    }
    expect(isInvalidOptionError(caught)).toBe(true);
  });
});
