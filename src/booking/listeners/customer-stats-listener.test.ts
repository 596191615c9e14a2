import { describe, expect, it } from 'vitest';
import { createListenerHarness } from '../../../test/support/booking-listener-harness.js';
import { createMemoryCustomerStatsStore } from '../../adapters/memory/memory-customer-stats-store.js';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import { registerCustomerStatistics } from './customer-stats-listener.js';

function setup() {
  const harness = createListenerHarness();
  const customerStats = createMemoryCustomerStatsStore({ customers: harness.stores.customers });
  registerCustomerStatistics(harness.bus, { customerStats, appointments: harness.stores.appointments });
  const statsOf = async (id: string) => (await harness.stores.customers.get('tenant-a', id))?.stats;
  return { ...harness, statsOf };
}

describe('customer statistics listener', () => {
  it('counts bookings, cancellations and no-shows of a customer', async () => {
    const { seedAppointment, booked, cancelled, noShow, publish, deliver, statsOf } = setup();
    const first = await seedAppointment();
    const second = await seedAppointment({}, { customerId: first.customerId });
    await publish(booked(first));
    await publish(booked(second));
    await publish(cancelled(first));
    await publish(noShow(second));
    await deliver();
    expect(await statsOf(first.customerId!)).toEqual({ bookings: 2, cancellations: 1, noShows: 1 });
  });

  it('ignores appointments without a customer', async () => {
    const { relay, seedAppointment, booked, cancelled, publish } = setup();
    const anonymous = await seedAppointment(null);
    await publish(booked(anonymous));
    await publish(cancelled(anonymous));
    const rounds = [await relay.runOnce(), await relay.runOnce()];
    expect(rounds.reduce((sum, round) => sum + round.delivered, 0)).toBe(2);
    expect(rounds.every((round) => round.retried === 0 && round.deadLettered === 0)).toBe(true);
  });

  it('counts for the survivor once a customer was merged', async () => {
    const { stores, seedAppointment, booked, publish, deliver, statsOf } = setup();
    const appointment = await seedAppointment({ email: 'old@example.com', phone: null });
    const survivor = {
      ...(await stores.customers.get('tenant-a', appointment.customerId!))!,
      id: 'survivor',
      email: 'new@example.com',
    };
    await stores.customers.insert(survivor);
    const merged = (await stores.customers.get('tenant-a', appointment.customerId!))!;
    await stores.customers.update({ ...merged, mergedInto: 'survivor', version: 2 }, 1);
    await publish(booked(appointment));
    await deliver();
    expect(await statsOf('survivor')).toEqual({ bookings: 1, cancellations: 0, noShows: 0 });
    expect(await statsOf(merged.id)).toEqual({ bookings: 0, cancellations: 0, noShows: 0 });
  });

  it('rejects missing dependencies', () => {
    const { bus, stores } = createListenerHarness();
    const caught = (fn: () => unknown): unknown => {
      try {
        fn();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(
      isInvalidOptionError(
        caught(() =>
          registerCustomerStatistics(bus, {
            customerStats: undefined as never,
            appointments: stores.appointments,
          }),
        ),
      ),
    ).toBe(true);
    const customerStats = createMemoryCustomerStatsStore({ customers: stores.customers });
    expect(
      isInvalidOptionError(
        caught(() => registerCustomerStatistics(bus, { customerStats, appointments: undefined as never })),
      ),
    ).toBe(true);
  });
});
