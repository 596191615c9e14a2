import { expect, it } from 'vitest';
import type { SagaStore } from '../../src/saga/saga-store.js';
import type { RegisteredSaga } from '../../src/saga/coordinator-types.js';
import { createSagaCoordinator } from '../../src/saga/coordinator.js';
import { defineSaga } from '../../src/saga/define-saga.js';
import { isSagaFailedError, isSagaLeaseLostError, type SagaFailedError } from '../../src/saga/saga-errors.js';
import type { SagaEvent } from '../../src/saga/saga-events.js';
import { createFakeClock, type FakeClock } from '../../src/testing/fake-clock.js';
import { deferred, freezableStore, describeOnSagaStores, until } from './fixtures/saga-harness.js';

const LEASE_MS = 10_000;

/**
 * A three-step saga whose steps count their runs, and whose `blockStep` hangs on its first run
 * (and its compensation, if `blockCompensation`), as a step would when its process dies in it.
 */
function countedSaga(
  options: {
    name?: string;
    blockStep?: string;
    failStep?: string;
    blockCompensation?: string;
    idempotent?: boolean;
  } = {},
) {
  const runs: Record<string, number> = {};
  const undone: Record<string, number> = {};
  const blocked = deferred();
  const hang = new Promise<never>(() => {});
  const step = (name: string) => ({
    idempotent: name === options.blockStep ? (options.idempotent ?? true) : true,
    run: async ({ attempt }: { attempt: number }) => {
      runs[name] = (runs[name] ?? 0) + 1;
      if (name === options.blockStep && attempt === 1) {
        blocked.resolve();
        return hang;
      }
      if (name === options.failStep) throw new Error(`${name} failed`);
      return `${name}-done`;
    },
    compensate: async ({ attempt }: { attempt: number }) => {
      undone[name] = (undone[name] ?? 0) + 1;
      if (name === options.blockCompensation && attempt === 1) {
        blocked.resolve();
        return hang;
      }
    },
    retry: { maxAttempts: 1 },
  });
  const saga = defineSaga<{ n: number }>({ name: options.name ?? 'counted' })
    .step('one', step('one'))
    .step('two', step('two'))
    .step('three', step('three'));
  return { saga, runs, undone, blocked: blocked.promise };
}

type CountedSaga = ReturnType<typeof countedSaga>['saga'];

