import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  isCalendarOutsideBookingHoursError,
  isCalendarRequestRejectedError,
  isCalendarSlotUnavailableError,
} from '../../booking/errors.js';
import { isNotFoundError } from '../../errors/store-errors.js';
import { isValidationError } from '../../errors/validation-error.js';
import { APPOINTMENT_TAG, type CreateCalendarBookingRequest } from '../../ports/calendar-provider.js';
import { calendarProviderContract } from '../../testing/contracts/calendar-provider.contract.js';
import { createFakeClock } from '../../testing/fake-clock.js';
import { createMemoryCalendarProvider } from './memory-calendar-provider.js';
import type { MemoryCalendarEventTypeInput } from './memory-calendar-schedule.js';

// 2026-01-05 is a Monday; the fake clock starts at 09:00 UTC that day.
const weekdays = [{ start: '09:00', end: '17:00' }];
const berlin: MemoryCalendarEventTypeInput = {
  tenantId: 'tenant-a',
  id: 'consultation',
  durationMinutes: 30,
  timeZone: 'Europe/Berlin',
  weeklyHours: {
    monday: weekdays,
    tuesday: weekdays,
    wednesday: weekdays,
    thursday: weekdays,
    friday: weekdays,
  },
};

calendarProviderContract({ describe, it, beforeEach, afterEach }, 'memory', ({ clock }) => ({
  provider: createMemoryCalendarProvider({
    clock,
    eventTypes: [berlin, { ...berlin, tenantId: 'tenant-b' }],
  }),
  tenantId: 'tenant-a',
  otherTenantId: 'tenant-b',
  eventTypeId: 'consultation',
  // Tuesday 09:00–12:00 in Berlin.
  window: { start: '2026-01-06T08:00:00.000Z', end: '2026-01-06T11:00:00.000Z' },
  // Tuesday 20:00 in Berlin: closed.
  closedTime: { start: '2026-01-06T19:00:00.000Z', end: '2026-01-06T19:30:00.000Z' },
}));

const request = (start: string, end: string, appointmentId = 'appt-1'): CreateCalendarBookingRequest => ({
  tenantId: 'tenant-a',
  eventTypeId: 'consultation',
  start,
  end,
  attendee: { name: 'Ana', email: 'ana@example.com', phone: null, timeZone: 'Europe/Berlin', locale: null },
  metadata: { [APPOINTMENT_TAG]: appointmentId },
});

/** The hint for appointment `appointmentId` on Tuesday 2026-01-06, the whole day. */
const tuesday = (appointmentId = 'appt-1', eventTypeId = 'consultation') => ({
  appointmentId,
  eventTypeId,
  start: '2026-01-06T00:00:00.000Z',
  end: '2026-01-07T00:00:00.000Z',
  attendeeEmail: 'ana@example.com',
});

const starts = (slots: readonly { start: string }[]): string[] =>
  slots.map((slot) => slot.start.slice(11, 16));

