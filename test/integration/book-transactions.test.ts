import { expect, it } from 'vitest';
import { createPostgresIdempotencyStore } from '../../src/adapters/postgres/postgres-idempotency-store.js';
import { createPostgresSagaStore } from '../../src/adapters/postgres/postgres-saga-store.js';
import { createPostgresStores } from '../../src/adapters/postgres/postgres-stores.js';
import type { SqlClient } from '../../src/adapters/postgres/sql-client.js';
import { createBookingKit } from '../../src/kit/booking-kit.js';
import { createFakeClock } from '../../src/testing/fake-clock.js';
import { recordingSql } from '../support/recording-sql.js';
import { describeOnDatabases } from './postgres-test-database.js';

const weekday = [{ start: '09:00', end: '17:00' }];
const command = (n: number) => ({
  tenantId: 'acme',
  origin: 'voice' as const,
  actor: { type: 'agent' as const, id: 'agent_1' },
  idempotencyKey: `call_${n}:book`,
  eventTypeId: 'consult',
  start: `2026-01-06T${String(9 + n).padStart(2, '0')}:00:00.000Z`,
  end: `2026-01-06T${String(9 + n).padStart(2, '0')}:30:00.000Z`,
  timeZone: 'Europe/Berlin',
  customer: { name: 'Ana', phone: `+49301234567${n}` },
});

/** A booking made in Cal.com, recorded as it is (the Cal.com webhook's book command), on Wednesday at `n` h. */
const imported = (n: number, status: 'accepted' | 'pending' = 'accepted') => ({
  ...command(n),
  origin: 'calcom' as const,
  calendar: 'already_applied' as const,
  actor: { type: 'customer' as const },
  idempotencyKey: `calcom:uid_${n}`,
  start: `2026-01-07T${String(n).padStart(2, '0')}:00:00.000Z`,
  end: `2026-01-07T${String(n).padStart(2, '0')}:30:00.000Z`,
  customer: { name: 'Ana', email: `ana${n}@example.com` },
  metadata: { source: 'calcom' },
  existingCalendarBooking: { uid: `uid_${n}`, id: String(1000 + n), status },
});

function kitOn(client: SqlClient, schema: string, layout: 'joined' | 'separate') {
  const clock = createFakeClock('2026-01-05T08:00:00.000Z');
  const stores = createPostgresStores({ sql: client, schema, clock });
  return createBookingKit({
    clock,
    stores,
    ...(layout === 'separate'
      ? {
          sagas: createPostgresSagaStore({ sql: client, schema }),
          idempotency: createPostgresIdempotencyStore({ sql: client, schema }),
        }
      : {}),
    tenants: [{ id: 'acme' }],
    eventTypes: [
      {
        tenantId: 'acme',
        id: 'consult',
        durationMinutes: 30,
        timeZone: 'Europe/Berlin',
        weeklyHours: { monday: weekday, tuesday: weekday },
      },
    ],
  });
}

const writes = (statements: readonly string[]) =>
  statements.filter((text) => /^\s*(INSERT|UPDATE|DELETE)/i.test(text));

/** The tables each transaction wrote to, in order. */
const tablesOf = (units: readonly (readonly string[])[]) =>
  units.map((statements) =>
    writes(statements).map((text) => /(INSERT INTO|UPDATE)\s+\S*\.(\w+)/i.exec(text)?.[2]),
  );

