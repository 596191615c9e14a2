import { describe, expect, it } from 'vitest';
import { APPOINTMENT_TAG } from '../../ports/calendar-provider.js';
import { CalcomBooking, CalcomEventType } from '../client/response-schemas.js';
import { calendarBookingOf, calendarEventTypeOf } from './booking-mapping.js';

const booking = (overrides: Record<string, unknown> = {}) =>
  CalcomBooking.parse({
    id: 7,
    uid: 'cal_1',
    status: 'ACCEPTED',
    start: '2026-01-06T10:00:00.000+01:00',
    end: '2026-01-06T10:30:00.000+01:00',
    eventType: { id: 44, slug: 'consult' },
    attendees: [{ name: 'Ana', email: 'ana@example.com', timeZone: 'Europe/Berlin', language: 'de' }],
    metadata: { [APPOINTMENT_TAG]: 'appt-1', count: 3 },
    createdAt: '2026-01-05T08:00:00.000Z',
    updatedAt: '2026-01-05T09:00:00.000Z',
    ...overrides,
  });

describe('calendarBookingOf', () => {
  it('maps a Cal.com booking: UTC times, lowercase status, first attendee, string metadata only', () => {
    expect(calendarBookingOf(booking())).toEqual({
      uid: 'cal_1',
      id: '7',
      eventTypeId: '44',
      start: '2026-01-06T09:00:00.000Z',
      end: '2026-01-06T09:30:00.000Z',
      status: 'accepted',
      attendee: {
        name: 'Ana',
        email: 'ana@example.com',
        phone: null,
        timeZone: 'Europe/Berlin',
        locale: 'de',
      },
      metadata: { [APPOINTMENT_TAG]: 'appt-1' },
      rescheduledFromUid: null,
      rescheduledToUid: null,
      updatedAt: '2026-01-05T09:00:00.000Z',
    });
  });

  it('counts awaiting_host and statuses added later as pending', () => {
    expect(calendarBookingOf(booking({ status: 'awaiting_host' })).status).toBe('pending');
    expect(calendarBookingOf(booking({ status: 'teleported' })).status).toBe('pending');
    expect(calendarBookingOf(booking({ status: 'rejected' })).status).toBe('rejected');
  });

  it('takes createdAt as updatedAt for a booking Cal.com never updated', () => {
    expect(calendarBookingOf(booking({ updatedAt: null })).updatedAt).toBe('2026-01-05T08:00:00.000Z');
  });

  it('keeps the reschedule links', () => {
    const moved = calendarBookingOf(booking({ status: 'cancelled', rescheduledToUid: 'cal_2' }));
    expect([moved.status, moved.rescheduledToUid]).toEqual(['cancelled', 'cal_2']);
  });
});

describe('calendarEventTypeOf', () => {
  it('lists the default length first, each once', () => {
    const type = CalcomEventType.parse({
      id: 44,
      slug: 'consult',
      title: 'Consultation',
      lengthInMinutes: 30,
      lengthInMinutesOptions: [15, 30, 60],
    });
    expect(calendarEventTypeOf(type)).toEqual({
      id: '44',
      slug: 'consult',
      title: 'Consultation',
      lengthsInMinutes: [30, 15, 60],
    });
  });
});
