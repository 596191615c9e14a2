import { z } from 'zod';
import { NotFoundError } from '../../errors/store-errors.js';
import { parseWith } from '../../errors/validation-error.js';
import { IdempotencyInProgressError } from '../../idempotency/errors.js';
import type { IdempotencyJoin } from '../../idempotency/idempotent-joined.js';
import { isSagaCompensatedError } from '../../saga/saga-errors.js';
import { LIVE_SAGA_STATES, type SagaRecord } from '../../saga/saga-store.js';
import type { Tenant } from '../../tenancy/tenant.js';
import type { Appointment } from '../../domain/appointment.js';
import { Id } from '../../domain/common.js';
import type { Customer } from '../../domain/customer.js';
import { normalizeContact, type NormalizedContact } from '../customers/customer-input.js';
import { isSlotConflictError } from '../errors.js';
import { attendeeFor } from './attendee.js';
import type { BookSagaInput, ConfirmStepOutput } from './book-saga.js';
import { nowIso, type BookingTransaction } from './booking-context.js';
import {
  calendarOutcome,
  explain,
  type CommandDeps,
  type CommandOutcome,
  type Parsed,
} from './command-handlers.js';
import { calendarModeOf, type BookCommand } from './commands.js';
import { findCause } from './errors.js';
import { runImport } from './import-command.js';

/** The id of a new appointment, as the `ids` option made it. */
const NewAppointmentId = z.object({ id: Id });

/**
 * Removes the saga record of a booking that lost its slot at the hold. The hold's insert was
 * refused inside its transaction, so nothing of the saga took effect and its record, compensated,
 * is history only: without this, every losing attempt of a contested slot would leave one behind.
 * The saga id is the new appointment's, never reused, so forgetting it cannot let a run repeat. A
 * failure to remove it is only logged (the retention purge removes it later).
 */
async function forgetLostHold(deps: CommandDeps, sagaId: string, error: unknown): Promise<void> {
  const compensated = findCause(error, isSagaCompensatedError);
  if (compensated?.context.failedStep !== 'hold' || !findCause(error, isSlotConflictError)) return;
  try {
    // The saga ended by now, on this clock: its finish time is at most now.
    await deps.sagaStore.purge({ finishedBefore: deps.context.clock.now() + 1, id: sagaId });
  } catch (purgeError) {
    deps.context.logger.warn({ err: purgeError, sagaId }, 'could not remove the saga record of a lost hold');
  }
}

/**
 * The answer for a hold that lost its slot to an earlier attempt of the same command (same tenant,
 * idempotency key and slot): that attempt's hold committed, then it failed (the database went
 * away before its saga could record the hold), so its client was not told, and its saga is
 * finished by recovery. The retry answers that appointment once made (confirmed, or queued for
 * the calendar under the `queue` policy); while only held, the earlier run is still in progress ({@link IdempotencyInProgressError}, retry later). Without
 * this, the retry was refused the slot its own booking holds. `undefined` for any other conflict.
 */
async function earlierAttempt(
  deps: CommandDeps,
  command: Parsed<typeof BookCommand>,
  error: unknown,
  signal: AbortSignal | undefined,
): Promise<CommandOutcome | undefined> {
  const id = findCause(error, isSlotConflictError)?.context.conflictingAppointmentId;
  if (!id) return undefined;
  const earlier = await deps.context.appointments.get(command.tenantId, id, signal ? { signal } : {});
  const same =
    earlier !== null &&
    earlier.idempotencyKey === command.idempotencyKey &&
    earlier.eventTypeId === command.eventTypeId &&
    Date.parse(earlier.start) === Date.parse(command.start) &&
    Date.parse(earlier.end) === Date.parse(command.end);
  if (!same) return undefined;
  // Made: confirmed, or queued for the calendar (the confirm step ran with the calendar
  // unavailable under the `queue` policy; the hold leaves no sync attempt, that step records one).
  const queued = earlier.status === 'pending' && earlier.sync.attempts > 0;
  if (earlier.status === 'confirmed' || queued) return bookOutcome(command, earlier);
  const saga = await deps.sagaStore.get(`book:${id}`).catch(() => 'unknown' as const);
  // A saga that ended (or never was) without confirming the hold will not: the slot stays taken
  // until an operator acts, so the retry is refused it rather than told to wait for ever.
  if (saga !== 'unknown' && (saga === undefined || !LIVE_SAGA_STATES.includes(saga.state))) return undefined;
  const now = deps.context.clock.now();
  throw new IdempotencyInProgressError({
    tenantId: command.tenantId,
    key: command.idempotencyKey,
    lockExpiresAt: Math.max(now, (saga === 'unknown' ? null : saga.leaseExpiresAt) ?? now + 5_000),
    waitedMs: 0,
  });
}

