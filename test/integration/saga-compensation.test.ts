import { expect, it } from 'vitest';
import { createSagaCoordinator } from '../../src/saga/coordinator.js';
import { defineSaga } from '../../src/saga/define-saga.js';
import {
  isSagaCompensatedError,
  isSagaFailedError,
  type SagaCompensatedError,
  type SagaFailedError,
} from '../../src/saga/saga-errors.js';
import type { SagaEvent } from '../../src/saga/saga-events.js';
import { NonRetryableError, isStepTimeoutError } from '../../src/saga/step-errors.js';
import { createFakeClock, type FakeClock } from '../../src/testing/fake-clock.js';
import { describeOnSagaStores, settle } from './fixtures/saga-harness.js';

class PaymentDeclined extends Error {
  override name = 'PaymentDeclined';
  readonly code = 'PAYMENT_DECLINED';
}

describeOnSagaStores('saga failures and compensation', (backend) => {
  function setup(sagas: Parameters<typeof createSagaCoordinator>[0]['sagas']): {
    clock: FakeClock;
    events: SagaEvent[];
    coordinator: ReturnType<typeof createSagaCoordinator>;
  } {
    const clock = createFakeClock();
    const events: SagaEvent[] = [];
    const coordinator = createSagaCoordinator({
      store: backend.store(),
      sagas,
      clock,
      leaseMs: 60_000,
      events: (e) => events.push(e),
    });
    return { clock, events, coordinator };
  }

  const caught = <E>(promise: Promise<unknown>): Promise<E> =>
    promise.then(
      () => Promise.reject(new Error('expected a rejection')),
      (e: unknown) => e as E,
    );

  it('compensates the completed steps in reverse order, each with its own output, then rejects with the step error', async () => {
    const log: string[] = [];
    const saga = defineSaga<{ cents: number }>({ name: 'checkout' })
      .step('reserve', {
        run: () => ({ id: 'r1' }),
        compensate: ({ output, reason }) => void log.push(`release ${output.id} (${reason.code})`),
      })
      .step('audit', { run: () => 'noted' })
      .step('charge', {
        run: () => ({ id: 'c1' }),
        compensate: ({ output, results }) => void log.push(`refund ${output.id} after ${results.reserve.id}`),
      })
      .step('ship', {
        run: () => {
          throw new NonRetryableError(new PaymentDeclined('card declined'));
        },
        compensate: () => void log.push('never: a failed step undoes itself'),
      });
    const { coordinator, events } = setup([saga]);
    const error = await caught<SagaCompensatedError>(
      coordinator.start(saga, { cents: 5 }, { sagaId: 's-comp' }),
    );
    expect(isSagaCompensatedError(error)).toBe(true);
    expect(error.context).toEqual({
      sagaId: 's-comp',
      saga: 'checkout',
      failedStep: 'ship',
      error: { name: 'PaymentDeclined', message: 'card declined', code: 'PAYMENT_DECLINED' },
    });
    expect(error.cause).toBeInstanceOf(NonRetryableError);
    expect(log).toEqual(['refund c1 after r1', 'release r1 (PAYMENT_DECLINED)']);
    const record = await coordinator.get('s-comp');
    expect(record?.state).toBe('compensated');
    expect(record?.steps.map((s) => s.status)).toEqual(['compensated', 'completed', 'compensated', 'failed']);
    expect(
      events.filter((e) => e.type === 'step_compensated').map((e) => (e as { step: string }).step),
    ).toEqual(['charge', 'reserve']);
    expect(events.at(-1)).toMatchObject({
      type: 'compensated',
      failedStep: 'ship',
      error: { code: 'PAYMENT_DECLINED' },
    });
  });

  it('reports a failure of the first step as compensated, with nothing to undo', async () => {
    const saga = defineSaga<null>({ name: 'first' }).step('only', {
      run: () => Promise.reject(new NonRetryableError('nope')),
    });
    const { coordinator } = setup([saga]);
    const error = await caught<SagaCompensatedError>(coordinator.start(saga, null));
    expect(error.context.failedStep).toBe('only');
    expect(error.message).toMatch(/compensated after step "only" failed: nope/);
  });

  it('retries a failing step with exponential backoff on the clock, then goes on', async () => {
    const attempts: [number, number][] = [];
    const time = { now: () => 0 };
    const saga = defineSaga<null>({ name: 'flaky' }).step('call', {
      run: ({ attempt }) => {
        attempts.push([attempt, time.now()]);
        if (attempt < 3) throw new Error(`timeout ${attempt}`);
        return 'ok';
      },
      retry: { maxAttempts: 3, initialDelayMs: 100, factor: 3 },
    });
    const { clock, coordinator: c, events } = setup([saga]);
    time.now = () => clock.now();
    const { output } = await settle(clock, c.start(saga, null, { sagaId: 's-flaky' }));
    expect(output.call).toBe('ok');
    const [first, second, third] = attempts.map(([, at]) => at);
    expect(attempts.map(([n]) => n)).toEqual([1, 2, 3]);
    expect(second! - first!).toBeGreaterThanOrEqual(100);
    expect(second! - first!).toBeLessThan(300);
    expect(third! - second!).toBeGreaterThanOrEqual(300);
    expect(third! - second!).toBeLessThan(900);
    expect(
      events.filter((e) => e.type === 'step_failed').map((e) => (e as { willRetry: boolean }).willRetry),
    ).toEqual([true, true]);
    const record = await c.get('s-flaky');
    expect(record?.steps[0]).toMatchObject({
      status: 'completed',
      attempts: 3,
      error: { message: 'timeout 2' },
    });
  });

  it('gives up after maxAttempts and compensates', async () => {
    let runs = 0;
    let released = 0;
    const saga = defineSaga<null>({ name: 'down' })
      .step('hold', { run: () => 'h', compensate: () => void (released += 1) })
      .step('call', {
        run: () => {
          runs += 1;
          throw new Error('503');
        },
        retry: { maxAttempts: 4, initialDelayMs: 10 },
      });
    const { clock, coordinator } = setup([saga]);
    const error = await caught<SagaCompensatedError>(settle(clock, coordinator.start(saga, null)));
    expect(error.context.error.message).toBe('503');
    expect([runs, released]).toEqual([4, 1]);
  });

  it('does not retry a NonRetryableError, nor an error the step classifies as final', async () => {
    let runs = 0;
    const saga = defineSaga<string>({ name: 'classified' }).step('call', {
      run: ({ input }) => {
        runs += 1;
        throw input === 'marker'
          ? new NonRetryableError(new Error('bad request'))
          : new PaymentDeclined('declined');
      },
      retry: {
        maxAttempts: 5,
        initialDelayMs: 10,
        shouldRetry: (error) => !(error instanceof PaymentDeclined),
      },
    });
    const { clock, coordinator } = setup([saga]);
    await caught(settle(clock, coordinator.start(saga, 'marker')));
    await caught(settle(clock, coordinator.start(saga, 'classifier')));
    expect(runs).toBe(2);
  });

  it('aborts a step that exceeds its timeout, counts it as a failed attempt, and retries it', async () => {
    const reasons: unknown[] = [];
    const saga = defineSaga<null>({ name: 'slow' }).step('call', {
      timeoutMs: 1_000,
      retry: { maxAttempts: 2, initialDelayMs: 10 },
      run: ({ signal, attempt }) =>
        attempt === 1
          ? new Promise((_, reject) =>
              signal.addEventListener(
                'abort',
                () => (reasons.push(signal.reason), reject(signal.reason as Error)),
              ),
            )
          : 'second time lucky',
    });
    const { clock, coordinator, events } = setup([saga]);
    const { output } = await settle(clock, coordinator.start(saga, null, { sagaId: 's-slow' }), 100);
    expect(output.call).toBe('second time lucky');
    expect(isStepTimeoutError(reasons[0])).toBe(true);
    expect(events.find((e) => e.type === 'step_failed')).toMatchObject({
      error: { name: 'StepTimeoutError', code: 'SAGA_STEP_TIMEOUT' },
    });
  });

  it('times out a step that ignores its signal', async () => {
    const saga = defineSaga<null>({ name: 'stuck' }).step('hang', {
      timeoutMs: 500,
      retry: { maxAttempts: 1 },
      run: () => new Promise(() => {}),
    });
    const { clock, coordinator } = setup([saga]);
    const error = await caught<SagaCompensatedError>(settle(clock, coordinator.start(saga, null), 100));
    expect(error.context.error).toMatchObject({
      code: 'SAGA_STEP_TIMEOUT',
      message: expect.stringMatching(/"hang".*500 ms/),
    });
  });

  it('fails a step whose output is not JSON, without retrying it', async () => {
    let runs = 0;
    const saga = defineSaga<null>({ name: 'cyclic' }).step('make', {
      run: () => {
        runs += 1;
        const node: { self?: unknown } = {};
        node.self = node;
        return node;
      },
    });
    const { coordinator } = setup([saga]);
    const error = await caught<SagaCompensatedError>(coordinator.start(saga, null));
    expect(error.context.error).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/output of step "make".*JSON/),
    });
    expect(runs).toBe(1);
  });

  it('retries a failing compensation and finishes compensating', async () => {
    let tries = 0;
    const saga = defineSaga<null>({ name: 'refund' })
      .step('charge', {
        run: () => ({ id: 'c1' }),
        compensate: ({ attempt }) => {
          tries = attempt;
          if (attempt < 3) throw new Error('gateway busy');
        },
        compensationRetry: { initialDelayMs: 50 },
      })
      .step('ship', { run: () => Promise.reject(new NonRetryableError('no stock')) });
    const { clock, coordinator, events } = setup([saga]);
    await caught(settle(clock, coordinator.start(saga, null, { sagaId: 's-refund' })));
    expect(tries).toBe(3);
    expect((await coordinator.get('s-refund'))?.steps[0]).toMatchObject({
      status: 'compensated',
      compensationAttempts: 3,
    });
    expect(
      events
        .filter((e) => e.type === 'compensation_failed')
        .map((e) => (e as { willRetry: boolean }).willRetry),
    ).toEqual([true, true]);
  });

  it('marks the saga compensation_failed when a compensation keeps failing, stops there, and asks for manual review', async () => {
    let earlierUndone = false;
    const saga = defineSaga<null>({ name: 'stuck-refund' })
      .step('hold', { run: () => 'h', compensate: () => void (earlierUndone = true) })
      .step('charge', {
        run: () => ({ id: 'c1' }),
        compensate: () => {
          throw new Error('gateway gone');
        },
        compensationRetry: { maxAttempts: 3, initialDelayMs: 10 },
      })
      .step('ship', { run: () => Promise.reject(new NonRetryableError('no stock')) });
    const { clock, coordinator, events } = setup([saga]);
    const error = await caught<SagaFailedError>(
      settle(clock, coordinator.start(saga, null, { sagaId: 's-stuck', tenantId: 't1' })),
    );
    expect(isSagaFailedError(error)).toBe(true);
    expect(error.context).toMatchObject({
      state: 'compensation_failed',
      step: 'ship',
      compensationStep: 'charge',
      compensationError: { message: 'gateway gone' },
    });
    expect(earlierUndone).toBe(false);
    const record = await coordinator.get('s-stuck');
    expect(record).toMatchObject({ state: 'compensation_failed', leaseOwner: null });
    expect(record?.steps.map((s) => s.status)).toEqual(['completed', 'compensation_failed', 'failed']);
    expect(events.slice(-2)).toMatchObject([
      { type: 'failed', state: 'compensation_failed', step: 'ship', compensationStep: 'charge' },
      {
        type: 'manual_review_required',
        sagaId: 's-stuck',
        tenantId: 't1',
        reason: expect.stringMatching(/"charge" failed 3 time/),
      },
    ]);
    expect((await coordinator.list({ states: ['compensation_failed'] })).map((r) => r.id)).toEqual([
      's-stuck',
    ]);
    await expect(coordinator.start(saga, null, { sagaId: 's-stuck', tenantId: 't1' })).rejects.toMatchObject({
      code: 'SAGA_FAILED',
    });
  });

  it('starts a compensated saga again by returning the same rejection, without running anything', async () => {
    let runs = 0;
    const saga = defineSaga<null>({ name: 'declined' }).step('charge', {
      run: () => {
        runs += 1;
        throw new NonRetryableError(new PaymentDeclined('declined'));
      },
    });
    const { coordinator } = setup([saga]);
    const first = await caught<SagaCompensatedError>(coordinator.start(saga, null, { sagaId: 's-declined' }));
    const second = await caught<SagaCompensatedError>(
      coordinator.start(saga, null, { sagaId: 's-declined' }),
    );
    expect(second.context).toEqual(first.context);
    expect(second.cause).toBeUndefined();
    expect(runs).toBe(1);
  });
});
