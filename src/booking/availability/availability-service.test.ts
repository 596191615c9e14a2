import { describe, expect, it } from 'vitest';
import { createMemoryAvailabilityCache } from '../../adapters/memory/memory-availability-cache.js';
import { createMemoryCalendarProvider } from '../../adapters/memory/memory-calendar-provider.js';
import type { MemoryCalendarEventTypeInput } from '../../adapters/memory/memory-calendar-schedule.js';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import { isNotFoundError } from '../../errors/store-errors.js';
import { isValidationError } from '../../errors/validation-error.js';
import type { AvailabilityCache } from '../../ports/availability-cache.js';
import { APPOINTMENT_TAG, type CalendarProvider } from '../../ports/calendar-provider.js';
import type { Logger } from '../../ports/logger.js';
import { createFakeClock } from '../../testing/fake-clock.js';
import { withCalendarFaults } from '../../testing/faulty-calendar-provider.js';
import { createAvailabilityService, type AvailabilityServiceOptions } from './availability-service.js';

// The fake clock starts on Monday 2026-01-05 09:00 UTC. Opening hours are in UTC unless a test says otherwise.
const hours = [{ start: '09:00', end: '12:00' }];
const cut: MemoryCalendarEventTypeInput = {
  tenantId: 't',
  id: 'cut',
  durationMinutes: 60,
  timeZone: 'UTC',
  weeklyHours: { monday: hours, tuesday: hours, wednesday: hours, thursday: hours, friday: hours },
};
const day = (date: string) => ({ start: `${date}T00:00:00.000Z`, end: `${date}T23:59:59.999Z` });
const at = (date: string, hhmm: string): string => `${date}T${hhmm}:00.000Z`;
const slot = (date: string, hhmm: string, minutes = 60) => ({
  start: at(date, hhmm),
  end: new Date(Date.parse(at(date, hhmm)) + minutes * 60_000).toISOString(),
});
const starts = (slots: readonly { start: string }[]): string[] => slots.map((s) => s.start.slice(5, 16));

function setup(overrides: Partial<AvailabilityServiceOptions> = {}, eventTypes = [cut]) {
  const clock = createFakeClock();
  const memory = createMemoryCalendarProvider({ clock, eventTypes });
  const calendar = withCalendarFaults(memory);
  const cache = createMemoryAvailabilityCache({ clock });
  const service = createAvailabilityService({ calendar, cache, clock, ttlMs: 60_000, ...overrides });
  const book = (start: string, end: string, id = `appt-${start}`) =>
    memory.createBooking({
      tenantId: 't',
      eventTypeId: 'cut',
      start,
      end,
      attendee: { name: 'A', email: 'a@example.com', phone: null, timeZone: 'UTC', locale: null },
      metadata: { [APPOINTMENT_TAG]: id },
    });
  return { clock, memory, calendar, cache, service, book };
}

