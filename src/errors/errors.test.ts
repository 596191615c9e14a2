import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BookingKitError, errorGuard, isBookingKitError } from './booking-kit-error.js';
import { InvalidOptionError, isInvalidOptionError } from './invalid-option-error.js';
import { isValidationError, parseWith } from './validation-error.js';
import { checkNumberOption } from '../util/options.js';

describe('BookingKitError', () => {
  it('carries a stable code, frozen context and the cause', () => {
    const cause = new Error('socket hang up');
    const error = new BookingKitError('CALENDAR_DOWN', 'Cal.com is down', { attempts: 3 }, { cause });
    expect(error).toMatchObject({
      code: 'CALENDAR_DOWN',
      message: 'Cal.com is down',
      cause,
      context: { attempts: 3 },
    });
    expect(Object.isFrozen(error.context)).toBe(true);
    expect(error.toJSON()).toEqual({
      name: 'BookingKitError',
      code: 'CALENDAR_DOWN',
      message: 'Cal.com is down',
      context: { attempts: 3 },
    });
  });

  it('is recognised by its guard even from another copy of the package', () => {
    // What a second copy (e.g. the CJS build next to the ESM one) produces: same brand, other class.
    const foreign = Object.assign(new Error('x'), {
      name: 'InvalidOptionError',
      code: 'INVALID_OPTION',
      [Symbol.for('bookingkit.error')]: true,
    });
    expect(foreign instanceof InvalidOptionError).toBe(false);
    expect(isBookingKitError(foreign)).toBe(true);
    expect(isInvalidOptionError(foreign)).toBe(true);
  });

  it('guards reject look-alikes without the brand and errors with another code', () => {
    expect(isBookingKitError(Object.assign(new Error('x'), { code: 'INVALID_OPTION' }))).toBe(false);
    expect(isBookingKitError('INVALID_OPTION')).toBe(false);
    const isOther = errorGuard<BookingKitError<'OTHER'>>('BookingKitError', 'OTHER');
    expect(isOther(new BookingKitError('SAME_NAME_OTHER_CODE', 'x', {}))).toBe(false);
  });
});

describe('option validation', () => {
  it('names the option, the value and the range', () => {
    expect(() => checkNumberOption('retry.maxAttempts', 0, { min: 1, integer: true, max: 10 })).toThrow(
      'Option "retry.maxAttempts" must be an integer from 1 to 10, got 0',
    );
    expect(() => checkNumberOption('timeoutMs', 'soon')).toThrow('got "soon"');
    expect(() => checkNumberOption('timeoutMs', Number.NaN)).toThrow(InvalidOptionError);
    expect(checkNumberOption('attempts', Number.POSITIVE_INFINITY, { allowInfinity: true })).toBe(
      Number.POSITIVE_INFINITY,
    );
  });
});

describe('parseWith', () => {
  it('names each offending field and what was expected', () => {
    const schema = z.object({ customer: z.object({ email: z.email() }), start: z.iso.datetime() });
    let caught: unknown;
    try {
      parseWith(schema, { customer: { email: 'nope' } }, 'BookCommand');
    } catch (error) {
      caught = error;
    }
    expect(isValidationError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(/^Invalid BookCommand: customer\.email: .*; start: /);
    expect(isValidationError(caught) && caught.context.issues.map((i) => i.path)).toEqual([
      'customer.email',
      'start',
    ]);
  });
});
