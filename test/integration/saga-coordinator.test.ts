import { expect, it } from 'vitest';
import { z } from 'zod';
import { isInvalidOptionError } from '../../src/errors/invalid-option-error.js';
import { isValidationError } from '../../src/errors/validation-error.js';
import type { SagaRecord } from '../../src/saga/saga-store.js';
import { createSagaCoordinator } from '../../src/saga/coordinator.js';
import { defineSaga } from '../../src/saga/define-saga.js';
import { isSagaNotRegisteredError } from '../../src/saga/definition-errors.js';
import { isSagaIdConflictError, isSagaInProgressError } from '../../src/saga/saga-errors.js';
import type { SagaEvent } from '../../src/saga/saga-events.js';
import { createFakeClock } from '../../src/testing/fake-clock.js';
import { countingStore, deferred, describeOnSagaStores, until } from './fixtures/saga-harness.js';

interface Order {
  readonly orderId: string;
  readonly cents: number;
}

/** A three-step saga that records what each step saw. */
function orderSaga(seen: unknown[] = []) {
  return defineSaga<Order>({ name: 'order' })
    .step('reserve', {
      run: ({ input, attempt }) => {
        seen.push({ step: 'reserve', attempt });
        return { reservationId: `r-${input.orderId}` };
      },
    })
    .step('charge', {
      run: ({ input, results }) => {
        seen.push({ step: 'charge', results });
        return { chargeId: `c-${results.reserve.reservationId}`, cents: input.cents };
      },
    })
    .step('ship', {
      run: ({ results, sagaId }) => {
        seen.push({ step: 'ship', results, sagaId });
        return `shipped ${results.charge.chargeId}`;
      },
    });
}