describe('availability service: getSlots', () => {
  it("answers an event type the tenant's calendar does not have as not found, naming it", async () => {
    const { service } = setup();
    const error = await service
      .getSlots('other', 'cut', day('2026-01-06'))
      .catch((caught: unknown) => caught);
    expect(isNotFoundError(error) && error.context).toEqual({
      entity: 'EventType',
      id: 'cut',
      tenantId: 'other',
    });
    expect(String(error)).toContain('cut');
  });

  it('answers the free slots within the range and caches each day', async () => {
    const { service, calendar } = setup();
    const slots = await service.getSlots('t', 'cut', {
      start: at('2026-01-06', '09:30'),
      end: at('2026-01-06', '12:00'),
    });
    expect(starts(slots)).toEqual(['01-06T10:00', '01-06T11:00']);
    await service.getSlots('t', 'cut', day('2026-01-06'));
    expect(calendar.calls('getAvailableSlots')).toBe(1);
  });

  it('fetches consecutive uncached days in one calendar call', async () => {
    const { service, calendar } = setup();
    await service.getSlots('t', 'cut', day('2026-01-07'));
    const week = await service.getSlots('t', 'cut', {
      start: at('2026-01-06', '00:00'),
      end: at('2026-01-10', '00:00'),
    });
    expect(starts(week)).toHaveLength(12);
    expect(calendar.calls('getAvailableSlots')).toBe(3);
  });

  it('asks the calendar again once the TTL has passed', async () => {
    const { service, calendar, clock } = setup();
    await service.getSlots('t', 'cut', day('2026-01-06'));
    await clock.advance(60_001);
    await service.getSlots('t', 'cut', day('2026-01-06'));
    expect(calendar.calls('getAvailableSlots')).toBe(2);
  });

  it('keeps serving a taken slot until invalidated, and drops only the touched days', async () => {
    const { service, calendar, book } = setup({ maxSlotDurationMs: 3_600_000 });
    await service.getSlots('t', 'cut', { start: at('2026-01-06', '00:00'), end: at('2026-01-08', '00:00') });
    await book(at('2026-01-06', '10:00'), at('2026-01-06', '11:00'));
    expect(starts(await service.getSlots('t', 'cut', day('2026-01-06')))).toContain('01-06T10:00');
    await service.invalidate('t', 'cut', {
      start: at('2026-01-06', '10:00'),
      end: at('2026-01-06', '11:00'),
    });
    expect(starts(await service.getSlots('t', 'cut', day('2026-01-06')))).toEqual([
      '01-06T09:00',
      '01-06T11:00',
    ]);
    await service.getSlots('t', 'cut', day('2026-01-07'));
    expect(calendar.calls('getAvailableSlots')).toBe(2);
  });

  it('drops every cached day of the event type when invalidated without a range', async () => {
    const { service, calendar } = setup();
    await service.getSlots('t', 'cut', { start: at('2026-01-06', '00:00'), end: at('2026-01-08', '00:00') });
    await service.invalidate('t', 'cut');
    await service.getSlots('t', 'cut', day('2026-01-07'));
    expect(calendar.calls('getAvailableSlots')).toBe(2);
  });

  it('keeps a slot that crosses midnight UTC, on the day it starts', async () => {
    const evening = {
      ...cut,
      timeZone: 'America/Los_Angeles',
      weeklyHours: { tuesday: [{ start: '15:30', end: '16:30' }] },
    };
    const { service } = setup({}, [evening]);
    const slots = await service.getSlots('t', 'cut', {
      start: at('2026-01-06', '12:00'),
      end: at('2026-01-07', '12:00'),
    });
    expect(slots).toEqual([{ start: '2026-01-06T23:30:00.000Z', end: '2026-01-07T00:30:00.000Z' }]);
  });

  it('stops offering cached slots whose start has passed', async () => {
    const { service, clock } = setup({ ttlMs: 86_400_000 });
    await service.getSlots('t', 'cut', day('2026-01-05'));
    await clock.advanceTo(Date.parse(at('2026-01-05', '10:30')));
    expect(starts(await service.getSlots('t', 'cut', day('2026-01-05')))).toEqual(['01-05T11:00']);
  });

  it('bypasses a failing cache and ignores a malformed entry', async () => {
    const warnings: string[] = [];
    const logger = {
      warn: (_: object, message?: string) => void warnings.push(message ?? ''),
    } as unknown as Logger;
    const broken: AvailabilityCache = {
      get: () => Promise.reject(new Error('ECONNREFUSED')),
      set: () => Promise.reject(new Error('ECONNREFUSED')),
      invalidateTags: () => Promise.resolve(),
    };
    const { calendar } = setup();
    const service = createAvailabilityService({
      calendar,
      cache: broken,
      ttlMs: 1000,
      logger,
      clock: createFakeClock(),
    });
    expect(await service.getSlots('t', 'cut', day('2026-01-06'))).toHaveLength(3);
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining('read failed'),
        expect.stringContaining('write failed'),
      ]),
    );
    const garbage: AvailabilityCache = {
      ...broken,
      get: () => Promise.resolve({ not: 'slots' }),
      set: () => Promise.resolve(),
    };
    const lenient = createAvailabilityService({
      calendar,
      cache: garbage,
      ttlMs: 1000,
      logger,
      clock: createFakeClock(),
    });
    expect(await lenient.getSlots('t', 'cut', day('2026-01-06'))).toHaveLength(3);
  });

  it('does not cache what a fetch read when an invalidation overtook it', async () => {
    const { memory, cache, clock, book } = setup();
    let release: () => void = () => undefined;
    let calls = 0;
    const slow: CalendarProvider = {
      ...memory,
      getAvailableSlots: async (...args) => {
        calls += 1;
        const answer = await memory.getAvailableSlots(...args);
        if (calls === 1) await new Promise<void>((resolve) => (release = resolve));
        return answer;
      },
    };
    const service = createAvailabilityService({ calendar: slow, cache, clock, ttlMs: 60_000 });
    const first = service.getSlots('t', 'cut', day('2026-01-06'));
    await new Promise((resolve) => setImmediate(resolve));
    await book(at('2026-01-06', '10:00'), at('2026-01-06', '11:00'));
    await service.invalidate('t', 'cut', {
      start: at('2026-01-06', '10:00'),
      end: at('2026-01-06', '11:00'),
    });
    release();
    expect(starts(await first)).toContain('01-06T10:00');
    expect(starts(await service.getSlots('t', 'cut', day('2026-01-06')))).not.toContain('01-06T10:00');
    expect(calls).toBe(2);
  });

  it('names a bad argument and a bad option', async () => {
    const { service, calendar, cache } = setup();
    const backwards = await service
      .getSlots('t', 'cut', { start: at('2026-01-06', '10:00'), end: at('2026-01-06', '09:00') })
      .catch((e: unknown) => e);
    expect(isValidationError(backwards) && backwards.context.issues[0]?.path).toBe('end');
    const noId = await service.getSlots('t', '', day('2026-01-06')).catch((e: unknown) => e);
    expect(isValidationError(noId) && noId.context.issues[0]?.path).toBe('eventTypeId');
    const option = (extra: Partial<AvailabilityServiceOptions>): unknown => {
      try {
        createAvailabilityService({ calendar, cache, ttlMs: 1000, ...extra });
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(isInvalidOptionError(option({ ttlMs: undefined as never }))).toBe(true);
    expect(isInvalidOptionError(option({ searchDays: 0 }))).toBe(true);
    expect(isInvalidOptionError(option({ timeZone: 'Nowhere/Land' }))).toBe(true);
    expect(isInvalidOptionError(option({ calendar: undefined as never }))).toBe(true);
  });
});

