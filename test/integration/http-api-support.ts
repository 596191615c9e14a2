import type { MemoryCalendarEventTypeInput } from '../../src/adapters/memory/memory-calendar-schedule.js';
import { createBookingApi } from '../../src/http/api/booking-api.js';
import type { ApiHandler } from '../../src/http/api/serve-routes.js';
import type { BookingApiOptions } from '../../src/http/api/booking-api-options.js';
import { createBookingKit, type BookingKit } from '../../src/kit/booking-kit.js';
import { hashApiKey } from '../../src/tenancy/api-key.js';
import { createFakeClock, type FakeClock } from '../../src/testing/fake-clock.js';

/** Monday 2026-01-05, 08:00 UTC. */
export const NOW = '2026-01-05T08:00:00.000Z';
export const ACME_KEY = 'sk_test_acme_0123456789';
export const GLOBEX_KEY = 'sk_test_globex_0123456789';
/** A free 30-minute slot on Tuesday (10:00 in Berlin). */
export const SLOT = { start: '2026-01-06T09:00:00.000Z', end: '2026-01-06T09:30:00.000Z' };

const weekday = [{ start: '09:00', end: '17:00' }];
const consult = (tenantId: string): MemoryCalendarEventTypeInput => ({
  tenantId,
  id: 'consult',
  durationMinutes: 30,
  timeZone: 'Europe/Berlin',
  weeklyHours: { monday: weekday, tuesday: weekday, wednesday: weekday, thursday: weekday, friday: weekday },
});

/** Two tenants with an API key each, on memory defaults and a fake clock, and the API over them. */
export interface ApiWorld {
  readonly kit: BookingKit;
  readonly clock: FakeClock;
  readonly api: ApiHandler;
  /** Sends a request to the API as `key` (no Authorization header when `key` is null). */
  call(
    method: string,
    path: string,
    init?: { key?: string | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
  /** Books `range` for acme through the API and returns the appointment's id. */
  book(range?: { start: string; end: string }, key?: string): Promise<string>;
}

export function apiWorld(options: Partial<BookingApiOptions> = {}): ApiWorld {
  const clock = createFakeClock(NOW);
  const kit = createBookingKit({
    clock,
    tenants: [
      { id: 'acme', name: 'Acme', timeZone: 'Europe/Berlin', apiKeyHashes: [hashApiKey(ACME_KEY)] },
      { id: 'globex', name: 'Globex', timeZone: 'Europe/Berlin', apiKeyHashes: [hashApiKey(GLOBEX_KEY)] },
      {
        id: 'initech',
        name: 'Initech',
        status: 'suspended',
        apiKeyHashes: [hashApiKey('sk_test_initech_0123')],
      },
    ],
    eventTypes: [consult('acme'), consult('globex')],
  });
  const api = createBookingApi({ ...kit, ...options });
  const call: ApiWorld['call'] = (method, path, init = {}) => {
    const headers = new Headers(init.headers);
    const key = init.key === undefined ? ACME_KEY : init.key;
    if (key !== null) headers.set('authorization', `Bearer ${key}`);
    let body: string | undefined;
    if (init.body !== undefined) {
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
    return api.handle(
      new Request(`http://localhost${path}`, { method, headers, ...(body === undefined ? {} : { body }) }),
    );
  };
  let keys = 0;
  return {
    kit,
    clock,
    api,
    call,
    async book(range = SLOT, key = `book-${(keys += 1)}`) {
      const response = await call('POST', '/api/appointments', {
        body: bookBody(range),
        headers: { 'idempotency-key': key },
      });
      if (response.status !== 201) throw new Error(`book: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { appointment: { id: string } }).appointment.id;
    },
  };
}

export function bookBody(range: { start: string; end: string } = SLOT): Record<string, unknown> {
  return {
    eventTypeId: 'consult',
    ...range,
    timeZone: 'Europe/Berlin',
    customer: { name: 'Ana Example', email: 'ana@example.com' },
  };
}
