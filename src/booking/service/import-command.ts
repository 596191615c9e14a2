import type { IdempotencyJoin } from '../../idempotency/idempotent-joined.js';
import type { Appointment } from '../../domain/appointment.js';
import type { NormalizedContact } from '../customers/customer-input.js';
import { callIdOf } from '../appointment-call.js';
import { isSlotConflictError } from '../errors.js';
import type { BookSagaInput } from './book-saga.js';
import {
  appointmentEvent,
  bookingTransactions,
  customerEventDrafts,
  nowIso,
  type BookingTransaction,
  type ChangeOrigin,
  type EventDraft,
} from './booking-context.js';
import { explain, type CommandDeps, type CommandOutcome, type Parsed } from './command-handlers.js';
import type { BookCommand } from './commands.js';
import { findCause } from './errors.js';

/** A book of a booking the calendar has already, as `runBook` prepared it. @internal */
export interface ImportInput {
  /** The appointment to record (pending, version 1); `customerId` is `null` for a contact. */
  readonly appointment: BookSagaInput['appointment'];
  /** The contact (normalised) to find or create the customer by; `null` for a known customer. */
  readonly contact: NormalizedContact | null;
  /** The booking the calendar has. */
  readonly existing: NonNullable<BookSagaInput['existingCalendarBooking']>;
}

/**
 * Records a booking the calendar has already (`calendar: 'already_applied'` with
 * `existingCalendarBooking`, e.g. one made in Cal.com) in ONE transaction: the idempotency claim
 * (when `join` is given: the store lives with the stores), the customer (found or created), the
 * appointment inserted at its final status (`confirmed`, or `pending` while the calendar awaits
 * the host), its events in the outbox, and the idempotency answer. No saga: with no calendar call
 * there is nothing to wait for between two commits and nothing to recover after a crash (the
 * transaction commits all or nothing). See docs/decisions/0009-two-transaction-book.md.
 *
 * The events are those the book saga writes for such a booking, in its order:
 * `customer.created`/`customer.identified` (a contact), `appointment.requested`, then
 * `appointment.booked` unless the calendar awaits the host. The appointment is stored at version
 * 1, so both appointment events carry version 1.
 *
 * A slot conflict is answered as the saga path answers it (`SlotConflictError` with
 * alternatives); a conflict with this very command's own appointment (same key, slot and
 * calendar uid: an earlier run committed, its answer was not stored) answers that appointment.
 *
 * @internal
 */
export async function runImport(
  deps: CommandDeps,
  command: Parsed<typeof BookCommand>,
  input: ImportInput,
  signal: AbortSignal | undefined,
  join?: IdempotencyJoin<BookingTransaction>,
): Promise<CommandOutcome> {
  const { context } = deps;
  const status = input.existing.status === 'pending' ? 'pending' : 'confirmed';
  const origin: ChangeOrigin = {
    tenantId: command.tenantId,
    origin: command.origin,
    actor: command.actor,
    correlationId: command.idempotencyKey,
  };
  const options = signal ? { signal } : {};
  try {
    const recorded = await bookingTransactions(context, false, join !== undefined).run(async (tx) => {
      if (join) await join.claim(tx);
      const events: EventDraft[] = [];
      let { customerId } = input.appointment;
      if (input.contact) {
        const found = await deps.customers.findOrCreate(command.tenantId, input.contact, {
          origin: command.origin,
          callId: command.callId ?? null,
          customers: tx.customers,
          ...options,
        });
        customerId = found.customer.id;
        events.push(...customerEventDrafts(found));
      }
      if (customerId === null) throw new Error('import names no customer');
      const now = nowIso(context.clock);
      const appointment: Appointment = {
        ...input.appointment,
        customerId,
        status,
        sync: { status: 'synced', attempts: 1, lastError: null, lastAttemptAt: now },
        updatedAt: now,
      };
      await tx.appointments.insert(appointment, options);
      const [requested, booked] = importEvents(appointment, command);
      // Pending in the calendar: not booked yet (the host's confirmation sends `appointment.confirmed`).
      events.push(...(status === 'confirmed' ? [requested, booked] : [requested]));
      await tx.record(origin, events);
      if (join) await join.answer(tx, importOutcome(appointment) as never);
      return appointment;
    }, options);
    // The caller gets a copy of its own.
    return importOutcome(structuredClone(recorded));
  } catch (error) {
    const own = await ownAppointment(deps, command, input, status, error, signal);
    if (own) return importOutcome(own);
    return explain(
      deps,
      error,
      command.tenantId,
      command.eventTypeId,
      { start: command.start, end: command.end },
      input.appointment.resourceId,
    );
  }
}

/** `appointment.requested` and `appointment.booked` of a recorded booking, as the book saga writes them. */
function importEvents(appointment: Appointment, command: Parsed<typeof BookCommand>) {
  return [
    appointmentEvent('appointment.requested', appointment, {
      appointmentId: appointment.id,
      eventTypeId: appointment.eventTypeId,
      customerId: appointment.customerId,
      start: appointment.start,
      end: appointment.end,
      timeZone: appointment.timeZone,
      requestedBy: command.actor,
    }),
    appointmentEvent('appointment.booked', appointment, {
      appointmentId: appointment.id,
      eventTypeId: appointment.eventTypeId,
      customerId: appointment.customerId,
      start: appointment.start,
      end: appointment.end,
      timeZone: appointment.timeZone,
      calendarBookingUid: appointment.external.calendarBookingUid,
      bookedBy: command.actor,
      callId: callIdOf(appointment),
    }),
  ] as const;
}

function importOutcome(appointment: Appointment): CommandOutcome {
  return { appointment, calendar: 'not_needed' };
}

/**
 * The appointment an earlier run of this very command recorded, when the slot conflict is with
 * it (same idempotency key, event type, slot and calendar uid, at the status this import leaves):
 * that run committed but its answer was not stored (an idempotency store outside the database
 * that failed after the commit), so its client was not told. `undefined` for any other conflict.
 */
async function ownAppointment(
  deps: CommandDeps,
  command: Parsed<typeof BookCommand>,
  input: ImportInput,
  status: Appointment['status'],
  error: unknown,
  signal: AbortSignal | undefined,
): Promise<Appointment | undefined> {
  const id = findCause(error, isSlotConflictError)?.context.conflictingAppointmentId;
  if (!id) return undefined;
  const earlier = await deps.context.appointments.get(command.tenantId, id, signal ? { signal } : {});
  const same =
    earlier !== null &&
    earlier.status === status &&
    earlier.idempotencyKey === command.idempotencyKey &&
    earlier.eventTypeId === command.eventTypeId &&
    earlier.external.calendarBookingUid === input.existing.uid &&
    Date.parse(earlier.start) === Date.parse(command.start) &&
    Date.parse(earlier.end) === Date.parse(command.end);
  return same ? earlier : undefined;
}
