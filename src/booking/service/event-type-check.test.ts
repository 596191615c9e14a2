import { describe, expect, it } from 'vitest';
import { createMemoryCalendarProvider } from '../../adapters/memory/memory-calendar-provider.js';
import { isValidationError } from '../../errors/validation-error.js';
import { silentLogger } from '../../ports/logger.js';
import { wrap } from '../../resilience/wrap.js';
import { createFakeClock } from '../../testing/fake-clock.js';
import { withCalendarFaults } from '../../testing/faulty-calendar-provider.js';
import { createCalendarGateway } from './calendar-gateway.js';
import { createEventTypeCheck, type EventTypeCheckRequest } from './event-type-check.js';

const hours = { tuesday: [{ start: '09:00', end: '17:00' }] };

function setup(ttlMs = 60_000) {
  const clock = createFakeClock();
  const memory = createMemoryCalendarProvider({
    clock,
    eventTypes: [{ tenantId: 't', id: 'cut', durationMinutes: 30, timeZone: 'UTC', weeklyHours: hours }],
  });
  const calendar = withCalendarFaults(memory);
  const check = createEventTypeCheck({
    calendar: createCalendarGateway(calendar, wrap()),
    ttlMs,
    clock,
    logger: silentLogger,
  });
  return { clock, memory, calendar, check };
}

const request = (overrides: Partial<EventTypeCheckRequest> = {}): EventTypeCheckRequest => ({
  tenantId: 't',
  eventTypeId: 'cut',
  range: { start: '2026-01-06T10:00:00.000Z', end: '2026-01-06T10:30:00.000Z' },
  subject: 'book command',
  unknownType: 'refuse',
  ...overrides,
});
const refusalPath = async (promise: Promise<void>): Promise<string | undefined> => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return isValidationError(error) ? error.context.issues[0]?.path : undefined;
};
const longer = { start: '2026-01-06T10:00:00.000Z', end: '2026-01-06T11:00:00.000Z' };

describe('event-type check', () => {
  it('asks the calendar again once the list is older than the TTL', async () => {
    const { clock, calendar, check } = setup(60_000);
    await check.check(request());
    await clock.advance(59_999);
    await check.check(request());
    expect(calendar.calls('listEventTypes')).toBe(1);
    await clock.advance(1);
    await check.check(request());
    expect(calendar.calls('listEventTypes')).toBe(2);
  });

  it('shares one fetch between concurrent checks of a tenant', async () => {
    const { calendar, check } = setup();
    await Promise.all([check.check(request()), check.check(request()), check.check(request())]);
    expect(calendar.calls('listEventTypes')).toBe(1);
  });

  it('uses the last list, however old, while the calendar cannot list, refusing only what it knows', async () => {
    const { clock, calendar, check } = setup(60_000);
    await check.check(request());
    await clock.advance(120_000);
    calendar.failNextAs('listEventTypes', 'unavailable', 3);
    expect(await refusalPath(check.check(request({ range: longer })))).toBe('end');
    // Missing from an old list: it may have been added since, so it is not refused.
    await expect(check.check(request({ eventTypeId: 'new-type' }))).resolves.toBeUndefined();
    expect(calendar.calls('listEventTypes')).toBe(3);
  });

  it('refuses an unknown event type only after asking the calendar again', async () => {
    const { memory, calendar, check } = setup();
    await check.check(request());
    expect(await refusalPath(check.check(request({ eventTypeId: 'perm' })))).toBe('eventTypeId');
    expect(calendar.calls('listEventTypes')).toBe(2);
    memory.addEventType({
      tenantId: 't',
      id: 'perm',
      durationMinutes: 60,
      timeZone: 'UTC',
      weeklyHours: hours,
    });
    await expect(check.check(request({ eventTypeId: 'perm', range: longer }))).resolves.toBeUndefined();
  });

  it('leaves an unknown event type to the calendar when asked to skip it, but still checks lengths', async () => {
    const { check } = setup();
    await expect(check.check(request({ eventTypeId: 'gone', unknownType: 'skip' }))).resolves.toBeUndefined();
    expect(await refusalPath(check.check(request({ unknownType: 'skip', range: longer })))).toBe('end');
  });
});