describeOnDatabases('the transactions of a book on Postgres', (database) => {
  it("commits twice with the saga log and idempotency store in the stores' transactions, with no savepoint", async () => {
    const { sql, schema } = database();
    const recorder = recordingSql(sql);
    const kit = kitOn(recorder.client, schema, 'joined');
    await kit.service.book(command(0)); // warms the event-type cache
    recorder.reset();

    const result = await kit.service.book(command(1));
    expect(result.appointment.status).toBe('confirmed');
    // (1) claim, customer, hold and the saga's creation (and the outbox rows of queued listeners
    // of its events, if any); (2) the confirmation, its outbox rows, the saga's completion and
    // the idempotency answer.
    expect(recorder.units).toHaveLength(2);
    expect(writes(recorder.outside)).toEqual([]);
    const tables = recorder.units.map((statements) =>
      writes(statements).map((text) => /(INSERT INTO|UPDATE)\s+\S*\.(\w+)/i.exec(text)?.[2]),
    );
    expect(tables[0]).toEqual(
      expect.arrayContaining([
        'bookingkit_idempotency',
        'bookingkit_customers',
        'bookingkit_appointments',
        'bookingkit_sagas',
      ]),
    );
    expect(tables[1]).toEqual(
      expect.arrayContaining([
        'bookingkit_appointments',
        'bookingkit_outbox',
        'bookingkit_sagas',
        'bookingkit_idempotency',
      ]),
    );
    expect(recorder.units.flat().filter((text) => /SAVEPOINT/i.test(text))).toEqual([]);

    const replay = await kit.service.book(command(1));
    expect(replay).toMatchObject({ replayed: true, appointment: result.appointment });
    await kit.close();
  });

  it('writes the claim, the saga log and the answer on their own with stores passed separately', async () => {
    const { sql, schema } = database();
    const recorder = recordingSql(sql);
    const kit = kitOn(recorder.client, schema, 'separate');
    await kit.service.book(command(2));
    recorder.reset();
    await kit.service.book(command(3));
    // The hold and the confirmation are still one transaction each (with their outbox rows); the
    // claim, the saga's writes and the answer commit outside them.
    expect(recorder.units).toHaveLength(2);
    const outsideTables = writes(recorder.outside).map(
      (text) => /(INSERT INTO|UPDATE)\s+\S*\.(\w+)/i.exec(text)?.[2],
    );
    expect(outsideTables).toEqual(expect.arrayContaining(['bookingkit_idempotency', 'bookingkit_sagas']));
    await kit.close();
  });

  it('reschedules in two transactions that carry the idempotency claim and answer, with no read-back', async () => {
    const { sql, schema } = database();
    const recorder = recordingSql(sql);
    const kit = kitOn(recorder.client, schema, 'joined');
    const booked = await kit.service.book(command(4));
    recorder.reset();

    const moved = await kit.service.reschedule({
      tenantId: 'acme',
      origin: 'voice',
      actor: { type: 'agent', id: 'agent_1' },
      idempotencyKey: 'call_4:move',
      target: { appointmentId: booked.appointment.id },
      start: '2026-01-06T15:00:00.000Z',
      end: '2026-01-06T15:30:00.000Z',
    });
    expect(moved.appointment).toMatchObject({ start: '2026-01-06T15:00:00.000Z', status: 'confirmed' });
    expect(recorder.units).toHaveLength(2);
    expect(writes(recorder.outside)).toEqual([]);
    const tables = tablesOf(recorder.units);
    expect(tables[0]).toEqual(
      expect.arrayContaining(['bookingkit_idempotency', 'bookingkit_appointments', 'bookingkit_sagas']),
    );
    expect(tables[1]).toEqual(
      expect.arrayContaining(['bookingkit_appointments', 'bookingkit_sagas', 'bookingkit_idempotency']),
    );
    // The appointment is read once, before the saga starts, and in each step's transaction: not
    // again to answer.
    const lastReads = recorder.outside.filter(
      (text) => /^\s*SELECT/i.test(text) && /appointments/.test(text),
    );
    expect(lastReads).toHaveLength(1);
    expect(
      await kit.service.reschedule({
        tenantId: 'acme',
        origin: 'voice',
        actor: { type: 'agent', id: 'agent_1' },
        idempotencyKey: 'call_4:move',
        target: { appointmentId: booked.appointment.id },
        start: '2026-01-06T15:00:00.000Z',
        end: '2026-01-06T15:30:00.000Z',
      }),
    ).toMatchObject({ replayed: true, appointment: moved.appointment });
    await kit.close();
  });

  it('cancels with the claim in the transaction that creates the saga and the answer in the last', async () => {
    const { sql, schema } = database();
    const recorder = recordingSql(sql);
    const kit = kitOn(recorder.client, schema, 'joined');
    const booked = await kit.service.book(command(5));
    recorder.reset();
    const cancel = {
      tenantId: 'acme',
      origin: 'voice' as const,
      actor: { type: 'agent' as const, id: 'agent_1' },
      idempotencyKey: 'call_5:cancel',
      target: { appointmentId: booked.appointment.id },
    };
    const cancelled = await kit.service.cancel(cancel);
    expect(cancelled.appointment.status).toBe('cancelled');
    expect(recorder.units).toHaveLength(2);
    expect(writes(recorder.outside)).toEqual([]);
    const tables = tablesOf(recorder.units);
    expect(tables[0]).toEqual(['bookingkit_idempotency', 'bookingkit_sagas']);
    expect(tables[1]).toEqual(
      expect.arrayContaining(['bookingkit_appointments', 'bookingkit_sagas', 'bookingkit_idempotency']),
    );
    expect(await kit.service.cancel(cancel)).toMatchObject({
      replayed: true,
      appointment: cancelled.appointment,
    });

    // Cancelling what is cancelled already runs no saga, but the key is still claimed and answered.
    recorder.reset();
    const again = await kit.service.cancel({ ...cancel, idempotencyKey: 'call_5:cancel-again' });
    expect(again).toMatchObject({ replayed: false, calendar: 'not_needed' });
    expect(tablesOf(recorder.units)).toEqual([['bookingkit_idempotency', 'bookingkit_idempotency']]);
    await expect(
      kit.service.cancel({ ...cancel, idempotencyKey: 'call_5:cancel-again', reason: 'other body' }),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_MISMATCH' });
    await kit.close();
  });
  it('records a booking the calendar has already (already_applied) in one transaction, with no saga', async () => {
    const { sql, schema } = database();
    const recorder = recordingSql(sql);
    const kit = kitOn(recorder.client, schema, 'joined');
    await kit.service.book(imported(1));
    recorder.reset();

    const result = await kit.service.book(imported(2));
    expect(result).toMatchObject({ replayed: false, calendar: 'not_needed' });
    expect(result.appointment).toMatchObject({
      status: 'confirmed',
      external: { calendarBookingUid: 'uid_2', calendarBookingId: '1002' },
      sync: { status: 'synced' },
    });
    // The claim, the customer, the appointment at its final status, its outbox rows and the
    // answer: one commit, nothing written outside it, no saga record.
    expect(recorder.units).toHaveLength(1);
    expect(writes(recorder.outside)).toEqual([]);
    expect(tablesOf(recorder.units)).toEqual([
      [
        'bookingkit_idempotency',
        'bookingkit_customers',
        'bookingkit_appointments',
        'bookingkit_outbox',
        'bookingkit_idempotency',
      ],
    ]);
    expect(recorder.units.flat().filter((text) => /SAVEPOINT/i.test(text))).toEqual([]);
    expect(await kit.sagas.get(`book:${result.appointment.id}`)).toBeUndefined();
    expect(await kit.stores.appointments.get('acme', result.appointment.id)).toEqual(result.appointment);

    // Awaiting the host in the calendar: recorded pending, in one transaction as well.
    recorder.units.length = 0;
    const pending = await kit.service.book(imported(3, 'pending'));
    expect(pending.appointment.status).toBe('pending');
    expect(recorder.units).toHaveLength(1);
    expect(writes(recorder.outside)).toEqual([]);

    const replay = await kit.service.book(imported(2));
    expect(replay).toMatchObject({ replayed: true, appointment: result.appointment });
    await expect(kit.service.book({ ...imported(2), timeZone: 'UTC' })).rejects.toMatchObject({
      code: 'IDEMPOTENCY_MISMATCH',
    });
    await kit.close();
  });

  it('records a booking the calendar has already in one transaction with stores passed separately', async () => {
    const { sql, schema } = database();
    const recorder = recordingSql(sql);
    const kit = kitOn(recorder.client, schema, 'separate');
    await kit.service.book(imported(4));
    recorder.reset();
    const result = await kit.service.book(imported(5));
    expect(result.appointment.status).toBe('confirmed');
    // The claim and the answer commit on their own, before and after; no saga is written.
    expect(tablesOf(recorder.units)).toEqual([
      ['bookingkit_customers', 'bookingkit_appointments', 'bookingkit_outbox'],
    ]);
    const outsideTables = writes(recorder.outside).map(
      (text) => /(INSERT INTO|UPDATE)\s+\S*\.(\w+)/i.exec(text)?.[2],
    );
    expect(outsideTables).toEqual(['bookingkit_idempotency', 'bookingkit_idempotency']);
    expect(await kit.service.book(imported(5))).toMatchObject({
      replayed: true,
      appointment: result.appointment,
    });
    await kit.close();
  });

  it('publishes the events of a booking recorded from the calendar, in order', async () => {
    const { sql, schema } = database();
    const kit = kitOn(sql, schema, 'joined');
    const seen: { type: string; aggregateType: string; aggregateId: string; data: unknown }[] = [];
    kit.bus.onAny((event) => {
      if (!event.type.startsWith('saga.'))
        seen.push({
          type: event.type,
          aggregateType: event.aggregateType,
          aggregateId: event.aggregateId,
          data: event.data,
          ...{ origin: event.origin, correlationId: event.correlationId, tenantId: event.tenantId },
        });
    });
    const { appointment } = await kit.service.book(imported(6));
    const meta = { origin: 'calcom', correlationId: 'calcom:uid_6', tenantId: 'acme' };
    const requested = {
      type: 'appointment.requested',
      aggregateType: 'appointment',
      aggregateId: appointment.id,
      data: {
        appointmentId: appointment.id,
        eventTypeId: 'consult',
        customerId: appointment.customerId,
        start: appointment.start,
        end: appointment.end,
        timeZone: 'Europe/Berlin',
        requestedBy: { type: 'customer' },
      },
      ...meta,
    };
    expect(seen).toEqual([
      {
        type: 'customer.created',
        aggregateType: 'customer',
        aggregateId: appointment.customerId,
        data: { customerId: appointment.customerId, source: 'calcom' },
        ...meta,
      },
      requested,
      {
        type: 'appointment.booked',
        aggregateType: 'appointment',
        aggregateId: appointment.id,
        data: {
          appointmentId: appointment.id,
          eventTypeId: 'consult',
          customerId: appointment.customerId,
          start: appointment.start,
          end: appointment.end,
          timeZone: 'Europe/Berlin',
          calendarBookingUid: 'uid_6',
          bookedBy: { type: 'customer' },
          callId: null,
        },
        ...meta,
      },
    ]);

    // Awaiting the host: requested only (the host's confirmation publishes appointment.confirmed).
    seen.length = 0;
    const pending = await kit.service.book({
      ...imported(7, 'pending'),
      customer: { customerId: appointment.customerId! },
    });
    expect(seen.map((event) => event.type)).toEqual(['appointment.requested']);
    expect(seen[0]).toMatchObject({
      aggregateId: pending.appointment.id,
      data: { customerId: appointment.customerId },
    });
    await kit.close();
  });

  it('refuses a booking from the calendar for a taken slot, with alternatives, and writes nothing', async () => {
    const { sql, schema } = database();
    const kit = kitOn(sql, schema, 'joined');
    const taken = await kit.service.book(command(6));
    const contested = { ...imported(8), start: command(6).start, end: command(6).end };
    const refusal = await kit.service.book(contested).catch((error: unknown) => error);
    expect(refusal).toMatchObject({
      code: 'SLOT_CONFLICT',
      context: { conflictingAppointmentId: taken.appointment.id, resourceId: 'consult' },
    });
    expect((refusal as { context: { alternatives: unknown[] } }).context.alternatives.length).toBeGreaterThan(
      0,
    );
    expect(await kit.stores.appointments.findByCalendarUid('acme', 'uid_8')).toBeNull();
    expect(await kit.sagas.list({ states: ['compensated', 'failed'] })).toEqual([]);
    // The key is free again: once the slot is, the same delivery records the booking.
    await kit.service.cancel({
      tenantId: 'acme',
      origin: 'voice',
      actor: { type: 'agent', id: 'agent_1' },
      idempotencyKey: 'call_6:cancel',
      target: { appointmentId: taken.appointment.id },
    });
    expect((await kit.service.book(contested)).appointment.status).toBe('confirmed');
    await kit.close();
  });
});
