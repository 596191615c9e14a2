import { describe, expect, it } from 'vitest';
import {
  CalendarOutsideBookingHoursError,
  CalendarRequestRejectedError,
  CalendarSlotUnavailableError,
  InvalidTransitionError,
  SlotConflictError,
} from '../booking/errors.js';
import { CalendarUnavailableError } from '../booking/service/errors.js';
import { BookingKitError } from '../errors/booking-kit-error.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import {
  CorruptRecordError,
  DuplicateRecordError,
  NotFoundError,
  StorageUnavailableError,
  VersionConflictError,
} from '../errors/store-errors.js';
import { ValidationError } from '../errors/validation-error.js';
import { IdempotencyInProgressError, IdempotencyMismatchError } from '../idempotency/errors.js';
import { BrokenCircuitError, BulkheadRejectedError, TimeoutError } from '../resilience/errors.js';
import { SagaInProgressError } from '../saga/saga-errors.js';
import { UnknownTenantError, TenantSuspendedError } from '../tenancy/errors.js';
import { createFakeClock } from '../testing/fake-clock.js';
import { PayloadTooLargeError, WebhookSignatureError } from './errors.js';
import { jsonResponse } from './json-response.js';
import { problemResponse, type ProblemDetails } from './problem.js';

const requested = { start: '2026-01-05T10:00:00.000Z', end: '2026-01-05T10:30:00.000Z' };
const slotConflict = new SlotConflictError({
  tenantId: 't1',
  resourceId: 'et1',
  requested,
  conflictingAppointmentId: 'a9',
  alternatives: [],
});

function brokenCircuit(retryAt: number | null): BrokenCircuitError {
  return new BrokenCircuitError({
    breaker: 'calcom',
    state: 'open',
    retryAt,
    retryAfterMs: null,
    reason: '5 consecutive failures',
  });
}

async function problemOf(response: Response): Promise<ProblemDetails> {
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  return (await response.json()) as ProblemDetails;
}