/** @internal */
export async function runBook(
  deps: CommandDeps,
  command: Parsed<typeof BookCommand>,
  tenant: Tenant,
  signal: AbortSignal | undefined,
  join?: IdempotencyJoin<BookingTransaction>,
): Promise<CommandOutcome> {
  const { clock } = deps.context;
  // A booking the calendar already has was accepted there: nothing to check. (The schema holds
  // `already_applied` and `existingCalendarBooking` together.)
  if (calendarModeOf(command) === 'apply') {
    await deps.eventTypes.check(
      {
        tenantId: command.tenantId,
        eventTypeId: command.eventTypeId,
        range: { start: command.start, end: command.end },
        subject: 'book command',
        unknownType: 'refuse',
      },
      signal,
    );
  }
  // A known customer is read here; a contact is checked here and found or created by the hold, in
  // its transaction.
  let known: Customer | null = null;
  let contact: NormalizedContact | null = null;
  if ('customerId' in command.customer) {
    known = await deps.customerRepository.get(
      command.tenantId,
      command.customer.customerId,
      signal ? { signal } : {},
    );
    if (!known)
      throw new NotFoundError({
        entity: 'Customer',
        id: command.customer.customerId,
        tenantId: command.tenantId,
      });
  } else {
    contact = normalizeContact(command.customer);
  }
  const now = nowIso(clock);
  const resourceId = command.resourceId ?? command.eventTypeId;
  // Built from the parsed command and a stored customer: only the id is new input (the `ids`
  // option), so only it is checked here; the repository validates the record as it stores it.
  const { id } = parseWith(NewAppointmentId, { id: deps.ids() }, 'appointment');
  const appointment: BookSagaInput['appointment'] = {
    id,
    tenantId: command.tenantId,
    eventTypeId: command.eventTypeId,
    resourceId,
    customerId: known?.id ?? null,
    start: command.start,
    end: command.end,
    timeZone: command.timeZone,
    status: 'pending',
    origin: command.origin,
    createdBy: command.actor,
    rescheduledBy: null,
    cancelledBy: null,
    cancellationReason: null,
    external: {
      calendarBookingUid: command.existingCalendarBooking?.uid ?? null,
      calendarBookingId: command.existingCalendarBooking?.id ?? null,
      previousCalendarBookingUids: [],
    },
    sync: { status: 'pending', attempts: 0, lastError: null, lastAttemptAt: null },
    version: 1,
    idempotencyKey: command.idempotencyKey,
    metadata: { ...(command.metadata ?? {}), ...(command.callId ? { callId: command.callId } : {}) },
    createdAt: now,
    updatedAt: now,
  };
  // The calendar has the booking already: nothing to call, so one transaction and no saga.
  if (command.existingCalendarBooking)
    return runImport(
      deps,
      command,
      { appointment, contact, existing: command.existingCalendarBooking },
      signal,
      join,
    );
  const sagaId = `book:${appointment.id}`;
  let completion;
  try {
    completion = await deps.coordinator.start(
      deps.sagas.book,
      {
        appointment,
        attendee: known ? attendeeFor(known, appointment) : null,
        customer: contact ? { contact, callId: command.callId ?? null } : null,
        policy: tenant.calendarUnavailablePolicy,
        origin: command.origin,
        actor: command.actor,
        correlationId: command.idempotencyKey,
        existingCalendarBooking: command.existingCalendarBooking ?? null,
      },
      {
        sagaId,
        tenantId: command.tenantId,
        ...(signal ? { signal } : {}),
        // The idempotency claim commits with the hold, the answer with the confirmation.
        ...(join && {
          join: {
            start: (tx: BookingTransaction) => join.claim(tx),
            end: async (tx: BookingTransaction, record: SagaRecord) => {
              const { appointment: confirmed } = record.steps.at(-1)!.output as unknown as ConfirmStepOutput;
              await join.answer(tx, bookOutcome(command, confirmed) as never);
            },
          },
        }),
      },
    );
  } catch (error) {
    await forgetLostHold(deps, sagaId, error);
    const earlier = await earlierAttempt(deps, command, error, signal);
    if (earlier) return earlier;
    return explain(
      deps,
      error,
      command.tenantId,
      command.eventTypeId,
      { start: command.start, end: command.end },
      resourceId,
    );
  }
  // The confirm step answers the appointment as it left it, as the saga log holds it: the caller
  // gets a copy of its own.
  return bookOutcome(command, structuredClone(completion.output.confirm.appointment));
}

/** A book's answer for the appointment as the booking left it. */
function bookOutcome(command: Parsed<typeof BookCommand>, appointment: Appointment): CommandOutcome {
  return {
    appointment,
    calendar: command.existingCalendarBooking ? 'not_needed' : calendarOutcome(appointment, true),
  };
}
