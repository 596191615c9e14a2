import { describe, expectTypeOf, it } from 'vitest';
import { bookingEvents, type BookingEvents, type BookingEventSpecs } from '../../src/booking/events.js';
import type { EventCatalog, EventType } from '../../src/events/catalog.js';
import { createEventBus } from '../../src/events/event-bus.js';

const bus = createEventBus({ catalog: bookingEvents });
const meta = { tenantId: 't', aggregateType: 'appointment', aggregateId: 'a1' };

describe('the booking event catalog type', () => {
  it('is the named BookingEvents catalog', () => {
    expectTypeOf(bookingEvents).toEqualTypeOf<BookingEvents>();
    expectTypeOf<BookingEvents>().toExtend<EventCatalog<BookingEventSpecs>>();
    expectTypeOf(bus).toEqualTypeOf<ReturnType<typeof createEventBus<BookingEvents>>>();
  });

  it('names exactly the catalog event types', () => {
    expectTypeOf<'appointment.booked'>().toExtend<EventType<BookingEvents>>();
    expectTypeOf<'reconciliation.healed'>().toExtend<EventType<BookingEvents>>();
    expectTypeOf<'appointment.bookd'>().not.toExtend<EventType<BookingEvents>>();
  });

  it('does not compile a misspelt event name', () => {
    // @ts-expect-error 'appointment.bookd' is not an event: the message lists 'appointment.booked' and the others
    bus.on('appointment.bookd', () => undefined);
    // @ts-expect-error 'call.faild' is not an event
    bus.create('call.faild', { callId: 'c1', reason: 'busy' }, meta);
    // @ts-expect-error 'appointment.cancel' is not an event
    bus.once('appointment.cancel', () => undefined);
  });
});