describe('problemResponse', () => {
  it.each([
    [new ValidationError('BookCommand', [{ path: 'start', message: 'Required' }]), 400, 'Bad Request'],
    [new WebhookSignatureError('mismatch'), 401, 'Unauthorized'],
    [new NotFoundError({ entity: 'Appointment', id: 'a1' }), 404, 'Not Found'],
    [
      new VersionConflictError({ entity: 'Appointment', id: 'a1', expectedVersion: 1, actualVersion: 2 }),
      409,
      'Conflict',
    ],
    [new DuplicateRecordError({ entity: 'Customer', field: 'phone', value: '+1' }), 409, 'Conflict'],
    [
      new PayloadTooLargeError({ limitBytes: 10, contentLength: 20, receivedBytes: 0 }),
      413,
      'Content Too Large',
    ],
  ])('maps %s to %i with its code and message', async (error, status, title) => {
    const response = problemResponse(error);
    expect(response.status).toBe(status);
    expect(await problemOf(response)).toMatchObject({
      type: 'about:blank',
      title,
      status,
      code: error.code,
      detail: error.message,
    });
  });

  it.each([
    [slotConflict, 409],
    [new CalendarSlotUnavailableError({ tenantId: 't1', eventTypeId: 'et1', requested }), 409],
    [
      new CalendarOutsideBookingHoursError({
        tenantId: 't1',
        eventTypeId: 'et1',
        requested,
        reason: 'closed',
      }),
      422,
    ],
    [new InvalidTransitionError({ appointmentId: 'a1', from: 'cancelled', command: 'confirm' }), 409],
    [
      new IdempotencyMismatchError({ tenantId: 't1', key: 'k1', fingerprint: 'f2', storedFingerprint: 'f1' }),
      422,
    ],
    [new IdempotencyInProgressError({ tenantId: 't1', key: 'k1', lockExpiresAt: 0, waitedMs: 0 }), 409],
    [new UnknownTenantError({ by: 'phoneNumber', value: '+1555***' }), 404],
    [new TenantSuspendedError({ tenantId: 't1' }), 403],
  ])('maps %s to %i, telling the caller its code', async (error, status) => {
    const response = problemResponse(error);
    expect(response.status).toBe(status);
    expect(await problemOf(response)).toMatchObject({ status, code: error.code, detail: error.message });
  });

  it.each([
    [
      new CalendarUnavailableError({ tenantId: 't1', operation: 'create', retryAt: null }),
      503,
      'Service Unavailable',
    ],
    [brokenCircuit(null), 503, 'Service Unavailable'],
    [new BulkheadRejectedError({ maxConcurrent: 4, maxQueue: 8 }), 503, 'Service Unavailable'],
    [new TimeoutError({ timeoutMs: 5_000 }), 504, 'Gateway Timeout'],
    [
      new CalendarRequestRejectedError({
        tenantId: 't1',
        operation: 'createBooking',
        reason: 'not_found',
        status: 404,
        detail: 'event type 42 not found',
      }),
      502,
      'Bad Gateway',
    ],
    [
      new CorruptRecordError({ store: 'postgres:secret_table', key: 'row 7', problem: 'bad' }),
      500,
      'Internal Server Error',
    ],
  ])('maps %s to %i on purpose, with a fixed sentence and no code', async (error, status, title) => {
    const response = problemResponse(error);
    expect(response.status).toBe(status);
    const problem = await problemOf(response);
    expect(problem).toMatchObject({ type: 'about:blank', title, status });
    expect(problem.code).toBeUndefined();
    expect(problem.detail).not.toBe(error.message);
    expect(JSON.stringify(problem)).not.toMatch(/secret_table|calcom|event type 42/);
  });

  it('offers the alternatives of a slot conflict', async () => {
    const alternatives = [
      { start: '2026-01-05T11:00:00.000Z', end: '2026-01-05T11:30:00.000Z' },
      { start: '2026-01-05T13:00:00.000Z', end: '2026-01-05T13:30:00.000Z' },
    ];
    const problem = await problemOf(problemResponse(slotConflict.withAlternatives(alternatives)));
    expect(problem.alternatives).toEqual(alternatives);
    expect((await problemOf(problemResponse(slotConflict))).alternatives).toEqual([]);
    expect(
      (await problemOf(problemResponse(new TenantSuspendedError({ tenantId: 't1' })))).alternatives,
    ).toBe(undefined);
  });

  describe('Retry-After', () => {
    const clock = createFakeClock('2026-01-05T09:00:00.000Z');

    it('says when an open circuit lets a call through again, in whole seconds rounded up', () => {
      const response = problemResponse(brokenCircuit(clock.now() + 29_001), { clock });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('30');
    });

    it('says when the calendar may be tried again', () => {
      const error = new CalendarUnavailableError({
        tenantId: 't1',
        operation: 'reschedule',
        retryAt: '2026-01-05T09:02:00.000Z',
      });
      expect(problemResponse(error, { clock }).headers.get('retry-after')).toBe('120');
    });

    it('says when a concurrent twin’s idempotency lock or saga lease runs out', () => {
      const inProgress = new IdempotencyInProgressError({
        tenantId: 't1',
        key: 'k1',
        lockExpiresAt: clock.now() + 5_000,
        waitedMs: 0,
      });
      expect(problemResponse(inProgress, { clock }).headers.get('retry-after')).toBe('5');
      const sagaBusy = new SagaInProgressError({
        sagaId: 's1',
        saga: 'book',
        leaseOwner: 'w2',
        leaseExpiresAt: clock.now() + 10_000,
      });
      expect(problemResponse(sagaBusy, { clock }).headers.get('retry-after')).toBe('10');
    });

    it('asks for at least one second when the time has already come', () => {
      expect(problemResponse(brokenCircuit(clock.now() - 5_000), { clock }).headers.get('retry-after')).toBe(
        '1',
      );
    });

    it('is left out when the error does not know when to retry', () => {
      expect(problemResponse(brokenCircuit(null), { clock }).headers.has('retry-after')).toBe(false);
      const unknown = new CalendarUnavailableError({ tenantId: 't1', operation: 'cancel', retryAt: null });
      expect(problemResponse(unknown, { clock }).headers.has('retry-after')).toBe(false);
    });

    it('asks a caller refused by a bulkhead to come back after its hint', () => {
      const refused = (retryAfterMs?: number) =>
        new BulkheadRejectedError({
          maxConcurrent: 1,
          maxQueue: 0,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        });
      const response = problemResponse(refused(), { clock });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(problemResponse(refused(2_500), { clock }).headers.get('retry-after')).toBe('3');
      expect(problemResponse(refused(0), { clock }).headers.get('retry-after')).toBe('1');
    });

    it('asks a caller to come back when the database was out of reach, without its details', async () => {
      const cause = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' });
      const response = problemResponse(
        new StorageUnavailableError({ store: 'postgres', retryAfterMs: 5_000 }, { cause }),
        { clock },
      );
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(await response.text()).not.toContain('10.0.0.5');
    });

    it('gives way to a Retry-After the caller sets', () => {
      const response = problemResponse(brokenCircuit(clock.now() + 60_000), {
        clock,
        headers: { 'retry-after': '5' },
      });
      expect(response.headers.get('retry-after')).toBe('5');
    });
  });

  it('lists each offending field of a validation error', async () => {
    const issues = [
      { path: 'customer.email', message: 'Invalid email' },
      { path: 'start', message: 'Required' },
    ];
    expect((await problemOf(problemResponse(new ValidationError('BookCommand', issues)))).issues).toEqual(
      issues,
    );
  });

  it('never says which check a signature failed', async () => {
    const problem = await problemOf(problemResponse(new WebhookSignatureError('stale')));
    expect(JSON.stringify(problem)).not.toContain('stale');
    expect(problem.detail).toBe('Webhook signature verification failed');
  });

  it('answers 500 with a fixed sentence for an unknown error, revealing nothing of it', async () => {
    const response = problemResponse(new Error('connect ECONNREFUSED postgres://admin:hunter2@db'));
    expect(response.status).toBe(500);
    const problem = await problemOf(response);
    expect(problem).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'The request could not be processed because of an internal error',
    });
  });

  it('answers 500 without the code for a bookingkit error with no mapping', async () => {
    const problem = await problemOf(
      problemResponse(new BookingKitError('SOMETHING_NEW', 'row 7 in secret_table', {})),
    );
    expect(problem.status).toBe(500);
    expect(problem.code).toBeUndefined();
    expect(JSON.stringify(problem)).not.toContain('secret_table');
  });

  it.each(['constructor', 'toString', '__proto__'])(
    'answers 500 for a code named like an object property (%s)',
    (code) => {
      expect(problemResponse(new BookingKitError(code, 'x', {})).status).toBe(500);
    },
  );

  it('uses extra statuses before the built-in table', async () => {
    const slotTaken = new BookingKitError('SLOT_CONFLICT', 'That slot was just taken', {});
    expect(problemResponse(slotTaken, { statuses: { SLOT_CONFLICT: 409 } }).status).toBe(409);
    expect(
      problemResponse(new NotFoundError({ entity: 'X', id: '1' }), { statuses: { NOT_FOUND: 410 } }).status,
    ).toBe(410);
    expect((await problemOf(problemResponse(slotTaken, { statuses: { SLOT_CONFLICT: 418 } }))).title).toBe(
      'HTTP 418',
    );
  });

  it('adds the given headers and keeps its own content type', () => {
    const response = problemResponse(new Error('x'), {
      headers: { 'retry-after': '30', 'content-type': 'text/plain' },
    });
    expect(response.headers.get('retry-after')).toBe('30');
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it.each([200, 302, 600, 404.5])('refuses an extra status of %s', (status) => {
    expect(() => problemResponse(new Error('x'), { statuses: { SOME_CODE: status } })).toThrow(
      InvalidOptionError,
    );
  });
});

describe('jsonResponse', () => {
  it('serialises the body with a JSON content type and the given status', async () => {
    const response = jsonResponse(201, { id: 'a1', name: 'Zoë' });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ id: 'a1', name: 'Zoë' });
  });

  it('keeps the caller’s headers and content type', () => {
    const response = jsonResponse(200, [], {
      headers: { 'content-type': 'application/vnd.api+json', 'x-id': '1' },
    });
    expect(response.headers.get('content-type')).toBe('application/vnd.api+json');
    expect(response.headers.get('x-id')).toBe('1');
  });

  it('serialises null', async () => {
    expect(await jsonResponse(200, null).text()).toBe('null');
  });

  it.each([204, 205, 304, 199, 600, 200.5])('refuses status %s', (status) => {
    expect(() => jsonResponse(status, {})).toThrow(InvalidOptionError);
  });

  it('refuses a body JSON cannot represent', () => {
    expect(() => jsonResponse(200, undefined)).toThrow(TypeError);
    expect(() => jsonResponse(200, { n: 1n })).toThrow(TypeError);
  });
});
