import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemorySagaStore } from '../../src/adapters/memory/memory-saga-store.js';
import { createWebhookHandler } from '../../src/http/webhook-handler.js';
import { bookingkitInstruments } from '../../src/observability/instruments.js';
import { withSpan } from '../../src/observability/with-span.js';
import { circuitBreaker } from '../../src/resilience/breaker/circuit-breaker.js';
import { consecutiveFailures } from '../../src/resilience/breaker/consecutive-failures.js';
import { createSagaCoordinator } from '../../src/saga/coordinator.js';
import { defineSaga } from '../../src/saga/define-saga.js';
import { NonRetryableError } from '../../src/saga/step-errors.js';
import { createFakeClock } from '../../src/testing/fake-clock.js';
import { createBookingHarness, SLOT } from '../support/booking-harness.js';
import { installTestTelemetry, pointsWith, type TestTelemetry } from '../support/telemetry.js';
import { memoryWorld, slot, TENANT } from './reconcile-support.js';

let telemetry: TestTelemetry | undefined;
afterEach(async () => {
  await telemetry?.uninstall();
  telemetry = undefined;
});

describe('without an OpenTelemetry SDK', () => {
  it('books, runs spans and records to the no-op instruments without throwing', async () => {
    const harness = createBookingHarness({ kind: 'memory' });
    const { appointment } = await harness.service.book(harness.bookCommand());
    expect(appointment.status).toBe('confirmed');
    bookingkitInstruments().cacheLookups.add(1, { 'bookingkit.cache': 'availability' });
    await expect(withSpan('test.ok', {}, () => Promise.resolve(7))).resolves.toBe(7);
    await expect(withSpan('test.fail', {}, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });
});

describe('with an OpenTelemetry SDK registered after bookingkit was set up', () => {
  it('records a booking: its duration and outcome by command and tenant, and spans with the correlation id', async () => {
    const harness = createBookingHarness({ kind: 'memory' });
    telemetry = installTestTelemetry();
    const command = harness.bookCommand({ idempotencyKey: 'call_1:book' });
    await harness.service.book(command);
    await harness.service.book(command); // a replay

    const bookings = await telemetry.points('bookingkit.booking.duration');
    const fresh = pointsWith(bookings, { 'bookingkit.command': 'book', 'bookingkit.replayed': false });
    expect(fresh).toHaveLength(1);
    expect(fresh[0]!.attributes).toEqual({
      'bookingkit.command': 'book',
      'bookingkit.outcome': 'ok',
      'bookingkit.calendar_sync': 'synced',
      'bookingkit.replayed': false,
      'bookingkit.tenant': 'acme',
    });
    expect(fresh[0]!.count).toBe(1);
    expect(fresh[0]!.value).toBeGreaterThan(0);
    expect(pointsWith(bookings, { 'bookingkit.replayed': true })[0]?.count).toBe(1);

    const calendar = await telemetry.points('bookingkit.calendar.duration');
    expect(pointsWith(calendar, { 'bookingkit.calendar.operation': 'createBooking' })[0]?.attributes).toEqual(
      {
        'bookingkit.calendar.operation': 'createBooking',
        'bookingkit.outcome': 'ok',
      },
    );

    const sagas = await telemetry.points('bookingkit.saga.outcomes');
    expect(pointsWith(sagas, { 'bookingkit.outcome': 'completed' })[0]?.value).toBe(1);

    const spans = telemetry.spans();
    const book = spans.filter((s) => s.name === 'booking.book');
    expect(book).toHaveLength(2);
    expect(book[0]!.attributes['bookingkit.correlation_id']).toBe('call_1:book');
    expect(book[0]!.attributes['bookingkit.tenant']).toBe('acme');
    const create = spans.find((s) => s.name === 'calendar.createBooking');
    expect(create?.kind).toBe(SpanKind.CLIENT);
    const steps = spans.filter((s) => s.name.startsWith('saga.'));
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.every((s) => s.attributes['bookingkit.correlation_id'] === 'call_1:book')).toBe(true);
  });

  it('records a refused booking as an error with its code, and the calendar call as refused', async () => {
    const harness = createBookingHarness({ kind: 'memory' });
    telemetry = installTestTelemetry();
    harness.calendar.failNextAs('createBooking', 'slot_taken');
    await expect(harness.service.book(harness.bookCommand())).rejects.toThrow();

    const [booking] = await telemetry.points('bookingkit.booking.duration');
    expect(booking?.attributes['bookingkit.outcome']).toBe('error');
    expect(booking?.attributes['error.type']).toBe('SLOT_CONFLICT');
    const calendar = await telemetry.points('bookingkit.calendar.duration');
    expect(pointsWith(calendar, { 'bookingkit.calendar.operation': 'createBooking' })[0]?.attributes).toEqual(
      {
        'bookingkit.calendar.operation': 'createBooking',
        'bookingkit.outcome': 'refused',
        'error.type': 'CALENDAR_SLOT_UNAVAILABLE',
      },
    );
    const span = telemetry.spans().find((s) => s.name === 'booking.book');
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.events.some((e) => e.name === 'exception')).toBe(true);
  });

  it('reports a breaker that opened: its transition, its state, and the calls it refused', async () => {
    telemetry = installTestTelemetry();
    const breaker = circuitBreaker({
      name: 'test-breaker',
      policy: consecutiveFailures(2),
      clock: createFakeClock(),
    });
    const failing = () => Promise.reject(new Error('down'));
    await expect(breaker.execute(failing)).rejects.toThrow('down');
    await expect(breaker.execute(failing)).rejects.toThrow('down');
    await expect(breaker.execute(failing)).rejects.toThrow();

    const transitions = await telemetry.points('bookingkit.breaker.transitions');
    expect(pointsWith(transitions, { 'bookingkit.breaker': 'test-breaker' })).toEqual([
      { attributes: { 'bookingkit.breaker': 'test-breaker', 'bookingkit.breaker.state': 'open' }, value: 1 },
    ]);
    const states = pointsWith(await telemetry.points('bookingkit.breaker.state'), {
      'bookingkit.breaker': 'test-breaker',
    });
    expect(
      Object.fromEntries(states.map((p) => [p.attributes['bookingkit.breaker.state'], p.value])),
    ).toEqual({
      closed: 0,
      open: 1,
      'half-open': 0,
      isolated: 0,
      disabled: 0,
    });
    const rejections = await telemetry.points('bookingkit.breaker.rejections');
    expect(pointsWith(rejections, { 'bookingkit.breaker': 'test-breaker' })[0]?.value).toBe(1);
  });

  it('counts availability cache misses and hits', async () => {
    const harness = createBookingHarness({ kind: 'memory' });
    telemetry = installTestTelemetry();
    const day = { start: '2026-01-06T00:00:00.000Z', end: '2026-01-07T00:00:00.000Z' };
    await harness.availability.getSlots('acme', 'consult', day);
    await harness.availability.getSlots('acme', 'consult', day);

    const lookups = await telemetry.points('bookingkit.cache.lookups');
    const byResult = Object.fromEntries(
      lookups.map((p) => [p.attributes['bookingkit.cache.result'], p.value]),
    );
    expect(byResult).toEqual({ miss: 1, hit: 1 });
    expect(lookups.every((p) => p.attributes['bookingkit.cache'] === 'availability')).toBe(true);
    const calendar = await telemetry.points('bookingkit.calendar.duration');
    expect(pointsWith(calendar, { 'bookingkit.calendar.operation': 'getAvailableSlots' })[0]?.count).toBe(1);
  });

  it('records each webhook request: accepted and rejected, with the status answered', async () => {
    telemetry = installTestTelemetry();
    const webhook = createWebhookHandler({
      name: 'test',
      verify: (_body, headers) =>
        headers.get('x-signature') === 'good' ? { ok: true } : { ok: false, reason: 'bad signature' },
      handle: () => undefined,
    });
    const post = (signature: string) =>
      webhook(
        new Request('http://localhost/hook', {
          method: 'POST',
          body: '{}',
          headers: { 'x-signature': signature },
        }),
      );
    expect((await post('good')).status).toBe(204);
    expect((await post('bad')).status).toBe(401);

    const points = await telemetry.points('bookingkit.webhook.duration');
    expect(
      points
        .map((p) => p.attributes)
        .sort((a, b) => String(a['bookingkit.outcome']).localeCompare(String(b['bookingkit.outcome']))),
    ).toEqual([
      {
        'bookingkit.webhook.source': 'test',
        'bookingkit.outcome': 'accepted',
        'http.response.status_code': 204,
      },
      {
        'bookingkit.webhook.source': 'test',
        'bookingkit.outcome': 'rejected',
        'http.response.status_code': 401,
      },
    ]);
    expect(telemetry.spans().filter((s) => s.name === 'webhook.test')).toHaveLength(2);
  });

  it('counts outbox deliveries by outcome, a dead letter among them, and their lag', async () => {
    const harness = createBookingHarness({ kind: 'memory' });
    harness.bus.on(
      'appointment.booked',
      () => {
        throw new Error('mail server down');
      },
      { queued: true, name: 'send-confirmation', retry: { delays: [1_000], maxAttempts: 1 } },
    );
    telemetry = installTestTelemetry();
    await harness.service.book(harness.bookCommand());
    await harness.drain();

    const deliveries = await telemetry.points('bookingkit.outbox.deliveries');
    expect(pointsWith(deliveries, { 'bookingkit.outbox.listener': 'send-confirmation' })).toEqual([
      {
        attributes: {
          'bookingkit.outbox.listener': 'send-confirmation',
          'bookingkit.outcome': 'dead_lettered',
        },
        value: 1,
      },
    ]);
    const lag = pointsWith(await telemetry.points('bookingkit.outbox.lag'), {
      'bookingkit.outbox.listener': 'send-confirmation',
    });
    expect(lag[0]?.count).toBe(1);
  });

  it('counts a compensated saga and traces its steps, the failed one with its error', async () => {
    telemetry = installTestTelemetry();
    const saga = defineSaga<{ correlationId: string }>({ name: 'checkout' })
      .step('reserve', { run: () => 'r1', compensate: () => undefined })
      .step('charge', {
        run: () => {
          throw new NonRetryableError(new Error('card declined'));
        },
      });
    const coordinator = createSagaCoordinator({ store: createMemorySagaStore(), sagas: [saga] });
    await expect(coordinator.start(saga, { correlationId: 'order-7' })).rejects.toThrow();

    const outcomes = await telemetry.points('bookingkit.saga.outcomes');
    expect(pointsWith(outcomes, { 'bookingkit.saga': 'checkout' })).toEqual([
      { attributes: { 'bookingkit.saga': 'checkout', 'bookingkit.outcome': 'compensated' }, value: 1 },
    ]);
    const spans = telemetry.spans().filter((s) => s.attributes['bookingkit.saga'] === 'checkout');
    expect(spans.map((s) => s.name)).toEqual([
      'saga.checkout.reserve',
      'saga.checkout.charge',
      'saga.checkout.reserve.compensate',
    ]);
    expect(spans[1]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(spans.every((s) => s.attributes['bookingkit.correlation_id'] === 'order-7')).toBe(true);
  });

  it('counts what a reconciliation compared and healed', async () => {
    const world = memoryWorld();
    try {
      await world.calendarOnly(slot(1, 4));
      await world.passGrace();
      telemetry = installTestTelemetry();
      const report = await world.settle(world.reconciler().run({ tenant: TENANT, mode: 'full' }));
      expect(report.taken.import_local).toBe(1);

      const pairs = await telemetry.points('bookingkit.reconcile.pairs');
      expect(pointsWith(pairs, { 'bookingkit.reconcile.drift_class': 'missing_local' })).toEqual([
        {
          attributes: {
            'bookingkit.tenant': TENANT,
            'bookingkit.reconcile.mode': 'full',
            'bookingkit.reconcile.drift_class': 'missing_local',
          },
          value: 1,
        },
      ]);
      const actions = await telemetry.points('bookingkit.reconcile.actions');
      expect(actions).toEqual([
        {
          attributes: {
            'bookingkit.tenant': TENANT,
            'bookingkit.reconcile.action': 'import_local',
            'bookingkit.outcome': 'applied',
          },
          value: 1,
        },
      ]);
      expect((await telemetry.points('bookingkit.reconcile.duration'))[0]?.count).toBe(1);
    } finally {
      await world.close();
    }
  });

  it('gives every instrument a unit and a description', async () => {
    telemetry = installTestTelemetry();
    const harness = createBookingHarness({ kind: 'memory' });
    await harness.service.book(harness.bookCommand({ ...SLOT }));
    const descriptors = await telemetry.descriptors();
    expect(descriptors.size).toBeGreaterThan(0);
    for (const [name, { unit, description }] of descriptors) {
      expect(name).toMatch(/^bookingkit\./);
      expect(unit).not.toBe('');
      expect(description).not.toBe('');
    }
  });
});
