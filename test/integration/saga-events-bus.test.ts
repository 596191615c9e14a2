import { describe, expect, it } from 'vitest';
import { createMemorySagaStore } from '../../src/adapters/memory/memory-saga-store.js';
import { bookingEvents } from '../../src/booking/events.js';
import { createEventBus } from '../../src/events/event-bus.js';
import { isInvalidOptionError } from '../../src/errors/invalid-option-error.js';
import { createSagaCoordinator } from '../../src/saga/coordinator.js';
import { defineSaga } from '../../src/saga/define-saga.js';
import { sagaEventsToBus } from '../../src/saga/saga-events-to-bus.js';
import { NonRetryableError } from '../../src/saga/step-errors.js';
import { createFakeClock } from '../../src/testing/fake-clock.js';

const undoable = { run: () => 'ok', compensate: () => undefined };

function setup(failAt: 'none' | 'charge' | 'refund') {
  const clock = createFakeClock();
  const bus = createEventBus({ catalog: bookingEvents, clock, strict: true });
  const saga = defineSaga<{ appointmentId: string }>({ name: 'book' })
    .step('hold', undoable)
    .step('calendar', {
      ...undoable,
      compensate: () => {
        if (failAt === 'refund') throw new NonRetryableError('calendar unreachable');
      },
    })
    .step('charge', {
      run: () => (failAt === 'none' ? 'paid' : Promise.reject(new NonRetryableError('card declined'))),
    });
  const events = sagaEventsToBus(bus, { appointmentIdOf: () => 'appt-1' });
  const coordinator = createSagaCoordinator({ store: createMemorySagaStore(), sagas: [saga], clock, events });
  return { bus, saga, coordinator };
}

describe('sagaEventsToBus', () => {
  it('publishes a completed saga as saga.started and one saga.step_completed per step, on the saga aggregate', async () => {
    const { bus, saga, coordinator } = setup('none');
    await coordinator.start(saga, { appointmentId: 'appt-1' }, { sagaId: 'saga-1', tenantId: 'tenant-a' });
    const history = bus.history();
    expect(history.map((e) => [e.type, 'step' in e.data ? e.data.step : null])).toEqual([
      ['saga.started', null],
      ['saga.step_completed', 'hold'],
      ['saga.step_completed', 'calendar'],
      ['saga.step_completed', 'charge'],
    ]);
    for (const event of history) {
      expect(event).toMatchObject({
        tenantId: 'tenant-a',
        aggregateType: 'saga',
        aggregateId: 'saga-1',
        time: '2026-01-05T09:00:00.000Z',
      });
    }
    expect(history[0]?.data).toEqual({ sagaId: 'saga-1', saga: 'book' });
  });

  it('publishes saga.compensated with the failed step and its error', async () => {
    const { bus, saga, coordinator } = setup('charge');
    await expect(coordinator.start(saga, { appointmentId: 'appt-1' }, { sagaId: 'saga-2' })).rejects.toThrow(
      /compensated/,
    );
    const [compensated] = bus.history({ type: 'saga.compensated' });
    expect(compensated?.data).toEqual({
      sagaId: 'saga-2',
      saga: 'book',
      failedStep: 'charge',
      error: 'card declined',
    });
    expect(compensated?.tenantId).toBe('system');
  });

  it('publishes saga.failed and appointment.manual_review_required when a compensation gives up', async () => {
    const { bus, saga, coordinator } = setup('refund');
    await expect(
      coordinator.start(saga, { appointmentId: 'appt-1' }, { sagaId: 'saga-3', tenantId: 'tenant-b' }),
    ).rejects.toThrow(/manual review/);
    expect(bus.history({ type: 'saga.failed' })[0]?.data).toEqual({
      sagaId: 'saga-3',
      saga: 'book',
      step: 'charge',
      error: 'calendar unreachable',
      state: 'compensation_failed',
    });
    const [review] = bus.history({ type: 'appointment.manual_review_required' });
    expect(review?.data).toEqual({
      appointmentId: 'appt-1',
      sagaId: 'saga-3',
      reason: expect.stringMatching(/"calendar" failed 1 time/),
    });
    expect(review?.tenantId).toBe('tenant-b');
  });

  it('refuses an empty fallback tenant', () => {
    const bus = createEventBus({ catalog: bookingEvents });
    let option: unknown;
    try {
      sagaEventsToBus(bus, { fallbackTenantId: '' });
    } catch (error) {
      option = isInvalidOptionError(error) ? error.context.option : error;
    }
    expect(option).toBe('fallbackTenantId');
  });
});
