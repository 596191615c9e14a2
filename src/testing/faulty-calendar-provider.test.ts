import { describe, expect, it } from 'vitest';
import { createMemoryCalendarProvider } from '../adapters/memory/memory-calendar-provider.js';
import {
  isCalendarOutsideBookingHoursError,
  isCalendarRequestRejectedError,
  isCalendarSlotUnavailableError,
} from '../booking/errors.js';
import { isInvalidOptionError } from '../errors/invalid-option-error.js';
import { APPOINTMENT_TAG, type CreateCalendarBookingRequest } from '../ports/calendar-provider.js';
import { isTimeoutError } from '../resilience/errors.js';
import { isTransientError } from '../resilience/http.js';
import { createFakeClock } from './fake-clock.js';
import { withCalendarFaults } from './faulty-calendar-provider.js';

const hours = [{ start: '09:00', end: '17:00' }];
const makeCalendar = () =>
  withCalendarFaults(
    createMemoryCalendarProvider({
      clock: createFakeClock(),
      eventTypes: [
        { tenantId: 't', id: 'cut', durationMinutes: 30, timeZone: 'UTC', weeklyHours: { tuesday: hours } },
      ],
    }),
  );
const request: CreateCalendarBookingRequest = {
  tenantId: 't',
  eventTypeId: 'cut',
  start: '2026-01-06T10:00:00.000Z',
  end: '2026-01-06T10:30:00.000Z',
  attendee: { name: 'Ana', email: 'ana@example.com', phone: null, timeZone: 'UTC', locale: null },
  metadata: { [APPOINTMENT_TAG]: 'appt-1' },
};
const lookup = (appointmentId: string) => ({
  appointmentId,
  eventTypeId: 'cut',
  start: request.start,
  end: request.end,
  attendeeEmail: request.attendee.email,
});
const listAll = (calendar: ReturnType<typeof makeCalendar>) =>
  calendar.listBookings('t', { from: '2026-01-06T00:00:00.000Z', to: '2026-01-07T00:00:00.000Z' });

