import { describe, expect, it } from 'vitest';
import type { Appointment } from '../../domain/appointment.js';
import { anAppointment, aCustomer } from '../../testing/fixtures.js';
import { appointmentRepositoryOn } from './memory-appointment-repository.js';
import { customerRepositoryOn } from './memory-customer-repository.js';
import {
  createMemoryDatabase,
  type MemoryDatabase,
  type MemoryRecords,
  type StoreAccess,
} from './memory-database.js';
import { createMemoryOutboxStore } from './memory-outbox-store.js';
import { callRepositoryOn } from './memory-call-repository.js';
import { memoryUnitOfWork } from './memory-unit-of-work.js';
import { systemClock } from '../../ports/clock.js';

/**
 * These tests count the records a table hands to the repositories (every record returned, or
 * yielded by an iterable it returns), so they measure work without timing anything: with
 * thousands of records stored, an operation may visit only the few it is about.
 */
interface Counter {
  visits: number;
}

function* countYields<T>(items: Iterable<T>, counter: Counter): Generator<T> {
  for (const item of items) {
    counter.visits += 1;
    yield item;
  }
}

function countOut(result: unknown, counter: Counter): unknown {
  if (result === null || typeof result !== 'object') return result;
  if (Array.isArray(result)) {
    counter.visits += result.length;
    return result;
  }
  if (Symbol.iterator in result) return countYields(result as Iterable<unknown>, counter);
  if ('tenantId' in result) counter.visits += 1;
  return result;
}

/** `table` with every record that leaves it counted. */
function counted<T extends object>(table: T, counter: Counter): T {
  return new Proxy(table, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        countOut((value as (...a: unknown[]) => unknown).apply(target, args), counter);
    },
  });
}

function countedDatabase(): { database: MemoryDatabase; access: StoreAccess; counter: Counter } {
  const inner = createMemoryDatabase();
  const counter: Counter = { visits: 0 };
  const records: MemoryRecords = {
    appointments: counted(inner.records.appointments, counter),
    customers: counted(inner.records.customers, counter),
    calls: inner.records.calls,
  };
  const access: StoreAccess = {
    read: () => records,
    write: (change, signal) => inner.access.write(() => change(records), signal),
  };
  return { database: { ...inner, records, access }, access, counter };
}

