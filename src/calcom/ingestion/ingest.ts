import type { BookingService } from '../../booking/service/booking-service.js';
import type { Appointment } from '../../domain/appointment.js';
import { fingerprint } from '../../idempotency/fingerprint.js';
import type { IdempotencyStore } from '../../idempotency/idempotency-store.js';
import {
  idempotentJoined,
  type IdempotencyJoin,
  type IdempotencyTransaction,
} from '../../idempotency/idempotent-joined.js';
import type { AppointmentRepository } from '../../ports/appointment-repository.js';
import type { Clock } from '../../ports/clock.js';
import type {
  CalcomBookingPayload,
  CalcomCancelledBookingPayload,
  CalcomNoShowPayload,
  CalcomRescheduledBookingPayload,
} from '../booking-payload-schema.js';
import type { CalcomWebhook } from '../webhook.js';
import { calcomWebhookKey } from '../webhook-key.js';
import { actorOf, appointmentTagOf, importCommand, type CalcomEventTypeMapper } from './booking-commands.js';
import type { CalcomIngestionAction, CalcomIngestionResult } from './ingestion-result.js';
import {
  hasTombstone,
  holdInTransaction,
  TombstoneInTheWay,
  unlessTombstoned,
  writeTombstone,
  type TombstoneOptions,
} from './tombstones.js';

/** What ingestion needs. @internal */
export interface IngestionDeps {
  readonly service: Pick<BookingService, 'book' | 'reschedule' | 'cancel' | 'confirm' | 'markNoShow'>;
  readonly appointments: Pick<AppointmentRepository, 'get' | 'findByCalendarUid'>;
  readonly idempotency: IdempotencyStore;
  readonly clock: Clock;
  readonly eventTypeId: CalcomEventTypeMapper;
  /** How long a delivery is remembered as seen, ms. */
  readonly dedupeTtlMs: number;
  /** How long a cancellation of an unknown booking is remembered, ms. */
  readonly tombstoneTtlMs: number;
  /** How long a duplicate waits for its twin that is still running, ms. */
  readonly waitMs: number;
  /**
   * `idempotency` is the store of the booking service's transactions (Postgres stores): an
   * import then claims and answers its delivery, and holds its uid, inside the import's one
   * transaction (`service.book`'s `join`).
   */
  readonly joinable: boolean;
}

type Outcome = Omit<CalcomIngestionResult, 'trigger' | 'replayed'>;

/** One delivery being applied: the tenant, its key and the signal. */
interface Delivery {
  readonly tenantId: string;
  /** The command idempotency key (derived from the delivery key). */
  readonly key: string;
  readonly signal: AbortSignal | undefined;
  /** The delivery's own claim (dedupe key). */
  readonly claim: DeliveryClaim;
}

/** No transaction: a claim or answer through it commits on its own. */
const ALONE: IdempotencyTransaction = {};

/**
 * The claim of one delivery's key, from `idempotentJoined`: taken on its own (a commit) before a
 * delivery's first write, or inside the import's transaction, and answered accordingly.
 */
class DeliveryClaim {
  private alone = false;
  /** Answered in a transaction that committed (the import's). */
  answered = false;
  constructor(private readonly join: IdempotencyJoin) {}

  /** Claims the key on its own, unless it already is; throws (to replay or wait) when taken. */
  async claimAlone(): Promise<void> {
    if (this.alone) return;
    this.answered = false;
    await this.join.claim(ALONE);
    this.alone = true;
  }

  /** Claims the key in `tx` (the import's transaction, with its idempotency store). */
  async claimIn(tx: IdempotencyTransaction): Promise<void> {
    this.answered = false;
    await this.join.claim(tx);
  }

  /**
   * Answers `value` in `tx`. The caller sets `answered` once that transaction has committed (the
   * book that ran it returned); until then `settle` answers on its own.
   */
  async answerIn(tx: IdempotencyTransaction, value: Outcome): Promise<void> {
    await this.join.answer(tx, { ...value });
  }