describeOnSagaStores('saga recovery', (backend) => {
  function worker(
    owner: string,
    sagas: readonly RegisteredSaga[],
    clock: FakeClock,
    store: SagaStore = backend.store(),
  ) {
    const events: SagaEvent[] = [];
    const coordinator = createSagaCoordinator({
      store,
      sagas,
      clock,
      owner,
      leaseMs: LEASE_MS,
      events: (e) => events.push(e),
    });
    return { coordinator, events };
  }

  /** Starts a saga on worker "dead", which stops answering once the saga is stuck in a step. */
  async function crashIn(saga: CountedSaga, blocked: Promise<void>, clock: FakeClock, sagaId: string) {
    const frozen = freezableStore(backend.store());
    const { coordinator } = worker('dead', [saga], clock, frozen.store);
    void coordinator.start(saga, { n: 1 }, { sagaId, tenantId: 'tenant-a' }).catch(() => undefined);
    await blocked;
    frozen.freeze();
    await clock.advance(LEASE_MS + 1);
  }

  it('re-runs the step that was in progress when the worker died, and completes the saga', async () => {
    const clock = createFakeClock();
    const { saga, runs, blocked } = countedSaga({ blockStep: 'two' });
    await crashIn(saga, blocked, clock, 's-crash');
    const { coordinator, events } = worker('rescuer', [saga], clock);
    expect(await coordinator.recover()).toEqual({
      claimed: 1,
      completed: 1,
      compensated: 0,
      failed: 0,
      compensationFailed: 0,
      interrupted: 0,
    });
    expect(runs).toEqual({ one: 1, two: 2, three: 1 });
    const record = await coordinator.get('s-crash');
    expect(record).toMatchObject({ state: 'completed', recoveries: 1, leaseOwner: null });
    expect(record?.steps.map((s) => s.attempts)).toEqual([1, 2, 1]);
    expect(events[0]).toMatchObject({
      type: 'resumed',
      sagaId: 's-crash',
      state: 'running',
      recoveries: 1,
      tenantId: 'tenant-a',
    });
    expect(events.filter((e) => e.type === 'step_started').map((e) => [e.step, e.attempt])).toEqual([
      ['two', 2],
      ['three', 1],
    ]);
    expect(await coordinator.recover()).toMatchObject({ claimed: 0 });
  });

  it('continues a compensation that was in progress when the worker died', async () => {
    const clock = createFakeClock();
    const { saga, runs, undone, blocked } = countedSaga({ failStep: 'three', blockCompensation: 'two' });
    await crashIn(saga, blocked, clock, 's-comp-crash');
    const { coordinator, events } = worker('rescuer', [saga], clock);
    expect(await coordinator.recover()).toMatchObject({ claimed: 1, compensated: 1 });
    expect(runs).toEqual({ one: 1, two: 1, three: 1 });
    expect(undone).toEqual({ two: 2, one: 1 });
    expect(events[0]).toMatchObject({ type: 'resumed', state: 'compensating' });
    await expect(
      coordinator.start(saga, { n: 1 }, { sagaId: 's-comp-crash', tenantId: 'tenant-a' }),
    ).rejects.toMatchObject({
      code: 'SAGA_COMPENSATED',
      context: { failedStep: 'three', error: { message: 'three failed' } },
    });
  });

  it('re-runs the first step when the worker died right after logging the start', async () => {
    const clock = createFakeClock();
    const { saga, runs, blocked } = countedSaga({ blockStep: 'one' });
    await crashIn(saga, blocked, clock, 's-first');
    const { coordinator } = worker('rescuer', [saga], clock);
    expect(await coordinator.recover()).toMatchObject({ claimed: 1, completed: 1 });
    expect(runs).toEqual({ one: 2, two: 1, three: 1 });
  });

  it('does not re-run an interrupted step declared not idempotent: it undoes the earlier steps and asks for review', async () => {
    const clock = createFakeClock();
    const { saga, runs, undone, blocked } = countedSaga({ blockStep: 'two', idempotent: false });
    await crashIn(saga, blocked, clock, 's-doubt');
    const { coordinator, events } = worker('rescuer', [saga], clock);
    expect(await coordinator.recover()).toMatchObject({ claimed: 1, failed: 1 });
    expect(runs).toEqual({ one: 1, two: 1 });
    expect(undone).toEqual({ one: 1 });
    expect(events.slice(-2)).toMatchObject([
      { type: 'failed', state: 'failed', step: 'two', error: { code: 'SAGA_STEP_IN_DOUBT' } },
      {
        type: 'manual_review_required',
        reason: expect.stringMatching(/"two" was interrupted and is not idempotent/),
      },
    ]);
    const error: unknown = await coordinator
      .start(saga, { n: 1 }, { sagaId: 's-doubt', tenantId: 'tenant-a' })
      .catch((e: unknown) => e);
    expect(isSagaFailedError(error)).toBe(true);
    expect((error as SagaFailedError).context).toMatchObject({
      state: 'failed',
      step: 'two',
      compensationStep: null,
    });
  });

  it('leaves sagas alone while their lease is valid, and those it has no definition for', async () => {
    const clock = createFakeClock();
    const stranger = countedSaga({ name: 'stranger', blockStep: 'one' });
    await crashIn(stranger.saga, stranger.blocked, clock, 's-stranger');
    const { saga, blocked } = countedSaga({ blockStep: 'two' });
    const { coordinator: owner } = worker('alive', [saga], clock);
    void owner.start(saga, { n: 1 }, { sagaId: 's-alive' }).catch(() => undefined);
    await blocked;
    const { coordinator } = worker('rescuer', [saga], clock);
    await clock.advance(LEASE_MS / 2);
    expect(await coordinator.recover()).toMatchObject({ claimed: 0 });
    expect((await coordinator.get('s-alive'))?.leaseOwner).toBe('alive');
    expect((await coordinator.get('s-stranger'))?.state).toBe('running');
  });

  it('renews the lease of a long step, so a healthy worker keeps its saga', async () => {
    const clock = createFakeClock();
    const gate = deferred<string>();
    const saga = defineSaga<null>({ name: 'long' }).step('wait', { run: () => gate.promise });
    const { coordinator: owner } = worker('owner', [saga], clock);
    const running = owner.start(saga, null, { sagaId: 's-long' });
    // Three lease periods pass, a tenth at a time. Each renewal is a real write: before the fake
    // clock moves on, the stored lease must outlast the next step, or a slow database (not the
    // coordinator) would let it lapse.
    const leaseOutlasts = async (ms: number) =>
      ((await owner.get('s-long'))?.leaseExpiresAt ?? 0) > clock.now() + ms;
    for (let i = 0; i < 30; i += 1) {
      await until(() => leaseOutlasts(LEASE_MS / 10));
      await clock.advance(LEASE_MS / 10);
    }
    await until(() => leaseOutlasts(0));
    const { coordinator: rescuer } = worker('rescuer', [saga], clock);
    expect(await rescuer.recover()).toMatchObject({ claimed: 0 });
    gate.resolve('done');
    expect((await running).output.wait).toBe('done');
  });

  it('stops a worker that lost its lease, aborting its step, while the new owner finishes the saga', async () => {
    const clock = createFakeClock();
    const firstRun = deferred<AbortSignal>();
    const saga = defineSaga<null>({ name: 'contested' }).step('work', {
      run: ({ attempt, signal }) => {
        if (attempt > 1) return 'rescued';
        firstRun.resolve(signal);
        return new Promise<string>(() => {});
      },
    });
    const stalled = freezableStore(backend.store());
    const { coordinator: slow } = worker('slow', [saga], clock, stalled.store);
    const slowRun = slow.start(saga, null, { sagaId: 's-contested' }).catch((e: unknown) => e);
    const slowSignal = await firstRun.promise;
    stalled.freeze();
    await clock.advance(LEASE_MS + 1);
    const { coordinator: rescuer } = worker('rescuer', [saga], clock);
    expect(await rescuer.recover()).toMatchObject({ claimed: 1, completed: 1 });
    stalled.thaw();
    const error = await slowRun;
    expect(isSagaLeaseLostError(error)).toBe(true);
    expect(isSagaLeaseLostError(slowSignal.reason)).toBe(true);
    expect((await rescuer.get('s-contested'))?.steps[0]).toMatchObject({
      status: 'completed',
      output: 'rescued',
      attempts: 2,
    });
  });

  it('takes over an expired saga when it is started again, and returns its result', async () => {
    const clock = createFakeClock();
    const { saga, runs, blocked } = countedSaga({ blockStep: 'three' });
    await crashIn(saga, blocked, clock, 's-retake');
    const { coordinator, events } = worker('retry', [saga], clock);
    const { output } = await coordinator.start(saga, { n: 1 }, { sagaId: 's-retake', tenantId: 'tenant-a' });
    expect(output).toEqual({ one: 'one-done', two: 'two-done', three: 'three-done' });
    expect(runs).toEqual({ one: 1, two: 1, three: 2 });
    expect(events[0]).toMatchObject({ type: 'resumed', recoveries: 1 });
  });

  it('marks a run failed for review when its saga was redefined with other steps', async () => {
    const clock = createFakeClock();
    const { saga, blocked } = countedSaga({ blockStep: 'two' });
    await crashIn(saga, blocked, clock, 's-changed');
    const changed = defineSaga<{ n: number }>({ name: 'counted' })
      .step('one', { run: () => 1 })
      .step('three', { run: () => 3 });
    const { coordinator, events } = worker('deployed', [changed], clock);
    expect(await coordinator.recover()).toMatchObject({ claimed: 1, failed: 1 });
    expect(await coordinator.get('s-changed')).toMatchObject({
      state: 'failed',
      error: { code: 'SAGA_DEFINITION_CHANGED' },
    });
    expect(events.at(-1)).toMatchObject({
      type: 'manual_review_required',
      reason: expect.stringMatching(/one, two, three/),
    });
  });

  it('stops when the caller aborts, leaving the saga for recovery', async () => {
    const clock = createFakeClock();
    const { saga, runs, blocked } = countedSaga({ blockStep: 'two' });
    const controller = new AbortController();
    const { coordinator } = worker('impatient', [saga], clock);
    const started = coordinator.start(saga, { n: 1 }, { sagaId: 's-abort', signal: controller.signal });
    await blocked;
    controller.abort(new Error('client went away'));
    await expect(started).rejects.toThrow('client went away');
    expect((await coordinator.get('s-abort'))?.state).toBe('running');
    await clock.advance(LEASE_MS + 1);
    expect(await coordinator.recover()).toMatchObject({ claimed: 1, completed: 1 });
    expect(runs).toEqual({ one: 1, two: 2, three: 1 });
  });

  it('recovers many sagas, a batch at a time', async () => {
    const clock = createFakeClock();
    const sagas = Array.from({ length: 5 }, (_, i) => ({
      id: `s-many-${i}`,
      ...countedSaga({ blockStep: 'two' }),
    }));
    const frozen = freezableStore(backend.store());
    for (const { id, saga, blocked } of sagas) {
      const { coordinator } = worker('dead', [saga], clock, frozen.store);
      void coordinator.start(saga, { n: 1 }, { sagaId: id }).catch(() => undefined);
      await blocked;
    }
    frozen.freeze();
    await clock.advance(LEASE_MS + 1);
    const { coordinator } = worker('rescuer', [sagas[0]!.saga], clock);
    expect(await coordinator.recover({ batchSize: 2 })).toMatchObject({ claimed: 5, completed: 5 });
    expect(await coordinator.list({ states: ['completed'] })).toHaveLength(5);
  });
});
