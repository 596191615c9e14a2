import type { z } from 'zod';
import { createMemoryCalendarProvider } from '../../src/adapters/memory/memory-calendar-provider.js';
import type {
  CalcomBookingPayload,
  CalcomCancelledBookingPayload,
  CalcomNoShowPayload,
  CalcomRescheduledBookingPayload,
} from '../../src/calcom/booking-payload-schema.js';
import { createCalcomWebhookHandler } from '../../src/calcom/ingestion/calcom-webhook-handler.js';
import type { CalcomWebhookRoute } from '../../src/calcom/ingestion/routes.js';
import { calcomSignatureHeader, signCalcomBody } from '../../src/calcom/signature.js';
import { CalcomKnownWebhook } from '../../src/calcom/webhook-schema.js';
import { createBookingKit } from '../../src/kit/booking-kit.js';
import { createFakeClock } from '../../src/testing/fake-clock.js';
import { withCalendarFaults } from '../../src/testing/faulty-calendar-provider.js';
import { settleOnClock } from '../support/settle-on-clock.js';

/** Tuesday 2026-01-06, 10:00–10:30 in Berlin. */
export const SLOT = { startTime: '2026-01-06T09:00:00Z', endTime: '2026-01-06T09:30:00Z' };
export const LATER = { startTime: '2026-01-06T11:00:00Z', endTime: '2026-01-06T11:30:00Z' };
export const LATEST = { startTime: '2026-01-07T11:00:00Z', endTime: '2026-01-07T11:30:00Z' };

export const ROUTES: Readonly<Record<string, CalcomWebhookRoute>> = {
  rk_acme_0001: { tenantId: 'acme', webhookSecret: 'whsec-acme' },
  rk_beta_0002: { tenantId: 'beta', webhookSecret: 'whsec-beta' },
  rk_open_0003: { tenantId: 'acme', webhookSecret: null },
};

const weekday = [{ start: '08:00', end: '18:00' }];
const hours = { monday: weekday, tuesday: weekday, wednesday: weekday };

/** A Cal.com booking payload (event type 44) for Ana, built through the payload schema's input type. */
export function aBooking(overrides: Partial<z.input<typeof CalcomBookingPayload>> = {}) {
  return {
    bookingId: 812,
    uid: 'cal_A',
    eventTypeId: 44,
    type: 'consult',
    title: 'Consultation with Ana',
    ...SLOT,
    status: 'ACCEPTED',
    organizer: { id: 7, name: 'Host', email: 'host@acme.example', timeZone: 'Europe/Berlin' },
    attendees: [
      {
        name: 'Ana Example',
        email: 'ana@example.com',
        timeZone: 'Europe/Berlin',
        language: { locale: 'de' },
      },
    ],
    metadata: { videoCallUrl: 'https://cal.video/abc' },
    ...overrides,
  } satisfies z.input<typeof CalcomBookingPayload>;
}

type Payload =
  | z.input<typeof CalcomBookingPayload>
  | z.input<typeof CalcomCancelledBookingPayload>
  | z.input<typeof CalcomRescheduledBookingPayload>
  | z.input<typeof CalcomNoShowPayload>
  | Record<string, unknown>;

/** A webhook body as Cal.com sends it; documented triggers are checked against the schema first. */
export function body(triggerEvent: string, payload: Payload): string {
  const envelope = { triggerEvent, createdAt: '2026-01-05T08:00:00.000Z', payload };
  if (triggerEvent !== 'BOOKING_TELEPORTED') CalcomKnownWebhook.parse(envelope);
  return JSON.stringify(envelope);
}

/** Code to run inside the handler's calls, to interleave deliveries deterministically. */
export interface Hooks {
  /** Runs before each book command reaches the service. */
  readonly beforeBook?: () => Promise<void>;
  /** Runs after each look-up of an appointment by Cal.com uid, before its answer is returned. */
  readonly afterLookup?: (uid: string) => Promise<void>;
}

/** A kit for tenants `acme` and `beta` on a fake clock, its calendar counting calls, and the handler. */
export function setUp(hooks: Hooks = {}) {
  const clock = createFakeClock('2026-01-05T08:00:00.000Z');
  const calendar = withCalendarFaults(
    createMemoryCalendarProvider({
      clock,
      eventTypes: ['acme', 'beta'].flatMap((tenantId) => [
        { tenantId, id: 'consult', durationMinutes: 30, timeZone: 'Europe/Berlin', weeklyHours: hours },
      ]),
    }),
  );
  const kit = createBookingKit({ clock, calendar, tenants: [{ id: 'acme' }, { id: 'beta' }] });
  const lookups: string[] = [];
  /** The calendar mode of every book, reschedule and cancel command the handler sent. */
  const calendarModes: [string, unknown][] = [];
  const { appointments: repository } = kit.stores;
  const handler = createCalcomWebhookHandler({
    ...kit,
    service: {
      ...kit.service,
      book: async (command, options) => {
        calendarModes.push(['book', command.calendar]);
        await hooks.beforeBook?.();
        return kit.service.book(command, options);
      },
      reschedule: (command, options) => {
        calendarModes.push(['reschedule', command.calendar]);
        return kit.service.reschedule(command, options);
      },
      cancel: (command, options) => {
        calendarModes.push(['cancel', command.calendar]);
        return kit.service.cancel(command, options);
      },
    },
    stores: {
      appointments: {
        get: (tenantId, id, options) => repository.get(tenantId, id, options),
        findByCalendarUid: async (tenantId, uid, options) => {
          const found = await repository.findByCalendarUid(tenantId, uid, options);
          await hooks.afterLookup?.(uid);
          return found;
        },
      },
    },
    routes: async (routeKey) => {
      lookups.push(routeKey);
      return ROUTES[routeKey] ?? null;
    },
  });

  /** Posts `text` to the route, signed with `secret` (or with the given header, or none). */
  async function post(
    routeKey: string,
    text: string,
    signature: { secret: string } | { header: string | null } = {
      secret: ROUTES[routeKey]?.webhookSecret ?? 'whsec-acme',
    },
  ): Promise<Response> {
    const headers = new Headers({ 'content-type': 'application/json' });
    const header = 'secret' in signature ? signCalcomBody(text, signature.secret) : signature.header;
    if (header !== null) headers.set(calcomSignatureHeader, header);
    return handler(
      new Request(`https://hooks.example/webhooks/calcom/${routeKey}`, {
        method: 'POST',
        headers,
        body: text,
      }),
    );
  }

  /** Posts to acme's route and answers the parsed JSON result, failing on anything but 200. */
  async function deliver(triggerEvent: string, payload: Payload, routeKey = 'rk_acme_0001') {
    const response = await post(routeKey, body(triggerEvent, payload));
    const json = (await response.json()) as Record<string, unknown>;
    if (response.status !== 200) throw new Error(`${response.status}: ${JSON.stringify(json)}`);
    return json;
  }

  /** Every appointment of a tenant. */
  async function appointments(tenantId = 'acme') {
    const page = await kit.stores.appointments.list(tenantId, { limit: 100 });
    return page.items;
  }

  /** Resolves `promise` while moving the fake clock (for waits on it). */
  const settle = <T>(promise: Promise<T>) => settleOnClock(clock, promise);

  return { clock, calendar, kit, handler, lookups, calendarModes, post, deliver, appointments, settle };
}
