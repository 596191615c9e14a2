/**
 * What the fault and restart scenarios check: the bookings a client was told about (201/202)
 * against Postgres and the Cal.com simulator, and the backends' readiness over time.
 */
import type { RunDatabase } from '../../support/processes/postgres-database.js';
import type { TestTenant } from '../../support/processes/tenants.js';
import { book, retryAfterMs, send, type Answer, type BookingRequest } from './api.js';

/** A booking request and how it ended for the client. */
export interface Ledgered {
  readonly tenant: TestTenant;
  readonly request: BookingRequest;
  /** The last answer (status 0: none came). */
  readonly answer: Answer;
  readonly attempts: number;
}

/** Whether the client was told the booking is made (201, or 202: queued for the calendar). */
export const acknowledged = (entry: Ledgered) => entry.answer.status === 201 || entry.answer.status === 202;

/** The appointment id of an acknowledged answer. */
export const appointmentIdOf = (answer: Answer): string =>
  (answer.body as { appointment: { id: string } }).appointment.id;

/**
 * Books as a careful client does: the same Idempotency-Key on every attempt, again after a 503
 * (waiting its Retry-After, capped), a 409 for a key still in flight, or no answer at all, until
 * another answer comes or `deadline` (epoch ms) passes. `urls` are tried in turn, so a retry may
 * reach another backend.
 */
export async function bookUntilAnswered(
  urls: readonly string[],
  tenant: TestTenant,
  request: BookingRequest,
  deadline: number,
): Promise<Ledgered> {
  let attempts = 0;
  for (;;) {
    const answer = await book(urls[attempts % urls.length]!, tenant, request);
    attempts += 1;
    const inFlight =
      answer.status === 409 && answer.headers.get('retry-after') !== null && !hasAlternatives(answer);
    // No answer (a reset connection, a timeout) is always asked again, a few times past the
    // deadline too: the client must learn what became of its key.
    const unanswered = answer.status === 0 && attempts < 50;
    const again = answer.status === 503 || inFlight;
    if (!unanswered && (!again || Date.now() > deadline)) return { tenant, request, answer, attempts };
    await new Promise((resolve) =>
      setTimeout(resolve, answer.status === 0 ? 250 : retryAfterMs(answer, 1_000)),
    );
  }
}

const hasAlternatives = (answer: Answer) =>
  typeof answer.body === 'object' && answer.body !== null && 'alternatives' in answer.body;

/** One active (pending or confirmed) appointment row. */
export interface ActiveRow {
  readonly tenant_id: string;
  readonly id: string;
  readonly status: string;
  readonly start_at: Date;
  readonly calendar_booking_uid: string | null;
}

/** Every active appointment in the run database. */
export const activeAppointments = (db: RunDatabase) =>
  db.query<ActiveRow>(
    `SELECT tenant_id, id, status, start_at, calendar_booking_uid FROM bookingkit_appointments
      WHERE status IN ('pending', 'confirmed') ORDER BY tenant_id, start_at`,
  );

/** `/ready` once: 200, or 503 with the failing checks' names (or a network error). */
export async function readiness(url: string): Promise<{ ready: boolean; failing: string[] }> {
  const answer = await send(`${url}/ready`, { signal: AbortSignal.timeout(3_000) });
  const failing =
    answer.status === 0
      ? ['unreachable']
      : ((answer.body as { failing?: string[] } | null)?.failing ?? (answer.status === 200 ? [] : ['?']));
  return { ready: answer.status === 200, failing };
}

/** Polls the backends' `/ready` every `everyMs` until stopped; what each reported, in order. */
export function watchReadiness(urls: readonly string[], everyMs = 250) {
  const seen = new Map<string, { at: number; ready: boolean; failing: string[] }[]>(urls.map((u) => [u, []]));
  let running = true;
  const loop = (async () => {
    while (running) {
      await Promise.all(
        urls.map(async (url) => seen.get(url)!.push({ at: Date.now(), ...(await readiness(url)) })),
      );
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    seen,
    async stop() {
      running = false;
      await loop;
      return seen;
    },
  };
}

/** Waits until `check` resolves true, polling every `everyMs`, or throws `what` after `ms`. */
export async function eventually(
  check: () => Promise<boolean>,
  ms: number,
  what: string | (() => string),
  everyMs = 250,
) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline)
      throw new Error(`not within ${ms} ms: ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
