import { describe, expect, it } from 'vitest';
import { isCalendarRequestRejectedError } from '../../booking/errors.js';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import { isValidationError } from '../../errors/validation-error.js';
import { APPOINTMENT_TAG, type CreateCalendarBookingRequest } from '../../ports/calendar-provider.js';
import { createCalcomSimulator } from '../../testing/calcom-simulator/calcom-simulator.js';
import type { CalcomRecordedRequest } from '../../testing/calcom-simulator/sim-exchange.js';
import { createFakeClock } from '../../testing/fake-clock.js';
import { createCalcomClient } from '../client/client.js';
import { isCalcomBookingEnded } from '../client/error-mapping.js';
import { createCalcomCalendarProvider } from './calcom-calendar-provider.js';

const KEY = 'cal_test_host';
const weekdays = [{ start: '09:00', end: '17:00' }];
const hours = { monday: weekdays, tuesday: weekdays, wednesday: weekdays };

/** A simulator (Monday 2026-01-05, 09:00 UTC) recording every request, and the provider over it. */
function setUp() {
  const clock = createFakeClock();
  const requests: CalcomRecordedRequest[] = [];
  const sim = createCalcomSimulator({
    clock,
    accounts: [{ apiKey: KEY, username: 'host', timeZone: 'Europe/Berlin' }],
    rateLimitPerMinute: false,
    validate: ({ request }) => {
      requests.push(request);
    },
  });
  const fixed = sim.addEventType({
    slug: 'fixed',
    lengthInMinutes: 30,
    timeZone: 'Europe/Berlin',
    weeklyHours: hours,
  });
  const variable = sim.addEventType({
    slug: 'variable',
    lengthInMinutes: 30,
    lengthInMinutesOptions: [30, 60],
    timeZone: 'Europe/Berlin',
    weeklyHours: hours,
  });
  const provider = createCalcomCalendarProvider({
    credentials: async () => ({ apiKey: KEY, webhookSecret: 'whsec' }),
    fetch: sim.fetch,
    clock,
    rateLimiter: false,
  });
  const request = (
    eventTypeId: number,
    start: string,
    minutes: number,
    appointmentId = 'appt-1',
  ): CreateCalendarBookingRequest => ({
    tenantId: 'tenant-a',
    eventTypeId: String(eventTypeId),
    start,
    end: new Date(Date.parse(start) + minutes * 60_000).toISOString(),
    attendee: {
      name: 'Ana',
      email: 'ana@example.com',
      phone: null,
      timeZone: 'Europe/Berlin',
      locale: 'de-DE',
    },
    metadata: { [APPOINTMENT_TAG]: appointmentId },
  });
  const writes = (path: RegExp) => requests.filter((r) => r.method === 'POST' && path.test(r.path));
  return { clock, sim, provider, fixed, variable, request, requests, writes };
}

