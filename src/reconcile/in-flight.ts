import type { Appointment } from '../domain/appointment.js';
import type { CalendarBooking } from '../ports/calendar-provider.js';
import { LIVE_SAGA_STATES, type SagaQuery, type SagaRecord } from '../saga/saga-store.js';

/** Lists sagas (a saga coordinator or store: `BookingService.coordinator`). */
export interface SagaLister {
  list(query?: SagaQuery): Promise<SagaRecord[]>;
}

/** Why a pair is left alone this run: it is still in flight. */
export type SkipReason = 'saga_unfinished' | 'sync_queued' | 'recently_changed';

/** Decides which appointments and bookings are still in flight. @internal */
export interface InFlightCheck {
  local(appointment: Appointment): SkipReason | null;
  remote(booking: CalendarBooking): SkipReason | null;
}

/** The appointment a booking saga is about, from its logged input (or its id, `<name>:<id>...`). */
function appointmentIdOf(record: SagaRecord): string | null {
  const input = record.input as Record<string, unknown> | null;
  if (input && typeof input === 'object') {
    if (typeof input.appointmentId === 'string') return input.appointmentId;
    const appointment = input.appointment as Record<string, unknown> | undefined;
    if (appointment && typeof appointment.id === 'string') return appointment.id;
    const target = input.target as Record<string, unknown> | undefined;
    if (target && typeof target.appointmentId === 'string') return target.appointmentId;
  }
  const parts = record.id.split(':');
  return parts.length >= 2 && parts[1] ? parts[1] : null;
}

/**
 * The appointments of a tenant that a live (running or compensating) saga is changing. Live
 * sagas are the commands in progress, so the set is as small as the tenant's concurrency, not
 * its bookings.
 *
 * @internal
 */
export async function appointmentsInLiveSagas(
  sagas: SagaLister | undefined,
  tenantId: string,
  signal?: AbortSignal,
): Promise<ReadonlySet<string>> {
  const ids = new Set<string>();
  if (!sagas) return ids;
  let afterId: string | undefined;
  for (;;) {
    const page = await sagas.list({
      tenantId,
      states: LIVE_SAGA_STATES,
      limit: 100,
      ...(afterId === undefined ? {} : { afterId }),
      ...(signal ? { signal } : {}),
    });
    for (const record of page) {
      const id = appointmentIdOf(record);
      if (id !== null) ids.add(id);
    }
    if (page.length < 100) return ids;
    afterId = page[page.length - 1]!.id;
  }
}

/**
 * The in-flight rules: an appointment whose saga is unfinished, whose calendar sync is queued
 * (sync `pending` after at least one attempt), or that either side changed within `graceMs` of
 * `now`, is skipped rather than classified.
 *
 * @internal
 */
export function inFlightCheck(live: ReadonlySet<string>, now: number, graceMs: number): InFlightCheck {
  const recent = (iso: string): boolean => now - Date.parse(iso) < graceMs;
  return {
    local(appointment) {
      if (live.has(appointment.id)) return 'saga_unfinished';
      if (appointment.sync.status === 'pending' && appointment.sync.attempts > 0) return 'sync_queued';
      if (recent(appointment.updatedAt)) return 'recently_changed';
      return null;
    },
    remote(booking) {
      return recent(booking.updatedAt) ? 'recently_changed' : null;
    },
  };
}