  /** Answers `value` unless the import's transaction did: claimed on its own first if need be. */
  async settle(value: Outcome): Promise<void> {
    if (this.answered) return;
    await this.claimAlone();
    await this.join.answer(ALONE, { ...value });
  }
}

const outcome = (
  action: CalcomIngestionAction,
  appointment: Pick<Appointment, 'id'> | null,
  detail: string | null = null,
): Outcome => ({ action, appointmentId: appointment?.id ?? null, detail });

/** Command idempotency keys are at most 200 characters; a longer delivery key is hashed. */
function commandKey(deliveryKey: string): string {
  return deliveryKey.length <= 180 ? deliveryKey : `calcom:${fingerprint(deliveryKey)}`;
}

/**
 * Applies verified, parsed Cal.com webhooks of one tenant to the booking service, each delivery
 * at most once (keyed by {@link calcomWebhookKey}).
 *
 * @internal
 */
export function createIngestion(deps: IngestionDeps) {
  const tombstones: TombstoneOptions = {
    store: deps.idempotency,
    clock: deps.clock,
    ttlMs: deps.tombstoneTtlMs,
    waitMs: deps.waitMs,
  };
  const options = (signal: AbortSignal | undefined) => (signal ? { signal } : {});

  /** The appointment whose current or earlier Cal.com uid is one of `uids`, or that `tag` names. */
  async function locate(
    d: Delivery,
    uids: readonly string[],
    tag: string | null,
  ): Promise<Appointment | null> {
    for (const uid of uids) {
      const found = await deps.appointments.findByCalendarUid(d.tenantId, uid, options(d.signal));
      if (found) return found;
    }
    return tag === null ? null : deps.appointments.get(d.tenantId, tag, options(d.signal));
  }

  /**
   * Whether `uid` is no longer the appointment's booking in Cal.com (it moved on to another uid),
   * which makes a delivery about `uid` stale. An appointment of ours whose create has not been
   * recorded yet (no uid) is not stale.
   */
  const movedOn = (appointment: Appointment, uid: string): boolean =>
    appointment.external.calendarBookingUid !== null && appointment.external.calendarBookingUid !== uid;

  async function cancelIfTombstoned(d: Delivery, appointment: Appointment, uid: string): Promise<boolean> {
    if (!(await hasTombstone(tombstones, d.tenantId, uid, d.signal))) return false;
    await deps.service.cancel(
      {
        tenantId: d.tenantId,
        origin: 'calcom',
        calendar: 'already_applied',
        actor: { type: 'system' },
        idempotencyKey: `${d.key}:tombstone`,
        target: { appointmentId: appointment.id },
        reason: 'cancelled in Cal.com before its creation arrived',
      },
      options(d.signal),
    );
    return true;
  }

  async function importBooking(
    d: Delivery,
    payload: CalcomBookingPayload,
    status: 'accepted' | 'pending',
    metadata?: Readonly<Record<string, string>>,
  ): Promise<Outcome> {
    const command = importCommand(payload, {
      tenantId: d.tenantId,
      idempotencyKey: d.key,
      status,
      eventTypeId: deps.eventTypeId,
      ...(metadata ? { metadata } : {}),
    });
    if (deps.joinable) {
      const joined = await importJoined(d, command, payload.uid);
      if (joined !== 'held elsewhere') return joined;
    }
    await d.claim.claimAlone();
    // The uid's tombstone is held while the booking is recorded: a cancellation arriving
    // meanwhile (on any instance) waits, then writes its tombstone and finds the appointment.
    const held = await unlessTombstoned(tombstones, d.tenantId, payload.uid, d.signal, () =>
      deps.service.book(command, options(d.signal)),
    );
    if (held.tombstoned) return outcome('skipped', null, 'cancelled in Cal.com before its creation arrived');
    const { appointment } = held.value;
    // Held too long (the cancellation may have taken the key over): look again. One of the two
    // always sees the other.
    if (held.lockLapsed && (await cancelIfTombstoned(d, appointment, payload.uid))) {
      return outcome('skipped', appointment, 'cancelled in Cal.com while its creation was recorded');
    }
    return outcome('imported', appointment);
  }

  /**
   * The import in ONE transaction (the Postgres layout): the delivery's claim, the uid's hold, the
   * book command's own claim, the customer, the appointment, its events, the command's answer, the
   * hold given back and the delivery's answer commit together or not at all. A duplicate's claim
   * waits in the database for the first's transaction, then replays its answer; a cancellation
   * writing the uid's tombstone meanwhile waits likewise, then finds the appointment. Answers
   * `'held elsewhere'` when a cancellation holds the uid's key (committed, still writing): the
   * caller then holds it on its own, which waits.
   */
  async function importJoined(
    d: Delivery,
    command: ReturnType<typeof importCommand>,
    uid: string,
  ): Promise<Outcome | 'held elsewhere'> {
    const hold = holdInTransaction(tombstones, d.tenantId, uid, d.signal);
    let answered = false;
    const join: IdempotencyJoin<IdempotencyTransaction> = {
      async claim(tx) {
        answered = false;
        // The service joins only transactions that write its idempotency store, which is ours.
        if (!tx.idempotency) throw new Error('the import transaction carries no idempotency store');
        await d.claim.claimIn(tx);
        await hold.claim(tx);
      },
      async answer(tx, result) {
        await hold.release(tx);
        const { appointment } = result as unknown as { appointment: Pick<Appointment, 'id'> };
        await d.claim.answerIn(tx, outcome('imported', appointment));
        answered = true;
      },
    };
    let appointment: Appointment;
    try {
      ({ appointment } = await deps.service.book(command, { ...options(d.signal), join }));
    } catch (error) {
      if (!(error instanceof TombstoneInTheWay)) throw error;
      if (!error.tombstoned) return 'held elsewhere';
      return outcome('skipped', null, 'cancelled in Cal.com before its creation arrived');
    }
    if (answered) {
      d.claim.answered = true;
      return outcome('imported', appointment);
    }
    // The service did not take the claim in its transaction (it answered an earlier run of its
    // command, or does not join): the delivery is claimed on its own, and the uid looked at after.
    await d.claim.claimAlone();
    if (await cancelIfTombstoned(d, appointment, uid)) {
      return outcome('skipped', appointment, 'cancelled in Cal.com while its creation was recorded');
    }
    return outcome('imported', appointment);
  }

  async function created(d: Delivery, payload: CalcomBookingPayload): Promise<Outcome> {
    const found = await locate(d, [payload.uid], appointmentTagOf(payload));
    if (!found) return importBooking(d, payload, 'accepted');
    await d.claim.claimAlone();
    if (movedOn(found, payload.uid)) return outcome('unchanged', found, 'the booking was rescheduled since');
    // Confirming a pending booking in Cal.com fires BOOKING_CREATED again.
    if (found.status === 'pending' && found.external.calendarBookingUid === payload.uid) {
      const { appointment } = await deps.service.confirm(
        {
          tenantId: d.tenantId,
          origin: 'calcom',
          actor: { type: 'staff' },
          idempotencyKey: d.key,
          target: { appointmentId: found.id },
        },
        options(d.signal),
      );
      return outcome('confirmed', appointment);
    }
    // Our own booking whose create is still being recorded, or one that is already confirmed
    // (or cancelled meanwhile): the booking flow has it.
    return outcome('unchanged', found, `already ${found.status}`);
  }

  async function requested(d: Delivery, payload: CalcomBookingPayload): Promise<Outcome> {
    // A reschedule made through the API can fire BOOKING_REQUESTED with `rescheduleUid`.
    const rescheduleUid = (payload as { rescheduleUid?: unknown }).rescheduleUid;
    if (typeof rescheduleUid === 'string' && rescheduleUid !== '') {
      return rescheduled(d, { ...payload, rescheduleUid });
    }
    const found = await locate(d, [payload.uid], appointmentTagOf(payload));
    if (found) return outcome('unchanged', found, `already ${found.status}`);
    return importBooking(d, payload, 'pending');
  }

  async function rescheduled(d: Delivery, payload: CalcomRescheduledBookingPayload): Promise<Outcome> {
    const known = await deps.appointments.findByCalendarUid(d.tenantId, payload.uid, options(d.signal));
    if (known) return outcome('unchanged', known, 'the new booking is recorded already');
    const previousUid = payload.rescheduleUid ?? null;
    const target = await locate(d, previousUid === null ? [] : [previousUid], appointmentTagOf(payload));
    const active = target && (target.status === 'pending' || target.status === 'confirmed');
    if (!target || !active) {
      // Nothing active to move (unknown, or cancelled by "request reschedule"): the new booking
      // stands on its own.
      return importBooking(
        d,
        payload,
        'accepted',
        previousUid === null ? undefined : { calcomRescheduledFromUid: previousUid },
      );
    }
    await d.claim.claimAlone();
    if (previousUid !== null && movedOn(target, previousUid)) {
      return outcome('unchanged', target, 'the booking was rescheduled again since');
    }
    const { appointment } = await deps.service.reschedule(
      {
        tenantId: d.tenantId,
        origin: 'calcom',
        calendar: 'already_applied',
        actor: actorOf(payload, payload.rescheduledBy),
        idempotencyKey: d.key,
        target: { appointmentId: target.id },
        start: payload.startTime,
        end: payload.endTime,
        newCalendarBookingUid: payload.uid,
      },
      options(d.signal),
    );
    if (await cancelIfTombstoned(d, appointment, payload.uid)) {
      return outcome('cancelled', appointment, 'the new booking was cancelled before its reschedule arrived');
    }
    return outcome('rescheduled', appointment);
  }

  async function cancelled(
    d: Delivery,
    payload: CalcomCancelledBookingPayload,
    reason: string | null,
    requestReschedule: boolean,
  ): Promise<Outcome> {
    const tag = appointmentTagOf(payload);
    let found = await locate(d, [payload.uid], tag);
    if (!found) {
      await writeTombstone(tombstones, d.tenantId, payload.uid, reason ?? 'cancelled', d.signal);
      // The creation may have been recorded while the tombstone was written: look again.
      found = await locate(d, [payload.uid], tag);
      if (!found) return outcome('tombstoned', null);
    }
    if (movedOn(found, payload.uid)) return outcome('unchanged', found, 'the booking was rescheduled since');
    if (payload.rescheduledToUid) {
      return outcome('unchanged', found, 'the old half of a reschedule; its BOOKING_RESCHEDULED moves it');
    }
    const { appointment } = await deps.service.cancel(
      {
        tenantId: d.tenantId,
        origin: 'calcom',
        calendar: 'already_applied',
        actor: actorOf(payload, payload.cancelledBy),
        idempotencyKey: d.key,
        target: { appointmentId: found.id },
        ...(reason === null ? {} : { reason }),
        ...(requestReschedule ? { requestReschedule } : {}),
      },
      options(d.signal),
    );
    return outcome(
      found.status === 'cancelled' ? 'unchanged' : 'cancelled',
      appointment,
      found.status === 'cancelled' ? 'already cancelled' : null,
    );
  }

  async function noShow(d: Delivery, payload: CalcomNoShowPayload): Promise<Outcome> {
    const found = await deps.appointments.findByCalendarUid(
      d.tenantId,
      payload.bookingUid,
      options(d.signal),
    );
    if (!found) return outcome('ignored', null, 'unknown booking');
    // bookingkit keeps one customer per appointment: it is a no-show when an attendee is one.
    const flagged = payload.attendees.some((attendee) => attendee.noShow);
    const before = found.status;
    const { appointment } = await deps.service.markNoShow(
      {
        tenantId: d.tenantId,
        origin: 'calcom',
        actor: { type: 'staff' },
        idempotencyKey: d.key,
        target: { appointmentId: found.id },
        noShow: flagged,
      },
      options(d.signal),
    );
    if (appointment.status === before) return outcome('unchanged', appointment, `already ${before}`);
    return outcome(flagged ? 'no_show_marked' : 'no_show_cleared', appointment);
  }

  async function meeting(d: Delivery, payload: CalcomBookingPayload): Promise<Outcome> {
    // Cal.com fires these from jobs scheduled at booking time, with the booking's own times, not
    // when the meeting really started or ended: they prove nothing about attendance. They change
    // nothing; the answer names the appointment for hosts that want to act on them.
    const found = await locate(d, [payload.uid], appointmentTagOf(payload));
    return outcome('acknowledged', found, found ? null : 'unknown booking');
  }

  function apply(d: Delivery, webhook: CalcomWebhook & { readonly known: true }): Promise<Outcome> {
    switch (webhook.triggerEvent) {
      case 'BOOKING_CREATED':
        return created(d, webhook.payload);
      case 'BOOKING_REQUESTED':
        return requested(d, webhook.payload);
      case 'BOOKING_REJECTED':
        return cancelled(d, webhook.payload, 'rejected', false);
      case 'BOOKING_CANCELLED':
        return cancelled(
          d,
          webhook.payload,
          webhook.payload.cancellationReason ??
            (webhook.payload.requestReschedule ? 'reschedule requested' : null),
          webhook.payload.requestReschedule === true,
        );
      case 'BOOKING_RESCHEDULED':
        return rescheduled(d, webhook.payload);
      case 'BOOKING_NO_SHOW_UPDATED':
        return noShow(d, webhook.payload);
      case 'MEETING_STARTED':
      case 'MEETING_ENDED':
        return meeting(d, webhook.payload);
      default:
        return Promise.resolve(outcome('ignored', null, 'not a trigger bookingkit acts on'));
    }
  }

  /** The triggers that may import a booking (and then claim the delivery in its transaction). */
  const IMPORTING = new Set<string>(['BOOKING_CREATED', 'BOOKING_REQUESTED', 'BOOKING_RESCHEDULED']);

  const DEDUPED = new Set<string>([
    'BOOKING_CREATED',
    'BOOKING_REQUESTED',
    'BOOKING_REJECTED',
    'BOOKING_CANCELLED',
    'BOOKING_RESCHEDULED',
    'BOOKING_NO_SHOW_UPDATED',
    'MEETING_STARTED',
    'MEETING_ENDED',
  ]);

  return async function ingest(
    tenantId: string,
    webhook: CalcomWebhook,
    signal: AbortSignal | undefined,
  ): Promise<CalcomIngestionResult> {
    const trigger = webhook.triggerEvent;
    if (!webhook.known) {
      return { trigger, replayed: false, ...outcome('ignored', null, 'a trigger Cal.com does not document') };
    }
    if (trigger === 'PING') return { trigger, replayed: false, ...outcome('acknowledged', null) };
    if (!DEDUPED.has(trigger)) {
      return { trigger, replayed: false, ...outcome('ignored', null, 'not a trigger bookingkit acts on') };
    }
    const key = calcomWebhookKey(webhook);
    // Any delivery with this key is the same change: the fingerprint is the key, so a resend
    // whose payload differs in details (a video link added since) is still a duplicate.
    const { value, replayed } = await idempotentJoined(
      deps.idempotency,
      {
        tenantId,
        key,
        fingerprint: fingerprint(key),
        ttlMs: deps.dedupeTtlMs,
        waitMs: deps.waitMs,
        clock: deps.clock,
        ...(signal ? { signal } : {}),
      },
      async (join: IdempotencyJoin<IdempotencyTransaction>) => {
        const claim = new DeliveryClaim(join);
        // Claimed first, as each delivery is, unless it may import: an import claims it inside its
        // transaction (once it knows the booking is new), anything else before its first write.
        if (!deps.joinable || !IMPORTING.has(trigger)) await claim.claimAlone();
        const result = { ...(await apply({ tenantId, key: commandKey(key), signal, claim }, webhook)) };
        await claim.settle(result);
        return result;
      },
    );
    return { trigger, ...value, replayed };
  };
}

/** The function {@link createIngestion} returns. @internal */
export type Ingest = ReturnType<typeof createIngestion>;
