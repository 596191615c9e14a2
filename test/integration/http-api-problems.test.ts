import { describe, expect, it } from 'vitest';
import { CalendarUnavailableError } from '../../src/booking/service/errors.js';
import type { BookingService } from '../../src/booking/service/booking-service.js';
import { BulkheadRejectedError } from '../../src/resilience/errors.js';
import { NOW, apiWorld, bookBody } from './http-api-support.js';

/** The API over a kit whose service's `book` does what `book` says. */
function withBook(book: BookingService['book']) {
  const base = apiWorld();
  return apiWorld({ service: { ...base.kit.service, book } });
}

const post = { body: bookBody(), headers: { 'idempotency-key': 'k' } };

describe('createBookingApi: problem details of failures', () => {
  it('answers an unavailable calendar with 503 and Retry-After from its retry time, without internals', async () => {
    const retryAt = new Date(Date.parse(NOW) + 30_000).toISOString();
    const world = withBook(() =>
      Promise.reject(new CalendarUnavailableError({ tenantId: 'acme', operation: 'create', retryAt })),
    );
    const response = await world.call('POST', '/api/appointments', post);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('30');
    const problem = (await response.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({ type: 'about:blank', title: 'Service Unavailable', status: 503 });
    expect(problem.code).toBeUndefined();
    expect(String(problem.detail)).not.toContain('acme');
  });

  it('answers overload (a full bulkhead) with 503 and Retry-After from its hint', async () => {
    const world = withBook(() =>
      Promise.reject(new BulkheadRejectedError({ maxConcurrent: 64, maxQueue: 64, retryAfterMs: 2_500 })),
    );
    const response = await world.call('POST', '/api/appointments', post);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('3');
  });

  it('answers 202 when the calendar change was queued, and 500 without detail for an unknown failure', async () => {
    const base = apiWorld();
    const booked = await base.kit.service.book({
      ...(bookBody() as object),
      tenantId: 'acme',
      origin: 'api',
      actor: { type: 'staff' },
      idempotencyKey: 'direct',
    } as Parameters<BookingService['book']>[0]);
    const queued = withBook(() => Promise.resolve({ ...booked, calendar: 'queued' as const }));
    expect((await queued.call('POST', '/api/appointments', post)).status).toBe(202);

    const broken = withBook(() => Promise.reject(new Error('database password is hunter2')));
    const response = await broken.call('POST', '/api/appointments', post);
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('hunter2');
  });
});