describe('createCalcomCalendarProvider', () => {
  it('names the length only for an event type with several, and refuses a length it does not offer', async () => {
    const { provider, fixed, variable, request, writes } = setUp();
    await provider.createBooking(request(fixed.id, '2026-01-06T08:00:00Z', 30, 'appt-1'));
    const long = await provider.createBooking(request(variable.id, '2026-01-06T10:00:00Z', 60, 'appt-2'));
    expect(long.end).toBe('2026-01-06T11:00:00.000Z');
    const bodies = writes(/^\/v2\/bookings$/).map((r) => r.body as Record<string, unknown>);
    expect(bodies.map((b) => b.lengthInMinutes)).toEqual([undefined, 60]);
    expect(bodies[0]).toMatchObject({
      attendee: { email: 'ana@example.com', language: 'de' },
      metadata: { [APPOINTMENT_TAG]: 'appt-1' },
    });
    const error = await provider
      .createBooking(request(fixed.id, '2026-01-06T12:00:00Z', 45, 'appt-3'))
      .catch((caught: unknown) => caught);
    expect(isCalendarRequestRejectedError(error) && error.context.reason).toBe('invalid_request');
    expect(writes(/^\/v2\/bookings$/)).toHaveLength(2);
  });

  it('refuses a request without the appointment tag before anything is sent', async () => {
    const { provider, fixed, request, requests } = setUp();
    const untagged = { ...request(fixed.id, '2026-01-06T08:00:00Z', 30), metadata: {} };
    const error = await provider.createBooking(untagged).catch((caught: unknown) => caught);
    expect(isValidationError(error)).toBe(true);
    expect(String(error)).toContain('metadata');
    expect(requests).toHaveLength(0);
  });

  it('refuses for good, once, to cancel a booking that has already ended', async () => {
    const { clock, provider, fixed, request, writes } = setUp();
    const booking = await provider.createBooking(request(fixed.id, '2026-01-05T10:00:00Z', 30));
    await clock.advance(2 * 60 * 60_000);
    const error = await provider
      .cancelBooking('tenant-a', booking.uid, { reason: 'too late' })
      .catch((caught: unknown) => caught);
    expect(isCalendarRequestRejectedError(error)).toBe(true);
    expect(isCalcomBookingEnded(error)).toBe(true);
    expect(writes(/\/cancel$/)).toHaveLength(1);
  });

  it('sends the default reason when a cancel gives none, as a host must', async () => {
    const { provider, fixed, request, writes } = setUp();
    const booking = await provider.createBooking(request(fixed.id, '2026-01-06T08:00:00Z', 30));
    await provider.cancelBooking('tenant-a', booking.uid, { reason: null });
    expect(writes(/\/cancel$/)[0]?.body).toEqual({ cancellationReason: 'Cancelled through bookingkit' });
  });

  it('searches the hinted window filtered by event type and attendee email, and matches on the tag', async () => {
    const { provider, fixed, request, requests } = setUp();
    const made = await provider.createBooking(request(fixed.id, '2026-01-06T08:00:00Z', 30, 'appt-9'));
    const found = await provider.findBookingByAppointmentId('tenant-a', {
      appointmentId: 'appt-9',
      eventTypeId: String(fixed.id),
      start: made.start,
      end: made.end,
      attendeeEmail: 'ana@example.com',
    });
    expect(found?.uid).toBe(made.uid);
    const listing = requests.filter((r) => r.method === 'GET' && r.path === '/v2/bookings').at(-1);
    expect(listing?.query).toMatchObject({
      eventTypeId: String(fixed.id),
      attendeeEmail: 'ana@example.com',
      sortStart: 'asc',
    });
    expect(Date.parse(listing!.query.afterStart!)).toBeLessThanOrEqual(Date.parse(made.start));
  });

  it('orders bookings updated at the same instant by uid, each once across pages', async () => {
    const { provider, fixed, request } = setUp();
    const starts = ['2026-01-06T10:00:00Z', '2026-01-06T08:00:00Z', '2026-01-06T09:00:00Z'];
    const made = [];
    for (const [i, start] of starts.entries())
      made.push(await provider.createBooking(request(fixed.id, start, 30, `appt-${i}`)));
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 5; pages += 1) {
      const page = await provider.listBookingsUpdatedSince('tenant-a', {
        updatedAfter: made[0]!.updatedAt,
        limit: 1,
        ...(cursor === undefined ? {} : { cursor }),
      });
      seen.push(...page.items.map((b) => b.uid));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(made.map((b) => b.uid).sort());
  });

  it('refuses a cursor it did not make, naming the field', async () => {
    const { provider } = setUp();
    const error = await provider
      .listBookingsUpdatedSince('tenant-a', { updatedAfter: '2026-01-05T00:00:00Z', cursor: 'bogus' })
      .catch((caught: unknown) => caught);
    expect(isValidationError(error)).toBe(true);
    expect(String(error)).toContain('cursor');
  });

  it("refuses the slots and bookings of another account's event type as not found", async () => {
    // Cal.com answers slots (and takes bookings) of any public event type, whoever asks: the
    // provider must keep a tenant to the event types of its own account.
    const clock = createFakeClock();
    const sim = createCalcomSimulator({
      clock,
      accounts: [
        { apiKey: KEY, username: 'host', timeZone: 'Europe/Berlin' },
        { apiKey: 'cal_test_other', username: 'other', timeZone: 'Europe/Berlin' },
      ],
      rateLimitPerMinute: false,
    });
    const own = sim.addEventType({
      slug: 'own',
      lengthInMinutes: 30,
      timeZone: 'Europe/Berlin',
      weeklyHours: hours,
    });
    const foreign = sim.addEventType({
      slug: 'foreign',
      owner: 'other',
      lengthInMinutes: 30,
      timeZone: 'Europe/Berlin',
      weeklyHours: hours,
    });
    const provider = createCalcomCalendarProvider({
      credentials: async () => ({ apiKey: KEY, webhookSecret: 'whsec' }),
      fetch: sim.fetch,
      clock,
      rateLimiter: false,
    });
    const window = { from: '2026-01-06T08:00:00Z', to: '2026-01-06T10:00:00Z' };
    expect(
      await provider.getAvailableSlots('tenant-a', { eventTypeId: String(own.id), ...window }),
    ).not.toEqual([]);

    const slots = await provider
      .getAvailableSlots('tenant-a', { eventTypeId: String(foreign.id), ...window })
      .catch((caught: unknown) => caught);
    expect(isCalendarRequestRejectedError(slots) && slots.context).toMatchObject({
      tenantId: 'tenant-a',
      operation: 'getAvailableSlots',
      reason: 'not_found',
    });
    const booking = await provider
      .createBooking({ ...setUp().request(foreign.id, '2026-01-06T08:00:00Z', 30), tenantId: 'tenant-a' })
      .catch((caught: unknown) => caught);
    expect(isCalendarRequestRejectedError(booking) && booking.context).toMatchObject({
      operation: 'createBooking',
      reason: 'not_found',
    });
    expect(sim.bookings()).toEqual([]);

    // An event type added to the account after its list was read is found at once.
    const added = sim.addEventType({
      slug: 'added',
      lengthInMinutes: 30,
      timeZone: 'Europe/Berlin',
      weeklyHours: hours,
    });
    expect(
      await provider.getAvailableSlots('tenant-a', { eventTypeId: String(added.id), ...window }),
    ).not.toEqual([]);
  });

  it("asks Cal.com for a tenant's event types once for many concurrent slot queries", async () => {
    const { provider, fixed, requests } = setUp();
    const window = { from: '2026-01-06T08:00:00Z', to: '2026-01-06T10:00:00Z' };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        provider.getAvailableSlots('tenant-a', { eventTypeId: String(fixed.id), ...window }),
      ),
    );
    expect(answers.every((slots) => slots.length > 0)).toBe(true);
    expect(requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v2/event-types'))).toHaveLength(
      1,
    );
  });

  it('checks its options, naming the bad one', () => {
    expect(() => createCalcomCalendarProvider({ client: {} as never })).toThrow(/client/);
    const client = createCalcomClient({ credentials: async () => ({ apiKey: KEY, webhookSecret: '' }) });
    const bad = (() => {
      try {
        createCalcomCalendarProvider({ client, cancellationReason: '' });
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    expect(isInvalidOptionError(bad) && bad.context.option).toBe('cancellationReason');
  });
});
