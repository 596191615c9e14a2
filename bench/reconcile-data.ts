/**
 * The data of the reconciliation benchmark (bench/reconcile.bench.ts), shared with the Cal.com
 * simulator process it starts (bench/reconcile-simulator-process.ts): one host, one 15-minute
 * event type open all week; booking n starts n × 15 minutes after 2031-01-06T00:00Z, and every
 * class of drift has 2% of the bookings (n mod 50).
 */
import { APPOINTMENT_TAG } from '../src/index.js';
import type { CalcomSimulator } from '../src/testing/index.js';
import { anAppointment } from '../src/testing/fixtures.js';

export const TENANT = 'acme';
export const SLOT_MS = 15 * 60_000;
export const FIRST = Date.parse('2031-01-06T00:00:00.000Z');
/** Time drift: rescheduled 48 slots on, onto the slot a missing_remote item leaves free. */
export const SHIFT_SLOTS = 48;
export const iso = (ms: number): string => new Date(ms).toISOString();
const allDay = [{ start: '00:00', end: '24:00' }];
export const ALL_WEEK = {
  monday: allDay,
  tuesday: allDay,
  wednesday: allDay,
  thursday: allDay,
  friday: allDay,
  saturday: allDay,
  sunday: allDay,
};

export type Kind =
  'in_sync' | 'missing_remote' | 'missing_local' | 'time_drift' | 'status_drift' | 'both_cancelled';
const KINDS: readonly Kind[] = [
  'missing_remote',
  'missing_local',
  'time_drift',
  'status_drift',
  'both_cancelled',
];
export const kindOf = (n: number): Kind => KINDS[n % 50] ?? 'in_sync';
export const slotOf = (n: number) => ({
  start: iso(FIRST + n * SLOT_MS),
  end: iso(FIRST + (n + 1) * SLOT_MS),
});
export const windowOf = (size: number) => ({
  from: iso(FIRST),
  to: iso(FIRST + (size + SHIFT_SLOTS + 1) * SLOT_MS),
});
export const appointmentId = (n: number): string => `appt-${String(n).padStart(7, '0')}`;

/** What a plan over `size` seeded bookings must count. */
export function expectedCounts(size: number): Record<Kind, number> {
  const counts: Record<Kind, number> = {
    in_sync: 0,
    missing_remote: 0,
    missing_local: 0,
    time_drift: 0,
    status_drift: 0,
    both_cancelled: 0,
  };
  for (let n = 0; n < size; n += 1) counts[kindOf(n)] += 1;
  return counts;
}

/** Local appointment of booking `n` (none for missing_local), given its calendar uid. */
export function localOf(n: number, uid: string | null, seededAt: string) {
  const kind = kindOf(n);
  if (kind === 'missing_local') return null;
  return anAppointment({
    id: appointmentId(n),
    tenantId: TENANT,
    eventTypeId: 'consult',
    resourceId: 'consult',
    ...slotOf(n),
    timeZone: 'UTC',
    status: kind === 'both_cancelled' ? 'cancelled' : 'confirmed',
    external: {
      calendarBookingUid: kind === 'missing_remote' ? null : uid,
      calendarBookingId: null,
      previousCalendarBookingUids: [],
    },
    sync:
      kind === 'missing_remote'
        ? { status: 'failed', attempts: 6, lastError: 'calendar unavailable', lastAttemptAt: seededAt }
        : { status: 'synced', attempts: 1, lastError: null, lastAttemptAt: seededAt },
    createdAt: seededAt,
    updatedAt: seededAt,
  });
}

/** The Cal.com account and API key the simulator side is seeded under. */
export const CALCOM_API_KEY = 'cal_bench_acme';

/**
 * Seeds `size` bookings into a simulator through its HTTP API (create, reschedule, cancel), its
 * only way in; returns the calendar uid of each booking's appointment (its original uid for a
 * time drift), `null` where the calendar has none.
 */
export async function seedCalcomBookings(sim: CalcomSimulator, size: number): Promise<(string | null)[]> {
  const { id: eventTypeId } = sim.addEventType({
    slug: 'consult',
    lengthInMinutes: 15,
    timeZone: 'UTC',
    weeklyHours: ALL_WEEK,
  });
  const headers = {
    authorization: `Bearer ${CALCOM_API_KEY}`,
    'content-type': 'application/json',
    'cal-api-version': '2026-02-25',
  };
  const post = async (path: string, body: unknown): Promise<{ uid: string }> => {
    const response = await sim.handle(
      new Request(`https://api.cal.com${path}`, { method: 'POST', headers, body: JSON.stringify(body) }),
    );
    const answer = (await response.json()) as { data: { uid: string } };
    if (!response.ok) throw new Error(`reconcile bench: ${path} answered ${response.status}`);
    return answer.data;
  };
  const uids: (string | null)[] = [];
  for (let n = 0; n < size; n += 1) {
    const kind = kindOf(n);
    if (kind === 'missing_remote') {
      uids.push(null);
      continue;
    }
    const { uid } = await post('/v2/bookings', {
      eventTypeId,
      start: slotOf(n).start,
      attendee: { name: `Caller ${n}`, email: `caller-${n}@example.com`, timeZone: 'UTC' },
      ...(kind === 'missing_local' ? {} : { metadata: { [APPOINTMENT_TAG]: appointmentId(n) } }),
    });
    uids.push(uid);
    if (kind === 'time_drift') {
      await post(`/v2/bookings/${uid}/reschedule`, { start: slotOf(n + SHIFT_SLOTS).start });
    } else if (kind === 'status_drift' || kind === 'both_cancelled') {
      await post(`/v2/bookings/${uid}/cancel`, { cancellationReason: 'cancelled in Cal.com' });
    }
  }
  return uids;
}