describe('memory calendar provider', () => {
  it('offers slots from the opening hours in the event type time zone, aligned to the duration', async () => {
    const calendar = createMemoryCalendarProvider({ clock: createFakeClock(), eventTypes: [berlin] });
    const slots = await calendar.getAvailableSlots('tenant-a', {
      eventTypeId: 'consultation',
      from: '2026-01-06T00:00:00.000Z',
      to: '2026-01-07T00:00:00.000Z',
    });
    expect(slots).toHaveLength(16);
    expect(slots[0]).toEqual({ start: '2026-01-06T08:00:00.000Z', end: '2026-01-06T08:30:00.000Z' });
    expect(slots.at(-1)).toEqual({ start: '2026-01-06T15:30:00.000Z', end: '2026-01-06T16:00:00.000Z' });
  });

  it('steps slot starts by a configured interval', async () => {
    const calendar = createMemoryCalendarProvider({
      clock: createFakeClock(),
      eventTypes: [
        {
          ...berlin,
          durationMinutes: 60,
          slotIntervalMinutes: 15,
          weeklyHours: { tuesday: [{ start: '09:00', end: '10:30' }] },
        },
      ],
    });
    const slots = await calendar.getAvailableSlots('tenant-a', {
      eventTypeId: 'consultation',
      from: '2026-01-06T00:00:00.000Z',
      to: '2026-01-07T00:00:00.000Z',
    });
    expect(starts(slots)).toEqual(['08:00', '08:15', '08:30']);
  });

  it('follows daylight saving: 09:00 in Berlin is 08:00 UTC in winter and 07:00 UTC in summer', async () => {
    const calendar = createMemoryCalendarProvider({
      clock: createFakeClock(),
      eventTypes: [{ ...berlin, weeklyHours: { monday: [{ start: '09:00', end: '09:30' }] } }],
    });
    const slots = await calendar.getAvailableSlots('tenant-a', {
      eventTypeId: 'consultation',
      from: '2026-03-23T00:00:00.000Z',
      to: '2026-04-01T00:00:00.000Z',
    });
    expect(slots.map((slot) => slot.start)).toEqual(['2026-03-23T08:00:00.000Z', '2026-03-30T07:00:00.000Z']);
  });

  it('offers no slot in the past or within the minimum notice', async () => {
    const clock = createFakeClock('2026-01-05T10:10:00.000Z');
    const calendar = createMemoryCalendarProvider({
      clock,
      eventTypes: [{ ...berlin, minimumNoticeMinutes: 60 }],
    });
    const slots = await calendar.getAvailableSlots('tenant-a', {
      eventTypeId: 'consultation',
      from: '2026-01-05T08:00:00.000Z',
      to: '2026-01-05T13:00:00.000Z',
    });
    expect(slots[0]?.start).toBe('2026-01-05T11:30:00.000Z');
    const refused = await calendar
      .createBooking(request('2026-01-05T10:30:00.000Z', '2026-01-05T11:00:00.000Z'))
      .catch((e: unknown) => e);
    expect(isCalendarOutsideBookingHoursError(refused) && refused.context.reason).toBe('too_soon');
  });

  it('refuses a booking outside the opening hours', async () => {
    const calendar = createMemoryCalendarProvider({ clock: createFakeClock(), eventTypes: [berlin] });
    const sunday = await calendar
      .createBooking(request('2026-01-11T10:00:00.000Z', '2026-01-11T10:30:00.000Z'))
      .catch((e: unknown) => e);
    const lateEvening = await calendar
      .createBooking(request('2026-01-06T15:45:00.000Z', '2026-01-06T16:15:00.000Z'))
      .catch((e: unknown) => e);
    expect(isCalendarOutsideBookingHoursError(sunday) && sunday.context.reason).toBe('closed');
    expect(isCalendarOutsideBookingHoursError(lateEvening) && lateEvening.context.reason).toBe('closed');
    expect(isCalendarSlotUnavailableError(sunday)).toBe(false);
  });

  it('makes event types of one host block each other', async () => {
    const calendar = createMemoryCalendarProvider({
      clock: createFakeClock(),
      eventTypes: [
        { ...berlin, hostId: 'dr-who' },
        { ...berlin, id: 'follow-up', durationMinutes: 60, hostId: 'dr-who' },
        { ...berlin, id: 'other-host', hostId: 'dr-no' },
      ],
    });
    await calendar.createBooking(request('2026-01-06T08:00:00.000Z', '2026-01-06T08:30:00.000Z'));
    const sameHost = await calendar
      .createBooking({
        ...request('2026-01-06T08:00:00.000Z', '2026-01-06T09:00:00.000Z', 'appt-2'),
        eventTypeId: 'follow-up',
      })
      .catch((e: unknown) => e);
    expect(isCalendarSlotUnavailableError(sameHost)).toBe(true);
    const otherHost = await calendar.createBooking({
      ...request('2026-01-06T08:00:00.000Z', '2026-01-06T08:30:00.000Z', 'appt-3'),
      eventTypeId: 'other-host',
    });
    expect(otherHost.status).toBe('accepted');
  });

  it('records bookings made directly in the calendar, overlapping or untagged, and offers their time no more', async () => {
    const calendar = createMemoryCalendarProvider({ clock: createFakeClock(), eventTypes: [berlin] });
    await calendar.createBooking(request('2026-01-06T08:00:00.000Z', '2026-01-06T08:30:00.000Z'));
    const direct = calendar.seedBooking('tenant-a', {
      eventTypeId: 'consultation',
      start: '2026-01-06T08:00:00.000Z',
      uid: 'human-1',
    });
    expect(direct).toMatchObject({
      uid: 'human-1',
      end: '2026-01-06T08:30:00.000Z',
      status: 'accepted',
      metadata: {},
      attendee: null,
    });
    calendar.seedBooking('tenant-a', { eventTypeId: 'consultation', start: '2026-01-06T09:00:00.000Z' });
    const slots = await calendar.getAvailableSlots('tenant-a', {
      eventTypeId: 'consultation',
      from: '2026-01-06T08:00:00.000Z',
      to: '2026-01-06T10:00:00.000Z',
    });
    expect(starts(slots)).toEqual(['08:30', '09:30']);
    const page = await calendar.listBookings('tenant-a', {
      from: '2026-01-06T00:00:00.000Z',
      to: '2026-01-07T00:00:00.000Z',
    });
    expect(page.items).toHaveLength(3);
    expect(() =>
      calendar.seedBooking('tenant-a', {
        eventTypeId: 'consultation',
        start: '2026-01-07T09:00:00.000Z',
        uid: 'human-1',
      }),
    ).toThrow(/uid: uid human-1 is in use/);
  });

  it('names the bad field of an invalid event type', () => {
    const invalid = {
      ...berlin,
      durationMinutes: 0,
      weeklyHours: { monday: [{ start: '17:00', end: '09:00' }] },
    };
    let caught: unknown;
    try {
      createMemoryCalendarProvider({ eventTypes: [berlin, invalid] });
    } catch (error) {
      caught = error;
    }
    expect(isValidationError(caught)).toBe(true);
    expect(isValidationError(caught) && caught.context.issues.map((issue) => issue.path)).toEqual([
      'eventTypes.1.durationMinutes',
      'eventTypes.1.weeklyHours.monday.0.end',
    ]);
    const calendar = createMemoryCalendarProvider();
    expect(() => calendar.addEventType({ ...berlin, timeZone: 'Mars/Olympus' })).toThrow(
      /timeZone: Invalid IANA time zone/,
    );
    expect(() => calendar.addEventType({ ...berlin, weeklyHours: { mon: weekdays } as never })).toThrow(
      /weeklyHours/,
    );
    expect(() =>
      calendar.addEventType({ ...berlin, weeklyHours: { monday: [{ start: '9am', end: '17:00' }] } }),
    ).toThrow(/weeklyHours\.monday\.0\.start/);
  });

  it('rejects unknown event types and bookings, an untagged create and a backwards range', async () => {
    const calendar = createMemoryCalendarProvider({ clock: createFakeClock(), eventTypes: [berlin] });
    const query = { eventTypeId: 'nope', from: '2026-01-06T00:00:00.000Z', to: '2026-01-07T00:00:00.000Z' };
    const noType = await calendar.getAvailableSlots('tenant-a', query).catch((e: unknown) => e);
    expect(isCalendarRequestRejectedError(noType) && noType.context).toMatchObject({
      reason: 'not_found',
      operation: 'getAvailableSlots',
    });
    const noBooking = await calendar
      .cancelBooking('tenant-a', 'no-such-uid', { reason: null })
      .catch((e: unknown) => e);
    expect(isCalendarRequestRejectedError(noBooking) && noBooking.context.reason).toBe('not_found');
    let unseeded: unknown;
    try {
      calendar.seedBooking('tenant-a', { eventTypeId: 'nope', start: query.from });
    } catch (error) {
      unseeded = error;
    }
    expect(isNotFoundError(unseeded)).toBe(true);
    const untagged = await calendar
      .createBooking({ ...request('2026-01-06T08:00:00.000Z', '2026-01-06T08:30:00.000Z'), metadata: {} })
      .catch((e: unknown) => e);
    expect(isValidationError(untagged) && untagged.message).toContain(`metadata.${APPOINTMENT_TAG}`);
    const backwards = await calendar
      .getAvailableSlots('tenant-a', {
        ...query,
        eventTypeId: 'consultation',
        to: '2026-01-05T00:00:00.000Z',
      })
      .catch((e: unknown) => e);
    expect(isValidationError(backwards) && backwards.context.issues[0]?.path).toBe('to');
  });

  it('lists the event types of a tenant with their slug, title and length', async () => {
    const calendar = createMemoryCalendarProvider({
      clock: createFakeClock(),
      eventTypes: [
        { ...berlin, slug: 'consult', title: 'Consultation' },
        { ...berlin, id: 'follow-up', durationMinutes: 15 },
        { ...berlin, tenantId: 'tenant-b', id: 'other' },
      ],
    });
    expect(await calendar.listEventTypes('tenant-a')).toEqual([
      { id: 'consultation', slug: 'consult', title: 'Consultation', lengthsInMinutes: [30] },
      { id: 'follow-up', slug: 'follow-up', title: 'follow-up', lengthsInMinutes: [15] },
    ]);
    expect(await calendar.listEventTypes('tenant-c')).toEqual([]);
  });

  it('finds the current booking of an appointment after several reschedules', async () => {
    const calendar = createMemoryCalendarProvider({ clock: createFakeClock(), eventTypes: [berlin] });
    const first = await calendar.createBooking(
      request('2026-01-06T08:00:00.000Z', '2026-01-06T08:30:00.000Z'),
    );
    const second = await calendar.rescheduleBooking('tenant-a', first.uid, {
      start: '2026-01-06T09:00:00.000Z',
      end: '2026-01-06T09:30:00.000Z',
      reason: null,
    });
    const third = await calendar.rescheduleBooking('tenant-a', second.uid, {
      start: '2026-01-06T08:00:00.000Z',
      end: '2026-01-06T08:30:00.000Z',
      reason: null,
    });
    expect(third.rescheduledFromUid).toBe(second.uid);
    expect((await calendar.findBookingByAppointmentId('tenant-a', tuesday()))?.uid).toBe(third.uid);
    await calendar.cancelBooking('tenant-a', third.uid, { reason: null });
    expect((await calendar.findBookingByAppointmentId('tenant-a', tuesday()))?.uid).toBe(third.uid);
  });

  it('narrows a lookup to the hinted event type, and names the field of a malformed hint', async () => {
    const calendar = createMemoryCalendarProvider({
      clock: createFakeClock(),
      eventTypes: [berlin, { ...berlin, id: 'follow-up' }],
    });
    const booking = await calendar.createBooking(
      request('2026-01-06T08:00:00.000Z', '2026-01-06T08:30:00.000Z'),
    );
    expect((await calendar.findBookingByAppointmentId('tenant-a', tuesday()))?.uid).toBe(booking.uid);
    expect(await calendar.findBookingByAppointmentId('tenant-a', tuesday('appt-1', 'follow-up'))).toBeNull();
    const error: unknown = await calendar
      .findBookingByAppointmentId('tenant-a', { ...tuesday(), end: '2026-01-05T00:00:00.000Z' })
      .catch((caught: unknown) => caught);
    expect(isValidationError(error) && error.context.issues.map((issue) => issue.path)).toEqual(['end']);
    const badStart: unknown = await calendar
      .findBookingByAppointmentId('tenant-a', { ...tuesday(), start: 'tuesday' })
      .catch((caught: unknown) => caught);
    expect(isValidationError(badStart) && badStart.context.issues.map((issue) => issue.path)).toEqual([
      'start',
    ]);
  });

  it('stamps updatedAt on its clock: at creation, at the move and at the cancel, not at a second cancel', async () => {
    const clock = createFakeClock();
    const calendar = createMemoryCalendarProvider({ clock, eventTypes: [berlin] });
    const first = await calendar.createBooking(
      request('2026-01-06T08:00:00.000Z', '2026-01-06T08:30:00.000Z'),
    );
    expect(first).toMatchObject({ updatedAt: '2026-01-05T09:00:00.000Z', rescheduledToUid: null });
    await clock.advance(60_000);
    const moved = await calendar.rescheduleBooking('tenant-a', first.uid, {
      start: '2026-01-06T09:00:00.000Z',
      end: '2026-01-06T09:30:00.000Z',
      reason: null,
    });
    expect(moved).toMatchObject({ updatedAt: '2026-01-05T09:01:00.000Z', rescheduledToUid: null });
    await clock.advance(60_000);
    await calendar.cancelBooking('tenant-a', moved.uid, { reason: null });
    await clock.advance(60_000);
    await calendar.cancelBooking('tenant-a', moved.uid, { reason: null });
    const page = await calendar.listBookingsUpdatedSince('tenant-a', {
      updatedAfter: '2026-01-05T00:00:00.000Z',
    });
    expect(page.items.map((b) => [b.uid, b.status, b.updatedAt, b.rescheduledToUid])).toEqual([
      [first.uid, 'cancelled', '2026-01-05T09:01:00.000Z', moved.uid],
      [moved.uid, 'cancelled', '2026-01-05T09:02:00.000Z', null],
    ]);
  });

  it('seeds bookings with a given update time (normalised to UTC) or now, and lists them per event type', async () => {
    const calendar = createMemoryCalendarProvider({
      clock: createFakeClock(),
      eventTypes: [berlin, { ...berlin, id: 'follow-up' }],
    });
    calendar.seedBooking('tenant-a', {
      eventTypeId: 'consultation',
      start: '2026-01-06T08:00:00.000Z',
      uid: 'old',
      updatedAt: '2026-01-01T12:00:00+01:00',
    });
    calendar.seedBooking('tenant-a', {
      eventTypeId: 'consultation',
      start: '2026-01-06T09:00:00.000Z',
      uid: 'now',
    });
    calendar.seedBooking('tenant-a', {
      eventTypeId: 'follow-up',
      start: '2026-01-06T10:00:00.000Z',
      uid: 'other',
    });
    const all = await calendar.listBookingsUpdatedSince('tenant-a', { updatedAfter: '2026-01-01T00:00:00Z' });
    expect(all.items.map((b) => [b.uid, b.updatedAt])).toEqual([
      ['old', '2026-01-01T11:00:00.000Z'],
      ['now', '2026-01-05T09:00:00.000Z'],
      ['other', '2026-01-05T09:00:00.000Z'],
    ]);
    const consultation = await calendar.listBookingsUpdatedSince('tenant-a', {
      updatedAfter: '2026-01-02T00:00:00Z',
      eventTypeId: 'consultation',
    });
    expect(consultation.items.map((b) => b.uid)).toEqual(['now']);
    const error: unknown = await calendar
      .listBookingsUpdatedSince('tenant-a', { updatedAfter: 'yesterday' })
      .catch((caught: unknown) => caught);
    expect(isValidationError(error) && error.context.issues.map((issue) => issue.path)).toEqual([
      'updatedAfter',
    ]);
  });

  it('hands out records that cannot be changed from outside', async () => {
    const calendar = createMemoryCalendarProvider({ clock: createFakeClock(), eventTypes: [berlin] });
    const booking = await calendar.createBooking(
      request('2026-01-06T08:00:00.000Z', '2026-01-06T08:30:00.000Z'),
    );
    expect(() => ((booking.metadata as Record<string, string>)[APPOINTMENT_TAG] = 'hijacked')).toThrow(
      TypeError,
    );
    expect((await calendar.findBookingByAppointmentId('tenant-a', tuesday()))?.uid).toBe(booking.uid);
  });
});