const STORED = 20_000;
const RESOURCES = 20;
const HALF_HOUR = 30 * 60_000;
const FIRST = Date.parse('2031-01-06T00:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();

/** The n-th stored appointment: resources take turns, each keeping every other half hour. */
function stored(n: number, overrides: Partial<Appointment> = {}): Appointment {
  const start = FIRST + 2 * Math.floor(n / RESOURCES) * HALF_HOUR;
  return anAppointment({
    id: `stored-${n}`,
    resourceId: `resource-${n % RESOURCES}`,
    customerId: `customer-${n % 500}`,
    start: iso(start),
    end: iso(start + HALF_HOUR),
    external: {
      calendarBookingUid: `uid-${n}`,
      calendarBookingId: null,
      previousCalendarBookingUids: [`old-${n}`],
    },
    ...overrides,
  });
}

async function seeded(): Promise<ReturnType<typeof countedDatabase>> {
  const world = countedDatabase();
  const repo = appointmentRepositoryOn(world.access);
  for (let n = 0; n < STORED; n += 1) await repo.insert(stored(n));
  world.counter.visits = 0;
  return world;
}

/** A free half hour of resource-3, between two of its stored appointments, mid-way. */
const gap = (): { start: string; end: string } => {
  const start = Date.parse(stored(STORED / 2 + 3).end);
  return { start: iso(start), end: iso(start + HALF_HOUR) };
};

describe('memory appointment repository at scale', () => {
  it('checks a new booking for overlaps by visiting only its neighbours', async () => {
    const { access, counter } = await seeded();
    const repo = appointmentRepositoryOn(access);
    await repo.insert(anAppointment({ id: 'new', resourceId: 'resource-3', ...gap() }));
    expect(counter.visits).toBeLessThanOrEqual(4);
    counter.visits = 0;
    const clash = stored(STORED / 2 + 3, { id: 'clash' });
    await expect(repo.insert(clash)).rejects.toMatchObject({
      code: 'SLOT_CONFLICT',
      context: { conflictingAppointmentId: `stored-${STORED / 2 + 3}` },
    });
    expect(counter.visits).toBeLessThanOrEqual(4);
  });

  it('confirms and moves an appointment by visiting only its neighbours', async () => {
    const { access, counter } = await seeded();
    const repo = appointmentRepositoryOn(access);
    const target = stored(STORED / 2 + 3);
    await repo.update({ ...target, ...gap(), version: 2 }, 1);
    expect(counter.visits).toBeLessThanOrEqual(5);
    await repo.insert(
      anAppointment({
        id: 'takes-the-old-slot',
        resourceId: 'resource-3',
        start: target.start,
        end: target.end,
      }),
    );
  });

  it('lists the appointments changed since an instant by visiting only those, page by page', async () => {
    const { access, counter } = await seeded();
    const repo = appointmentRepositoryOn(access);
    const later = Date.parse('2031-02-01T00:00:00.000Z');
    for (let k = 0; k < 30; k += 1) {
      const target = stored(k * 600 + 7);
      await repo.update({ ...target, status: 'cancelled', version: 2, updatedAt: iso(later + k * 1000) }, 1);
    }
    counter.visits = 0;
    const first = await repo.list('tenant-a', { orderBy: 'updatedAt', updatedSince: iso(later), limit: 10 });
    expect(first.items.map((a) => a.id)).toEqual(
      Array.from({ length: 10 }, (_, k) => `stored-${k * 600 + 7}`),
    );
    expect(counter.visits).toBeLessThanOrEqual(11);
    counter.visits = 0;
    const second = await repo.list('tenant-a', {
      orderBy: 'updatedAt',
      updatedSince: iso(later),
      limit: 10,
      cursor: first.nextCursor!,
    });
    expect(second.items.map((a) => a.id)).toEqual(
      Array.from({ length: 10 }, (_, k) => `stored-${(k + 10) * 600 + 7}`),
    );
    // The cursor's own record, the page, and one more to tell that another page exists.
    expect(counter.visits).toBeLessThanOrEqual(12);
  });

  it('finds an appointment by its current or a previous calendar uid directly', async () => {
    const { access, counter } = await seeded();
    const repo = appointmentRepositoryOn(access);
    expect((await repo.findByCalendarUid('tenant-a', 'uid-777'))?.id).toBe('stored-777');
    expect((await repo.findByCalendarUid('tenant-a', 'old-778'))?.id).toBe('stored-778');
    expect(await repo.findByCalendarUid('tenant-a', 'unknown')).toBeNull();
    expect(counter.visits).toBeLessThanOrEqual(3);
  });

  it('lists a time window page by page, visiting about one page per page', async () => {
    const { access, counter } = await seeded();
    const repo = appointmentRepositoryOn(access);
    const from = iso(FIRST + 100 * HALF_HOUR);
    const to = iso(FIRST + 110 * HALF_HOUR);
    const first = await repo.list('tenant-a', { from, to, limit: 10 });
    const second = await repo.list('tenant-a', { from, to, limit: 10, cursor: first.nextCursor! });
    expect(first.items.map((a) => a.id)).toEqual(Array.from({ length: 10 }, (_, i) => `stored-${1000 + i}`));
    expect(second.items.map((a) => a.id)).toEqual(Array.from({ length: 10 }, (_, i) => `stored-${1010 + i}`));
    expect(counter.visits).toBeLessThanOrEqual(2 * (10 + 1 + RESOURCES));
  });

  it('lists the appointments of a customer, of a resource and of an event type without the others', async () => {
    const { access, counter } = await seeded();
    const repo = appointmentRepositoryOn(access);
    const ofCustomer = await repo.list('tenant-a', { customerId: 'customer-7', limit: 5 });
    expect(ofCustomer.items.map((a) => a.id)).toEqual([
      'stored-7',
      'stored-507',
      'stored-1007',
      'stored-1507',
      'stored-2007',
    ]);
    const ofResource = await repo.list('tenant-a', {
      resourceId: 'resource-3',
      statuses: ['confirmed'],
      limit: 2,
    });
    expect(ofResource.items.map((a) => a.id)).toEqual(['stored-3', 'stored-23']);
    const ofEventType = await repo.list('tenant-a', { eventTypeId: 'event-type-1', limit: 2 });
    expect(ofEventType.items.map((a) => a.id)).toEqual(['stored-0', 'stored-1']);
    expect(counter.visits).toBeLessThanOrEqual(6 + 3 + 3);
  });

  it('keeps to the indexes inside a unit of work, and a rolled-back move leaves them as they were', async () => {
    const { database, counter } = await seeded();
    const outbox = createMemoryOutboxStore();
    const uow = memoryUnitOfWork(database, outbox, (access, box) => ({
      appointments: appointmentRepositoryOn(access),
      customers: customerRepositoryOn(access),
      calls: callRepositoryOn(access, systemClock),
      outbox: box,
    }));
    const target = stored(STORED / 2 + 3);
    await expect(
      uow.run(async (tx) => {
        await tx.appointments.update({ ...target, ...gap(), version: 2 }, 1);
        await tx.appointments.insert(
          anAppointment({
            id: 'in-old-slot',
            resourceId: 'resource-3',
            start: target.start,
            end: target.end,
          }),
        );
        expect(
          (await tx.appointments.findByCalendarUid('tenant-a', target.external.calendarBookingUid!))?.start,
        ).toBe(gap().start);
        const listed = await tx.appointments.list('tenant-a', {
          resourceId: 'resource-3',
          from: target.start,
          limit: 2,
        });
        expect(listed.items.map((a) => a.id)).toEqual(['in-old-slot', target.id]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(counter.visits).toBeLessThanOrEqual(20);
    const repo = appointmentRepositoryOn(database.access);
    await expect(
      repo.insert(
        anAppointment({ id: 'after', resourceId: 'resource-3', start: target.start, end: target.end }),
      ),
    ).rejects.toMatchObject({ code: 'SLOT_CONFLICT' });
    await repo.insert(anAppointment({ id: 'in-the-gap', resourceId: 'resource-3', ...gap() }));
    const listed = await repo.list('tenant-a', { resourceId: 'resource-3', from: target.start, limit: 2 });
    expect(listed.items.map((a) => a.id)).toEqual([target.id, 'in-the-gap']);
  });
});

describe('memory customer repository at scale', () => {
  it('finds and checks phones and emails without visiting the other customers', async () => {
    const { access, counter } = countedDatabase();
    const repo = customerRepositoryOn(access);
    for (let n = 0; n < STORED; n += 1)
      await repo.insert(
        aCustomer({ id: `c-${n}`, phone: `+4930${String(n).padStart(7, '0')}`, email: `c-${n}@example.com` }),
      );
    counter.visits = 0;
    expect((await repo.findByPhone('tenant-a', '+49300001234'))?.id).toBe('c-1234');
    expect((await repo.findByEmail('tenant-a', 'C-4321@Example.com'))?.id).toBe('c-4321');
    await expect(repo.insert(aCustomer({ email: 'C-99@EXAMPLE.COM' }))).rejects.toMatchObject({
      code: 'DUPLICATE_RECORD',
    });
    expect(counter.visits).toBeLessThanOrEqual(4);
  });
});