describe('availability service: findAlternatives', () => {
  const halfHourly = { ...cut, durationMinutes: 30 };

  it('offers the same day first, nearest to the requested start, earlier first on a tie', async () => {
    const { service, book } = setup({}, [halfHourly]);
    await book(at('2026-01-06', '10:00'), at('2026-01-06', '10:30'));
    const alternatives = await service.findAlternatives('t', 'cut', slot('2026-01-06', '10:00', 30), 4);
    expect(starts(alternatives)).toEqual(['01-06T09:30', '01-06T10:30', '01-06T09:00', '01-06T11:00']);
  });

  it('continues with the following days, earliest first, skipping closed days', async () => {
    const { service, book } = setup();
    for (const hhmm of ['09:00', '10:00', '11:00']) {
      const taken = slot('2026-01-09', hhmm);
      await book(taken.start, taken.end);
    }
    const alternatives = await service.findAlternatives('t', 'cut', slot('2026-01-09', '10:00'), 4);
    expect(starts(alternatives)).toEqual(['01-12T09:00', '01-12T10:00', '01-12T11:00', '01-13T09:00']);
  });

  it('searches no further than the window, and never offers the past or a known-taken time', async () => {
    const { service, clock } = setup({ searchDays: 2 });
    await clock.advanceTo(Date.parse(at('2026-01-05', '10:15')));
    const alternatives = await service.findAlternatives('t', 'cut', slot('2026-01-05', '09:00'), 10, {
      exclude: [slot('2026-01-05', '09:00'), slot('2026-01-06', '10:00')],
    });
    expect(starts(alternatives)).toEqual(['01-05T11:00', '01-06T09:00', '01-06T11:00']);
  });

  it('decides what "the same day" is in the given time zone', async () => {
    const late = {
      ...halfHourly,
      weeklyHours: {
        monday: [{ start: '22:00', end: '24:00' }],
        tuesday: [
          { start: '00:00', end: '02:00' },
          { start: '22:00', end: '23:00' },
        ],
      },
    };
    const { service } = setup({}, [late]);
    const requested = slot('2026-01-05', '23:00', 30);
    const utc = await service.findAlternatives('t', 'cut', requested, 2, { exclude: [] });
    expect(starts(utc)).toEqual(['01-05T23:00', '01-05T22:30']);
    // In Berlin 23:00 UTC is already Tuesday 00:00: the same day runs 23:00 UTC Monday – 23:00 UTC Tuesday.
    const berlin = await service.findAlternatives('t', 'cut', requested, 3, {
      exclude: [requested],
      timeZone: 'Europe/Berlin',
    });
    expect(starts(berlin)).toEqual(['01-05T23:30', '01-06T00:00', '01-06T00:30']);
  });

  it('names a bad argument', async () => {
    const { service } = setup();
    const error = await service
      .findAlternatives('t', 'cut', slot('2026-01-06', '10:00'), 0)
      .catch((e: unknown) => e);
    expect(isValidationError(error) && error.context.issues.map((i) => i.path)).toEqual(['n']);
    const zone = await service
      .findAlternatives('t', 'cut', slot('2026-01-06', '10:00'), 1, { timeZone: 'Mars/Base' })
      .catch((e: unknown) => e);
    expect(isValidationError(zone) && zone.context.issues[0]?.path).toBe('timeZone');
  });
});
