import type { BookingService } from '../booking/service/booking-service.js';
import type { BookingEvents } from '../booking/events.js';
import type { EventBus } from '../events/event-bus.js';
import type { AppointmentRepository } from '../ports/appointment-repository.js';
import type { CalendarProvider } from '../ports/calendar-provider.js';
import { systemClock, type Clock } from '../ports/clock.js';
import { silentLogger, type Logger } from '../ports/logger.js';
import type { ReconciliationCursorStore } from '../ports/reconciliation-cursor-store.js';
import type { Actor } from '../domain/origin.js';
import {
  CLOCK_EXPECTED,
  hasMethods,
  isClock,
  isLogger,
  LOGGER_EXPECTED,
  numberOption,
  optionalOption,
  requireOption,
} from '../util/options.js';
import type { SagaLister } from './in-flight.js';
import { resolveReconcilePolicy, type ReconcilePolicy, type ReconcilePolicyInput } from './policy.js';

/** The booking commands a reconciler acts through (a `BookingService`). */
export type ReconcilerBookings = Pick<
  BookingService,
  'book' | 'reschedule' | 'cancel' | 'confirm' | 'syncToCalendar'
> & {
  /** Lists live sagas, so that appointments a command is still changing are skipped. */
  readonly coordinator?: SagaLister;
};

/** Options of {@link createReconciler}. */
export interface ReconcilerOptions {
  /** The local side. */
  readonly appointments: AppointmentRepository;
  /** The remote side (Cal.com, or the memory calendar). */
  readonly calendar: CalendarProvider;
  /** Executes every change, with origin `reconciliation`, so every event and listener fires. */
  readonly bookings: ReconcilerBookings;
  /**
   * The policy (one for every tenant, or per tenant): the action for each drift cause and the
   * fields to ignore. @default DEFAULT_RECONCILE_POLICY
   */
  readonly policy?:
    ReconcilePolicyInput | ((tenantId: string) => ReconcilePolicyInput | Promise<ReconcilePolicyInput>);
  /** Where `reconciliation.*` and `appointment.manual_review_required` are published. @default none */
  readonly bus?: EventBus<BookingEvents>;
  /** Where `run` keeps each tenant's incremental cursor. @default none: every run is full */
  readonly cursors?: ReconciliationCursorStore;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default silentLogger */
  readonly logger?: Logger;
  /** Items per page of either listing (what memory is bounded by). @default 200 */
  readonly pageSize?: number;
  /**
   * Anything either side changed less than this long ago is skipped (still in flight: a webhook
   * on its way, a command finishing). @default 300_000 (5 minutes)
   */
  readonly graceMs?: number;
  /** Largest share of the compared bookings a plan may cancel without `force`. @default 0.1 */
  readonly maxCancelShare?: number;
  /**
   * Plans that cancel fewer bookings than this are never refused (a small tenant's one
   * cancellation is not a mass cancellation). @default 3
   */
  readonly cancelGuardMinimum?: number;
  /** `run` makes a full run when the last one is older than this. @default 86_400_000 (a day) */
  readonly fullRunEveryMs?: number;
  /** The window of a full `run`, before and after now. @default { pastMs: 86_400_000, futureMs: 7_776_000_000 } (a day back, 90 days ahead) */
  readonly window?: { readonly pastMs?: number; readonly futureMs?: number };
  /** Who the commands name as their actor. @default { type: 'system' } */
  readonly actor?: Actor;
}

/** Options with their defaults. @internal */
export interface ResolvedReconcilerOptions {
  readonly appointments: AppointmentRepository;
  readonly calendar: CalendarProvider;
  readonly bookings: ReconcilerBookings;
  readonly policyFor: (tenantId: string) => Promise<ReconcilePolicy>;
  readonly bus: EventBus<BookingEvents> | undefined;
  readonly cursors: ReconciliationCursorStore | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly pageSize: number;
  readonly graceMs: number;
  readonly maxCancelShare: number;
  readonly cancelGuardMinimum: number;
  readonly fullRunEveryMs: number;
  readonly pastMs: number;
  readonly futureMs: number;
  readonly actor: Actor;
}

const FACTORY = 'createReconciler';

/** Validates the options eagerly and fills in the defaults. @internal */
export function resolveReconcilerOptions(options: ReconcilerOptions): ResolvedReconcilerOptions {
  const details = { factory: FACTORY };
  requireOption(FACTORY, options, 'appointments', 'an AppointmentRepository', hasMethods('list', 'get'));
  requireOption(FACTORY, options, 'calendar', 'a CalendarProvider', hasMethods('listBookings'));
  requireOption(
    FACTORY,
    options,
    'bookings',
    'a BookingService (createBookingService)',
    hasMethods('book', 'reschedule', 'cancel', 'confirm', 'syncToCalendar'),
  );
  optionalOption(FACTORY, options, 'clock', CLOCK_EXPECTED, isClock);
  optionalOption(FACTORY, options, 'logger', LOGGER_EXPECTED, isLogger);
  optionalOption(FACTORY, options, 'cursors', 'a ReconciliationCursorStore', hasMethods('get', 'save'));
  const { policy } = options;
  const fixed = typeof policy === 'function' ? undefined : resolveReconcilePolicy(policy);
  return {
    appointments: options.appointments,
    calendar: options.calendar,
    bookings: options.bookings,
    policyFor:
      typeof policy === 'function'
        ? async (tenantId) => resolveReconcilePolicy(await policy(tenantId))
        : async () => fixed!,
    bus: options.bus,
    cursors: options.cursors,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger,
    pageSize: numberOption('pageSize', options.pageSize, 200, { min: 1, max: 1000, integer: true }, details),
    graceMs: numberOption('graceMs', options.graceMs, 300_000, { integer: true }, details),
    maxCancelShare: numberOption('maxCancelShare', options.maxCancelShare, 0.1, { max: 1 }, details),
    cancelGuardMinimum: numberOption(
      'cancelGuardMinimum',
      options.cancelGuardMinimum,
      3,
      { integer: true },
      details,
    ),
    fullRunEveryMs: numberOption(
      'fullRunEveryMs',
      options.fullRunEveryMs,
      86_400_000,
      { integer: true },
      details,
    ),
    pastMs: numberOption('window.pastMs', options.window?.pastMs, 86_400_000, { integer: true }, details),
    futureMs: numberOption(
      'window.futureMs',
      options.window?.futureMs,
      7_776_000_000,
      { integer: true },
      details,
    ),
    actor: options.actor ?? { type: 'system' },
  };
}
