import { describe, expect, it } from 'vitest';
import { isValidationError } from '../../src/errors/validation-error.js';
import { createBookingHarness, SLOT } from '../support/booking-harness.js';

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error,
  );
}

function issuesOf(error: unknown): { path: string; message: string }[] {
  expect(isValidationError(error)).toBe(true);
  return isValidationError(error) ? [...error.context.issues] : [];
}

describe('BookingService takes input as people and voice agents send it', () => {
  it('books a slot given with a time zone offset and keeps it in UTC', async () => {
    const h = createBookingHarness({ kind: 'memory' });
    const { appointment } = await h.settle(
      h.service.book(h.bookCommand({ start: '2026-01-06T10:00:00+01:00', end: '2026-01-06T10:30:00+01:00' })),
    );
    expect({ start: appointment.start, end: appointment.end }).toEqual(SLOT);
    const stored = await h.stores.appointments.get('acme', appointment.id);
    expect(stored?.start).toBe(SLOT.start);
  });

  it('refuses a start without a time zone and says to add one', async () => {
    const h = createBookingHarness({ kind: 'memory' });
    const error = await failure(h.service.book(h.bookCommand({ start: '2026-01-06T10:00:00' })));
    expect(issuesOf(error)).toEqual([
      {
        path: 'start',
        message:
          'Missing time zone: add a time zone offset or Z, e.g. 2026-01-06T10:00:00Z or 2026-01-06T10:00:00+01:00',
      },
    ]);
  });

  it.each(['12', '+4', '0'])(
    'answers a short phone number %j with the same hint as any invalid one',
    async (phone) => {
      const h = createBookingHarness({ kind: 'memory' });
      const command = h.bookCommand({ customer: { name: 'Ana Example', phone } });
      const error = await failure(h.service.book(command));
      expect(issuesOf(error)).toEqual([
        {
          path: 'phone',
          message: 'is not a valid phone number (include the country code, e.g. +49…, or set defaultCountry)',
        },
      ]);
      expect((await h.stores.appointments.list('acme')).items).toEqual([]);
    },
  );

  it('refuses metadata with a __proto__ key from a JSON body instead of dropping it', async () => {
    const h = createBookingHarness({ kind: 'memory' });
    const metadata = JSON.parse('{"source": "web", "__proto__": {"isAdmin": true}}') as Record<
      string,
      string
    >;
    const error = await failure(h.service.book(h.bookCommand({ metadata })));
    expect(issuesOf(error)).toEqual([
      {
        path: 'metadata.__proto__',
        message: '"__proto__" is a reserved key (it could alter object prototypes); rename it',
      },
    ]);
  });
});