describe('withCalendarFaults', () => {
  it('passes calls through untouched when no fault is queued', async () => {
    const calendar = makeCalendar();
    const booking = await calendar.createBooking(request);
    expect((await calendar.findBookingByAppointmentId('t', lookup('appt-1')))?.uid).toBe(booking.uid);
  });

  it('fails the next N calls of one operation with the given error, without reaching the calendar', async () => {
    const calendar = makeCalendar();
    const outage = new Error('503 Service Unavailable');
    calendar.failNext('createBooking', outage, 2);
    await expect(calendar.createBooking(request)).rejects.toBe(outage);
    await expect(calendar.createBooking(request)).rejects.toBe(outage);
    expect((await listAll(calendar)).items).toHaveLength(0);
    await expect(calendar.createBooking(request)).resolves.toMatchObject({ status: 'accepted' });
    await expect(
      calendar.getAvailableSlots('t', { eventTypeId: 'cut', from: request.start, to: request.end }),
    ).resolves.toEqual([]);
  });

  it('creates the booking but loses the response, so a blind retry would double book', async () => {
    const calendar = makeCalendar();
    calendar.loseResponseNext('createBooking');
    const error: unknown = await calendar.createBooking(request).catch((caught: unknown) => caught);
    expect(isTimeoutError(error)).toBe(true);
    const found = await calendar.findBookingByAppointmentId('t', lookup('appt-1'));
    expect(found?.status).toBe('accepted');
    expect((await listAll(calendar)).items).toHaveLength(1);
  });

  it('loses the response with a chosen error', async () => {
    const calendar = makeCalendar();
    const reset = new Error('ECONNRESET');
    calendar.loseResponseNext('cancelBooking', 1, reset);
    const booking = await calendar.createBooking(request);
    await expect(calendar.cancelBooking('t', booking.uid, { reason: null })).rejects.toBe(reset);
    expect((await listAll(calendar)).items[0]?.status).toBe('cancelled');
  });

  it('hangs a call until its signal aborts, and never reaches the calendar', async () => {
    const calendar = makeCalendar();
    calendar.hangNext('createBooking');
    const controller = new AbortController();
    const pending = calendar.createBooking(request, { signal: controller.signal });
    let settled = false;
    void pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    const reason = new Error('gave up');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect((await listAll(calendar)).items).toHaveLength(0);
  });

  it('counts calls per operation, failed ones included, until reset', async () => {
    const calendar = makeCalendar();
    calendar.failNext('findBookingByAppointmentId', new Error('boom'));
    await calendar.findBookingByAppointmentId('t', lookup('x')).catch(() => undefined);
    await calendar.findBookingByAppointmentId('t', lookup('x'));
    await calendar.createBooking(request);
    expect(calendar.calls('findBookingByAppointmentId')).toBe(2);
    expect(calendar.calls('createBooking')).toBe(1);
    expect(calendar.calls('cancelBooking')).toBe(0);
    calendar.failNext('createBooking', new Error('queued'));
    calendar.reset();
    expect(calendar.calls('createBooking')).toBe(0);
    await expect(
      calendar.createBooking({
        ...request,
        metadata: { [APPOINTMENT_TAG]: 'appt-2' },
        start: '2026-01-06T11:00:00.000Z',
        end: '2026-01-06T11:30:00.000Z',
      }),
    ).resolves.toBeDefined();
  });

  it('fails calls with the error class the calendar contract prescribes, made from the call', async () => {
    const calendar = makeCalendar();
    const kinds = [
      'slot_taken',
      'outside_hours',
      'not_found',
      'unavailable',
      'rate_limited',
      'timeout',
    ] as const;
    const errors: unknown[] = [];
    for (const kind of kinds) {
      calendar.failNextAs('createBooking', kind);
      errors.push(await calendar.createBooking(request).catch((caught: unknown) => caught));
    }
    const [taken, closed, missing, unavailable, limited, timedOut] = errors;
    expect(isCalendarSlotUnavailableError(taken) && taken.context).toEqual({
      tenantId: 't',
      eventTypeId: 'cut',
      requested: { start: request.start, end: request.end },
    });
    expect(isCalendarOutsideBookingHoursError(closed) && closed.context.eventTypeId).toBe('cut');
    expect(isCalendarRequestRejectedError(missing) && missing.context).toMatchObject({
      tenantId: 't',
      operation: 'createBooking',
      reason: 'not_found',
      status: 404,
    });
    for (const transient of [unavailable, limited, timedOut]) expect(isTransientError(transient)).toBe(true);
    for (const permanent of [taken, closed, missing]) expect(isTransientError(permanent)).toBe(false);
    expect(calendar.calls('createBooking')).toBe(6);
    expect((await listAll(calendar)).items).toHaveLength(0);
    calendar.failNextAs('listEventTypes', 'invalid_request');
    const refused = await calendar.listEventTypes('t').catch((caught: unknown) => caught);
    expect(isCalendarRequestRejectedError(refused) && refused.context.reason).toBe('invalid_request');
    expect(await calendar.listEventTypes('t')).toEqual([
      { id: 'cut', slug: 'cut', title: 'cut', lengthsInMinutes: [30] },
    ]);
    expect(() => calendar.failNextAs('createBooking', 'meteor' as never)).toThrow(
      /^withCalendarFaults: option "kind"/,
    );
  });

  it('rejects an unknown operation, a bad count and a missing provider', () => {
    const calendar = makeCalendar();
    expect(() => calendar.failNext('deleteEverything' as never, new Error('x'))).toThrow(
      /^withCalendarFaults: option "operation" must be one of createBooking/,
    );
    expect(() => calendar.hangNext('createBooking', 0)).toThrow(/^withCalendarFaults: option "times"/);
    let caught: unknown;
    try {
      withCalendarFaults(undefined as never);
    } catch (error) {
      caught = error;
    }
    expect(isInvalidOptionError(caught)).toBe(true);
  });
});
