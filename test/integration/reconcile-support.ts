import { createCalcomClient } from '../../src/calcom/client/client.js';
import { createCalcomWebhookHandler } from '../../src/calcom/ingestion/calcom-webhook-handler.js';
import { createCalcomCalendarProvider } from '../../src/calcom/provider/calcom-calendar-provider.js';
import { createBookingKit } from '../../src/kit/booking-kit.js';
import type { Appointment } from '../../src/domain/appointment.js';
import type { BookingEvents } from '../../src/booking/events.js';
import type { BookingService } from '../../src/booking/service/booking-service.js';
import type { DomainEvent } from '../../src/events/catalog.js';
import type { EventBus } from '../../src/events/event-bus.js';
import type { AppointmentRepository } from '../../src/ports/appointment-repository.js';
import type { CustomerRepository } from '../../src/ports/customer-repository.js';
import type { ReconciliationCursorStore } from '../../src/ports/reconciliation-cursor-store.js';
import type { CalendarBooking, CalendarProvider } from '../../src/ports/calendar-provider.js';
import { createReconciler, type Reconciler } from '../../src/reconcile/reconciler.js';
import type { ReconcilerOptions } from '../../src/reconcile/reconciler-options.js';
import { createCalcomSimulator } from '../../src/testing/calcom-simulator/calcom-simulator.js';
import type { CalcomSimulator } from '../../src/testing/calcom-simulator/calcom-simulator-api.js';
import type { CalcomExchange } from '../../src/testing/calcom-simulator/sim-exchange.js';
import { createFakeClock, type FakeClock } from '../../src/testing/fake-clock.js';
import { aCustomer, anAppointment } from '../../src/testing/fixtures.js';
import { createBookingHarness, type Backend } from '../support/booking-harness.js';
import { settleOnClock } from '../support/settle-on-clock.js';

export const TENANT = 'acme';
/** The window every plan of these tests lists: two weeks from Monday 2026-01-05. */
export const WINDOW = { from: '2026-01-05T00:00:00.000Z', to: '2026-01-19T00:00:00.000Z' };
/** Longer than the reconciler's default grace period (5 minutes). */
export const PAST_GRACE_MS = 6 * 60_000;

/** A 30-minute slot on a weekday of the week of 2026-01-05, inside opening hours (Berlin 10:00+). */
export function slot(day: number, index: number): { start: string; end: string } {
  const start = Date.parse(`2026-01-0${5 + day}T09:00:00.000Z`) + index * 30 * 60_000;
  return { start: new Date(start).toISOString(), end: new Date(start + 30 * 60_000).toISOString() };
}

/** A booking backend on a fake clock with a calendar behind it, and a reconciler over both. */
export interface ReconcileWorld {
  readonly name: string;
  readonly clock: FakeClock;
  readonly service: BookingService;
  readonly appointments: AppointmentRepository;
  readonly calendar: CalendarProvider;
  readonly bus: EventBus<BookingEvents>;
  readonly eventTypeId: string;
  readonly events: DomainEvent<BookingEvents>[];
  /** The memory stores' reconciliation cursors. */
  readonly cursors: ReconciliationCursorStore;
  /** The simulator, for the Cal.com world. */
  readonly sim?: CalcomSimulator;
  /** A reconciler over this world (options merged over the defaults of the world). */
  reconciler(options?: Partial<ReconcilerOptions>): Reconciler;
  /** Books through BookingService: both sides have it. */
  book(range: { start: string; end: string }, key?: string): Promise<Appointment>;
  /** A booking made directly in the calendar (no appointment tag): the webhook never arrived. */
  calendarOnly(range: { start: string; end: string }): Promise<CalendarBooking>;
  /** An appointment the calendar never got: its sync failed for good. */
  orphan(range: { start: string; end: string }): Promise<Appointment>;
  /** The calendar's bookings over the window (all statuses). */
  remoteBookings(): Promise<CalendarBooking[]>;
  /** Resolves `promise` while moving the fake clock (saga retries wait on it). */
  settle<T>(promise: Promise<T>): Promise<T>;
  /** Moves the clock past the grace period. */
  passGrace(): Promise<void>;
  /** Calls the calendar received (the service's and the reconciler's) of one kind, so far. */
  calendarCalls(kind: 'create' | 'reschedule' | 'cancel'): number;
  /** The next `count` calendar creates fail as unavailable (nothing is created). */
  failCalendarCreates(count: number): void;
  /** The next calendar create takes effect but its response is lost. */
  loseCalendarCreateResponse(): void;
  /** The next listing request of the calendar fails (as unavailable, and each of its 3 attempts). */
  failNextListing(): void;
  close(): Promise<void>;
}