describeOnSagaStores('saga coordinator', (backend) => {
  function coordinator(
    options: { sagas?: Parameters<typeof createSagaCoordinator>[0]['sagas']; owner?: string } = {},
  ) {
    const clock = createFakeClock();
    const events: SagaEvent[] = [];
    const saga = orderSaga();
    const coordinator = createSagaCoordinator({
      store: backend.store(),
      sagas: options.sagas ?? [saga],
      clock,
      owner: options.owner ?? 'worker-1',
      events: (event) => events.push(event),
    });
    return { clock, events, saga, coordinator };
  }

  it('runs the steps in order, each seeing the outputs of the steps before it, and resolves with every output', async () => {
    const seen: unknown[] = [];
    const saga = orderSaga(seen);
    const { coordinator: c } = coordinator({ sagas: [saga] });
    const result = await c.start(
      saga,
      { orderId: 'o1', cents: 500 },
      { sagaId: 'saga-o1', tenantId: 'tenant-a' },
    );
    expect(result).toEqual({
      sagaId: 'saga-o1',
      saga: 'order',
      output: {
        reserve: { reservationId: 'r-o1' },
        charge: { chargeId: 'c-r-o1', cents: 500 },
        ship: 'shipped c-r-o1',
      },
    });
    expect(seen).toEqual([
      { step: 'reserve', attempt: 1 },
      { step: 'charge', results: { reserve: { reservationId: 'r-o1' } } },
      {
        step: 'ship',
        results: { reserve: { reservationId: 'r-o1' }, charge: { chargeId: 'c-r-o1', cents: 500 } },
        sagaId: 'saga-o1',
      },
    ]);
    const record = await c.get('saga-o1');
    expect(record).toMatchObject({
      state: 'completed',
      tenantId: 'tenant-a',
      leaseOwner: null,
      leaseExpiresAt: null,
      failedStep: null,
    });
    expect(record?.steps.map((s) => [s.name, s.status, s.attempts])).toEqual([
      ['reserve', 'completed', 1],
      ['charge', 'completed', 1],
      ['ship', 'completed', 1],
    ]);
  });

  it('logs each step as started before it runs and as completed (with its output) before the next one runs', async () => {
    const store = backend.store();
    const logged: [string, string[]][] = [];
    const statuses = async (sagaId: string) =>
      ((await store.get(sagaId)) as SagaRecord).steps.map((s) => `${s.name}:${s.status}`);
    const saga = defineSaga<null>({ name: 'logged' })
      .step('one', { run: async ({ sagaId }) => void logged.push(['one', await statuses(sagaId)]) })
      .step('two', { run: async ({ sagaId }) => void logged.push(['two', await statuses(sagaId)]) });
    const c = createSagaCoordinator({ store, sagas: [saga], clock: createFakeClock() });
    await c.start(saga, null, { sagaId: 's-log' });
    expect(logged).toEqual([
      ['one', ['one:started', 'two:pending']],
      ['two', ['one:completed', 'two:started']],
    ]);
  });

  it('writes the log once per transition: one create and one save per step for a three-step saga', async () => {
    const { store, calls, writes } = countingStore(backend.store());
    const saga = orderSaga();
    const c = createSagaCoordinator({ store, sagas: [saga], clock: createFakeClock() });
    await c.start(saga, { orderId: 'o1', cents: 1 });
    expect(calls).toEqual({ create: 1, get: 0, save: 3, claim: 0, list: 0, purge: 0 });
    expect(writes()).toBe(4);
  });

  it('emits the lifecycle events in order', async () => {
    const { coordinator: c, saga, events } = coordinator();
    await c.start(saga, { orderId: 'o1', cents: 1 }, { sagaId: 's-events', tenantId: 'tenant-a' });
    expect(events.map((e) => ('step' in e ? `${e.type}:${e.step}` : e.type))).toEqual([
      'started',
      'step_started:reserve',
      'step_completed:reserve',
      'step_started:charge',
      'step_completed:charge',
      'step_started:ship',
      'step_completed:ship',
      'completed',
    ]);
    expect(events[0]).toMatchObject({
      sagaId: 's-events',
      saga: 'order',
      tenantId: 'tenant-a',
      time: Date.parse('2026-01-05T09:00:00.000Z'),
    });
  });

  it('returns the logged result when a finished saga is started again, without running a step', async () => {
    const seen: unknown[] = [];
    const saga = orderSaga(seen);
    const { coordinator: first } = coordinator({ sagas: [saga] });
    const result = await first.start(saga, { orderId: 'o1', cents: 5 }, { sagaId: 's-again' });
    const { coordinator: second, events } = coordinator({ sagas: [saga], owner: 'worker-2' });
    expect(await second.start(saga, { cents: 5, orderId: 'o1' }, { sagaId: 's-again' })).toEqual(result);
    expect(seen).toHaveLength(3);
    expect(events).toEqual([]);
  });

  it('runs a saga once when the same id is started concurrently in one coordinator', async () => {
    const gate = deferred();
    let runs = 0;
    const saga = defineSaga<number>({ name: 'once' }).step('slow', {
      run: async ({ input }) => {
        runs += 1;
        await gate.promise;
        return input * 2;
      },
    });
    const { coordinator: c } = coordinator({ sagas: [saga] });
    const starts = [
      c.start(saga, 21, { sagaId: 's-once' }),
      c.start(saga, 21, { sagaId: 's-once' }),
      c.start(saga, 21, { sagaId: 's-once' }),
    ];
    await until(() => runs > 0);
    gate.resolve();
    const results = await Promise.all(starts);
    expect(results.map((r) => r.output.slow)).toEqual([42, 42, 42]);
    expect(runs).toBe(1);
  });

  it('refuses to run a saga that another worker holds, and says who holds it until when', async () => {
    const gate = deferred();
    const saga = defineSaga<null>({ name: 'held' }).step('slow', { run: () => gate.promise });
    const { coordinator: a } = coordinator({ sagas: [saga], owner: 'worker-a' });
    const { coordinator: b } = coordinator({ sagas: [saga], owner: 'worker-b' });
    const running = a.start(saga, null, { sagaId: 's-held' });
    await until(async () => (await a.get('s-held')) !== undefined);
    const error = await b.start(saga, null, { sagaId: 's-held' }).catch((e: unknown) => e);
    expect(isSagaInProgressError(error)).toBe(true);
    expect(error).toMatchObject({
      context: {
        sagaId: 's-held',
        leaseOwner: 'worker-a',
        leaseExpiresAt: Date.parse('2026-01-05T09:00:30.000Z'),
      },
    });
    gate.resolve();
    await running;
  });

  it('refuses a saga id reused with another input, tenant or saga', async () => {
    const { coordinator: c, saga } = coordinator();
    const other = defineSaga<Order>({ name: 'other' }).step('x', { run: () => 1 });
    const c2 = createSagaCoordinator({
      store: backend.store(),
      sagas: [saga, other],
      clock: createFakeClock(),
    });
    await c.start(saga, { orderId: 'o1', cents: 5 }, { sagaId: 's-dup', tenantId: 't1' });
    const conflict = (promise: Promise<unknown>) =>
      promise.then(
        () => null,
        (e: unknown) => (isSagaIdConflictError(e) ? e.context.field : e),
      );
    expect(
      await conflict(c.start(saga, { orderId: 'o1', cents: 6 }, { sagaId: 's-dup', tenantId: 't1' })),
    ).toBe('input');
    expect(
      await conflict(c.start(saga, { orderId: 'o1', cents: 5 }, { sagaId: 's-dup', tenantId: 't2' })),
    ).toBe('tenantId');
    expect(
      await conflict(c2.start(other, { orderId: 'o1', cents: 5 }, { sagaId: 's-dup', tenantId: 't1' })),
    ).toBe('name');
  });

  it('validates the input against the saga schema before logging anything', async () => {
    const saga = defineSaga({ name: 'typed', input: z.object({ email: z.email() }) }).step('send', {
      run: ({ input }) => input.email,
    });
    const { coordinator: c } = coordinator({ sagas: [saga] });
    const error = await c
      .start(saga, { email: 'not-an-email' }, { sagaId: 's-typed' })
      .catch((e: unknown) => e);
    expect(isValidationError(error)).toBe(true);
    expect(String(error)).toMatch(/input of saga "typed".*email/);
    expect(await c.get('s-typed')).toBeUndefined();
    expect((await c.start(saga, { email: 'a@example.com' })).output.send).toBe('a@example.com');
  });

  it('refuses input that is not JSON', async () => {
    const saga = defineSaga<{ n: bigint }>({ name: 'bigint' }).step('x', { run: () => 1 });
    const { coordinator: c } = coordinator({ sagas: [saga] });
    await expect(c.start(saga, { n: 1n })).rejects.toThrow(
      /input of saga "bigint": must be JSON-serialisable/,
    );
  });

  it('passes inputs and outputs through JSON, so later steps see what a resumed saga would see', async () => {
    const saga = defineSaga<{ at: string }>({ name: 'json' })
      .step('date', { run: () => ({ when: new Date(Date.UTC(2026, 0, 5)), skipped: undefined }) })
      .step('read', { run: ({ results }) => results.date });
    const { coordinator: c } = coordinator({ sagas: [saga] });
    const { output } = await c.start(saga, { at: 'x' });
    expect(output.read).toEqual({ when: '2026-01-05T00:00:00.000Z' });
  });

  it('only starts sagas it was given, since only those can be recovered', async () => {
    const { coordinator: c } = coordinator();
    const stranger = defineSaga<null>({ name: 'stranger' }).step('x', { run: () => 1 });
    const error = await c.start(stranger, null).catch((e: unknown) => e);
    expect(isSagaNotRegisteredError(error)).toBe(true);
    expect(String(error)).toMatch(/"stranger" is not registered.*registered: order/);
  });

  it('lists sagas by state for operators', async () => {
    const ok = defineSaga<null>({ name: 'ok' }).step('x', { run: () => 1 });
    const { coordinator: c } = coordinator({ sagas: [ok] });
    for (const id of ['s-1', 's-2', 's-3'])
      await c.start(ok, null, { sagaId: id, tenantId: id === 's-2' ? 't2' : 't1' });
    expect((await c.list({ states: ['completed'], tenantId: 't1' })).map((r) => r.id)).toEqual([
      's-1',
      's-3',
    ]);
    expect(await c.list({ states: ['running', 'compensating'] })).toEqual([]);
  });

  it('keeps running a saga when an event listener throws, and stops calling a disposed listener', async () => {
    const { coordinator: c, saga } = coordinator();
    const seen: string[] = [];
    c.onEvent(() => {
      throw new Error('listener bug');
    });
    const subscription = c.onEvent((event) => seen.push(event.type));
    await c.start(saga, { orderId: 'o1', cents: 1 });
    subscription.dispose();
    await c.start(saga, { orderId: 'o2', cents: 1 });
    expect(seen.filter((t) => t === 'completed')).toHaveLength(1);
  });

  it('validates its options eagerly, naming the option', () => {
    const store = backend.store();
    const saga = orderSaga();
    const invalid = (make: () => unknown) => {
      try {
        make();
      } catch (error) {
        return isInvalidOptionError(error) ? error.context.option : error;
      }
      return null;
    };
    expect(invalid(() => createSagaCoordinator({ store: {} as never, sagas: [saga] }))).toBe('store');
    expect(invalid(() => createSagaCoordinator({ store, sagas: [saga, orderSaga()] }))).toBe('sagas[1].name');
    expect(invalid(() => createSagaCoordinator({ store, sagas: [defineSaga({ name: 'empty' })] }))).toBe(
      'sagas[0].steps',
    );
    expect(invalid(() => createSagaCoordinator({ store, sagas: [saga], leaseMs: 0 }))).toBe('leaseMs');
    expect(invalid(() => createSagaCoordinator({ store, sagas: [saga], owner: '' }))).toBe('owner');
    expect(invalid(() => createSagaCoordinator({ store, sagas: 'order' as never }))).toBe('sagas');
  });
});
