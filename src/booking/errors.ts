import { BookingKitError, errorGuard } from '../errors/booking-kit-error.js';
import type { TimeRange } from './model/time-range.js';

/** Context of a {@link SlotConflictError}. */
export interface SlotConflictContext {
  readonly tenantId: string;
  readonly resourceId: string;
  readonly requested: TimeRange;
  /** The active appointment in the way, when the store can tell. */
  readonly conflictingAppointmentId: string | null;
  /** Nearest free slots, when the booking service looked them up. */
  readonly alternatives: readonly TimeRange[];
}

/**
 * The requested time overlaps an active appointment of the same resource (the double-booking
 * rule). Raised by every appointment repository, so the database itself decides under
 * concurrency; the booking service adds `alternatives`.
 *
 * @example
 * ```ts
 * if (isSlotConflictError(error)) say(`That time is taken. How about ${error.context.alternatives[0]?.start}?`);
 * ```
 */
export class SlotConflictError extends BookingKitError<'SLOT_CONFLICT', SlotConflictContext> {
  override name = 'SlotConflictError';

  constructor(context: SlotConflictContext, options: { cause?: unknown } = {}) {
    super(
      'SLOT_CONFLICT',
      `The slot ${context.requested.start} – ${context.requested.end} of resource ${context.resourceId} is already booked`,
      context,
      options,
    );
  }

  /** A copy of this error with alternatives attached. */
  withAlternatives(alternatives: readonly TimeRange[]): SlotConflictError {
    return new SlotConflictError({ ...this.context, alternatives }, { cause: this.cause });
  }
}

/**
 * Tells whether `error` is a {@link SlotConflictError}.
 *
 * @example
 * ```ts
 * if (isSlotConflictError(error)) return offer(error.context.alternatives);
 * ```
 */
export const isSlotConflictError = errorGuard<SlotConflictError>('SlotConflictError', 'SLOT_CONFLICT');
