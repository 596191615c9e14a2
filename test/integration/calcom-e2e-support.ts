import { createCalcomClient } from '../../src/calcom/client/client.js';
import { createCalcomWebhookHandler } from '../../src/calcom/ingestion/calcom-webhook-handler.js';
import { createCalcomCalendarProvider } from '../../src/calcom/provider/calcom-calendar-provider.js';
import { createBookingKit } from '../../src/kit/booking-kit.js';
import { createCalcomSimulator } from '../../src/testing/calcom-simulator/calcom-simulator.js';
import type { CalcomExchange } from '../../src/testing/calcom-simulator/sim-exchange.js';
import { createFakeClock } from '../../src/testing/fake-clock.js';
import { calcomOpenApiSkipReason, loadCalcomOpenApi } from '../support/calcom-openapi.js';
import { settleOnClock } from '../support/settle-on-clock.js';

const API_KEY = 'cal_test_acme';
const WEBHOOK_SECRET = 'whsec-acme';
const ROUTE_KEY = 'rk_acme_0001';
const weekday = [{ start: '08:00', end: '18:00' }];

/** Tuesday 2026-01-06, 10:00–10:30 in Berlin. */
export const SLOT = { start: '2026-01-06T09:00:00.000Z', end: '2026-01-06T09:30:00.000Z' };

const openApi = calcomOpenApiSkipReason === undefined ? loadCalcomOpenApi() : undefined;

/**
 * What Cal.com's document does not describe and the client could send: `allowConflicts`,
 * `allowBookingOutOfBounds` and `skipBookingLimits` on a create (the last two exist only with
 * bookings version 2026-02-25, which the document predates), and a comma-joined `status` filter
 * (the document's `status` is an array of one value per parameter). The Cal.com provider sends
 * none of them; these checks prove it rather than correct the document for them.
 */
function deviationsOf({ request }: CalcomExchange): string[] {
  const found: string[] = [];
  if (request.method === 'POST' && request.path === '/v2/bookings') {
    const body = (request.body ?? {}) as Record<string, unknown>;
    for (const field of ['allowConflicts', 'allowBookingOutOfBounds', 'skipBookingLimits'])
      if (field in body) found.push(`POST /v2/bookings sent ${field}`);
  }
  if (request.method === 'GET' && request.path === '/v2/bookings' && 'status' in request.query)
    found.push(`GET /v2/bookings sent status=${request.query.status}`);
  return found;
}

/**
 * A tenant `acme` whose Cal.com is the simulator served over HTTP on a local port, a booking kit
 * with the Cal.com provider, and the webhook handler the simulator delivers to. Every request and
 * response is checked against the OpenAPI document.
 */
export async function setUpCalcomE2e() {
  const clock = createFakeClock('2026-01-05T08:00:00.000Z');
  const exchanges: CalcomExchange[] = [];
  const problems: string[] = [];
  let deliver: (request: Request) => Promise<Response> = async () => new Response(null, { status: 503 });
  const sim = createCalcomSimulator({
    clock,
    accounts: [{ apiKey: API_KEY, username: 'acme-host', timeZone: 'Europe/Berlin' }],
    eventTypes: [
      {
        slug: 'consult',
        title: 'Consultation',
        lengthInMinutes: 30,
        timeZone: 'Europe/Berlin',
        weeklyHours: { monday: weekday, tuesday: weekday, wednesday: weekday },
      },
    ],
    webhookFetch: (input, init) => deliver(new Request(input, init)),
    validate: (exchange) => {
      exchanges.push(exchange);
      problems.push(...deviationsOf(exchange));
      if (!openApi) return;
      problems.push(...openApi.validateRequest(exchange.request));
      if (exchange.response) problems.push(...openApi.validateResponse(exchange.request, exchange.response));
    },
  });
  const baseUrl = await sim.listen();
  const client = createCalcomClient({
    credentials: async (tenantId) => {
      if (tenantId !== 'acme') throw new Error(`no Cal.com account for tenant ${tenantId}`);
      return { apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET, baseUrl };
    },
    clock,
  });
  const calendar = createCalcomCalendarProvider({ client, clock });
  const kit = createBookingKit({ clock, calendar, tenants: [{ id: 'acme', timeZone: 'Europe/Berlin' }] });
  const handler = createCalcomWebhookHandler({
    ...kit,
    routes: async (routeKey) =>
      routeKey === ROUTE_KEY ? { tenantId: 'acme', webhookSecret: WEBHOOK_SECRET } : null,
  });
  const handled: Response[] = [];
  deliver = async (request) => {
    const response = await handler(request);
    handled.push(response.clone());
    return response;
  };
  await client.ensureWebhookSubscription('acme', {
    url: `https://hooks.example/webhooks/calcom/${ROUTE_KEY}`,
    triggers: ['BOOKING_CREATED', 'BOOKING_RESCHEDULED', 'BOOKING_CANCELLED', 'BOOKING_REQUESTED'],
  });

  /** Resolves `promise` while moving the fake clock (saga retries, rate-limit waits wait on it). */
  const settle = <T>(promise: Promise<T>) => settleOnClock(clock, promise, { maxRounds: 5_000 });

  let seq = 0;
  /** Books SLOT (or `range`) for Ana through BookingService, as a voice agent would. */
  const book = (range: { start: string; end: string } = SLOT) =>
    settle(
      kit.service.book({
        tenantId: 'acme',
        origin: 'voice',
        actor: { type: 'agent', id: 'agent-1' },
        idempotencyKey: `e2e-book-${(seq += 1)}`,
        eventTypeId: '1001',
        ...range,
        timeZone: 'Europe/Berlin',
        customer: { name: 'Ana Example', email: 'ana@example.com', phone: '+49 30 1234567' },
      }),
    );

  /** Requests the simulator received, as `METHOD /path`. */
  const calls = (method: string, path: RegExp) =>
    exchanges.filter((e) => e.request.method === method && path.test(e.request.path));

  return {
    clock,
    sim,
    client,
    calendar,
    kit,
    handled,
    exchanges,
    problems,
    settle,
    book,
    calls,
    async close() {
      await kit.close();
      await sim.close();
    },
  };
}
