import { describe, expect, it } from 'vitest';
import { BookingKitError } from '../errors/booking-kit-error.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { DuplicateRecordError, NotFoundError, VersionConflictError } from '../errors/store-errors.js';
import { ValidationError } from '../errors/validation-error.js';
import { PayloadTooLargeError, WebhookSignatureError } from './errors.js';
import { jsonResponse } from './json-response.js';
import { problemResponse, type ProblemDetails } from './problem.js';

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
      problemResponse(new BookingKitError('CORRUPT_RECORD', 'row 7 in secret_table', {})),
    );
    expect(problem.status).toBe(500);
    expect(problem.code).toBeUndefined();
    expect(JSON.stringify(problem)).not.toContain('secret_table');
  });

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
