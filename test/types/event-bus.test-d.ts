import { describe, expectTypeOf, it } from 'vitest';
import { bookingEvents, createEventBus, type DomainEvent, type EventData } from '../../src/index.js';

const bus = createEventBus({ catalog: bookingEvents });
const meta = { tenantId: 't', aggregateType: 'appointment', aggregateId: 'a1' };

describe('event bus typing', () => {
  it('types listener data from the catalog', () => {
    bus.on('appointment.booked', (event) => {
      expectTypeOf(event.type).toEqualTypeOf<'appointment.booked'>();
      expectTypeOf(event.data.appointmentId).toEqualTypeOf<string>();
      expectTypeOf(event.data.calendarBookingUid).toEqualTypeOf<string | null>();
    });
    bus.onAny((event) => {
      expectTypeOf(event).toEqualTypeOf<DomainEvent<typeof bookingEvents>>();
    });
  });

  it('infers data types once from the zod schemas', () => {
    expectTypeOf<EventData<typeof bookingEvents, 'call.failed'>>().toEqualTypeOf<{
      callId: string;
      reason: string;
    }>();
  });

  it('does not compile an unknown event name', () => {
    // @ts-expect-error 'appointment.exploded' is not in the catalog
    bus.on('appointment.exploded', () => undefined);
    // @ts-expect-error unknown type for create
    bus.create('nope', {}, meta);
  });

  it('does not compile wrong data', () => {
    // @ts-expect-error reason must be a string
    bus.create('call.failed', { callId: 'c1', reason: 42 }, meta);
    // @ts-expect-error reason is missing
    bus.create('call.failed', { callId: 'c1' }, meta);
  });

  it('does not compile a handler that expects another type', () => {
    bus.on('call.failed', (event) => {
      // @ts-expect-error call.failed has no appointmentId
      void event.data.appointmentId;
    });
  });

  it('types the publish result with the published event', () => {
    const result = bus.publish(bus.create('call.failed', { callId: 'c1', reason: 'busy' }, meta));
    expectTypeOf(result.event.type).toEqualTypeOf<'call.failed'>();
    expectTypeOf(result.event.data.reason).toEqualTypeOf<string>();
  });
});