let keys = 0;
const bookCommand = (eventTypeId: string, range: { start: string; end: string }, key?: string) => ({
  tenantId: TENANT,
  origin: 'api' as const,
  actor: { type: 'customer' as const },
  idempotencyKey: key ?? `reconcile-test-book-${(keys += 1)}`,
  eventTypeId,
  ...range,
  timeZone: 'Europe/Berlin',
  customer: { name: 'Ana Example', email: `ana${keys}@example.com`, phone: '+49 30 1234567' },
});

async function insertOrphan(
  appointments: AppointmentRepository,
  customers: CustomerRepository,
  eventTypeId: string,
  range: { start: string; end: string },
  now: string,
): Promise<Appointment> {
  const customer = aCustomer({ tenantId: TENANT, createdAt: now, updatedAt: now });
  await customers.insert(customer);
  const appointment = anAppointment({
    tenantId: TENANT,
    eventTypeId,
    resourceId: eventTypeId,
    customerId: customer.id,
    ...range,
    status: 'confirmed',
    sync: { status: 'failed', attempts: 6, lastError: 'calendar unavailable', lastAttemptAt: now },
    createdAt: now,
    updatedAt: now,
  });
  await appointments.insert(appointment);
  return appointment;
}

async function listAll(calendar: CalendarProvider): Promise<CalendarBooking[]> {
  const all: CalendarBooking[] = [];
  let cursor: string | undefined;
  do {
    const page = await calendar.listBookings(TENANT, {
      ...WINDOW,
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

function settleOn(clock: FakeClock) {
  return <T>(promise: Promise<T>) => settleOnClock(clock, promise, { maxRounds: 5_000 });
}

/** The memory-calendar world: the booking harness (memory or Postgres stores, memory calendar). */
export function memoryWorld(backend: Backend = { kind: 'memory' }): ReconcileWorld {
  const harness = createBookingHarness(backend);
  const { clock, service, stores, bus, memoryCalendar } = harness;
  const events: DomainEvent<BookingEvents>[] = [];
  bus.onAny((event) => void events.push(event));
  const settle = settleOn(clock);
  return {
    name: `memory calendar on ${backend.kind} stores`,
    clock,
    service,
    appointments: stores.appointments,
    calendar: harness.calendar,
    bus,
    eventTypeId: 'consult',
    events,
    cursors: stores.reconciliationCursors,
    reconciler: (options = {}) =>
      createReconciler({
        appointments: stores.appointments,
        calendar: harness.calendar,
        bookings: service,
        bus,
        clock,
        pageSize: 5,
        ...options,
      }),
    book: async (range, key) => (await settle(service.book(bookCommand('consult', range, key)))).appointment,
    calendarOnly: async (range) =>
      memoryCalendar.seedBooking(TENANT, {
        eventTypeId: 'consult',
        ...range,
        attendee: {
          name: 'Bo Walk-in',
          email: 'bo@example.com',
          phone: null,
          timeZone: 'Europe/Berlin',
          locale: 'de',
        },
      }),
    orphan: (range) =>
      insertOrphan(
        stores.appointments,
        stores.customers,
        'consult',
        range,
        new Date(clock.now()).toISOString(),
      ),
    remoteBookings: () => listAll(memoryCalendar),
    settle,
    passGrace: () => clock.advance(PAST_GRACE_MS),
    calendarCalls: (kind) =>
      harness.calendar.calls(
        kind === 'create' ? 'createBooking' : kind === 'reschedule' ? 'rescheduleBooking' : 'cancelBooking',
      ),
    failCalendarCreates: (count) => harness.calendar.failNextAs('createBooking', 'unavailable', count),
    loseCalendarCreateResponse: () => harness.calendar.loseResponseNext('createBooking', 1),
    failNextListing: () => harness.calendar.failNextAs('listBookings', 'unavailable', 1),
    close: async () => service.dispose(),
  };
}

const weekday = [{ start: '09:00', end: '17:00' }];

const ROUTE_KEY = 'rk_reconcile_acme';

/**
 * The Cal.com world: the simulator (rate limit off) behind the Cal.com provider, in a booking kit.
 * With `webhooks`, the simulator's webhooks (created, rescheduled, cancelled) reach the kit's
 * Cal.com webhook handler, as in production; without, none are sent, so drift made in the
 * calendar stays drift.
 */
export async function calcomWorld(options: { readonly webhooks?: boolean } = {}): Promise<ReconcileWorld> {
  const clock = createFakeClock('2026-01-05T08:00:00.000Z');
  const exchanges: CalcomExchange[] = [];
  let deliver: (request: Request) => Promise<Response> = async () => new Response(null, { status: 503 });
  const sim = createCalcomSimulator({
    webhookFetch: (input, init) => deliver(new Request(input, init)),
    clock,
    accounts: [{ apiKey: 'cal_test_acme', username: 'acme-host', timeZone: 'Europe/Berlin' }],
    eventTypes: [
      {
        slug: 'consult',
        title: 'Consultation',
        lengthInMinutes: 30,
        timeZone: 'Europe/Berlin',
        weeklyHours: {
          monday: weekday,
          tuesday: weekday,
          wednesday: weekday,
          thursday: weekday,
          friday: weekday,
        },
      },
    ],
    rateLimitPerMinute: false,
    validate: (exchange) => void exchanges.push(exchange),
  });
  const client = createCalcomClient({
    credentials: async () => ({
      apiKey: 'cal_test_acme',
      webhookSecret: 'whsec-acme',
      baseUrl: 'https://cal.test',
    }),
    fetch: sim.fetch,
    clock,
    rateLimiter: false,
  });
  const calendar = createCalcomCalendarProvider({ client, clock });
  const kit = createBookingKit({ clock, calendar, tenants: [{ id: TENANT, timeZone: 'Europe/Berlin' }] });
  if (options.webhooks === true) {
    const handler = createCalcomWebhookHandler({
      ...kit,
      routes: async (routeKey) =>
        routeKey === ROUTE_KEY ? { tenantId: TENANT, webhookSecret: 'whsec-acme' } : null,
    });
    deliver = (request) => handler(request);
    await client.ensureWebhookSubscription(TENANT, {
      url: `https://hooks.example/webhooks/calcom/${ROUTE_KEY}`,
      triggers: ['BOOKING_CREATED', 'BOOKING_RESCHEDULED', 'BOOKING_CANCELLED', 'BOOKING_REQUESTED'],
    });
  }
  const events: DomainEvent<BookingEvents>[] = [];
  kit.bus.onAny((event) => void events.push(event));
  const settle = settleOn(clock);
  const eventTypeId = '1001';
  return {
    name: 'Cal.com simulator',
    clock,
    sim,
    service: kit.service,
    appointments: kit.stores.appointments,
    calendar,
    bus: kit.bus,
    eventTypeId,
    events,
    cursors: kit.stores.reconciliationCursors,
    reconciler: (options = {}) =>
      createReconciler({
        appointments: kit.stores.appointments,
        calendar,
        bookings: kit.service,
        bus: kit.bus,
        clock,
        pageSize: 5,
        ...options,
      }),
    book: async (range, key) =>
      (await settle(kit.service.book(bookCommand(eventTypeId, range, key)))).appointment,
    calendarOnly: async (range) => {
      const created = await client.bookings.create(TENANT, {
        eventTypeId: 1001,
        start: range.start,
        attendee: { name: 'Bo Walk-in', email: 'bo@example.com', timeZone: 'Europe/Berlin', language: 'de' },
      });
      const found = (await listAll(calendar)).find((b) => b.uid === created.uid);
      if (!found) throw new Error('the calendar-only booking is not listed');
      return found;
    },
    orphan: (range) =>
      insertOrphan(
        kit.stores.appointments,
        kit.stores.customers,
        eventTypeId,
        range,
        new Date(clock.now()).toISOString(),
      ),
    remoteBookings: () => listAll(calendar),
    settle,
    passGrace: () => clock.advance(PAST_GRACE_MS),
    calendarCalls: (kind) =>
      exchanges.filter(
        ({ request }) =>
          request.method === 'POST' &&
          (kind === 'create'
            ? request.path === '/v2/bookings'
            : request.path.endsWith(kind === 'cancel' ? '/cancel' : '/reschedule')),
      ).length,
    failCalendarCreates: (count) =>
      sim.faults.failNext(count, { method: 'POST', path: /^\/v2\/bookings$/, status: 503 }),
    loseCalendarCreateResponse: () =>
      sim.faults.loseResponseNext(1, { method: 'POST', path: /^\/v2\/bookings$/, as: 503 }),
    failNextListing: () => sim.faults.failNext(3, { method: 'GET', path: /^\/v2\/bookings$/, status: 503 }),
    close: () => kit.close(),
  };
}

/** Both worlds, for `describe.each`. */
export const WORLDS: readonly {
  readonly name: string;
  readonly make: () => ReconcileWorld | Promise<ReconcileWorld>;
}[] = [
  { name: 'memory calendar', make: memoryWorld },
  { name: 'Cal.com simulator', make: () => calcomWorld() },
];
