import { describe, expect, it } from 'vitest';
import { createMemorySagaStore } from '../adapters/memory/memory-saga-store.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { VersionConflictError } from '../errors/store-errors.js';
import { createSagaCoordinator } from './coordinator.js';
import { defineSaga } from './define-saga.js';
import type { SagaRecord, SagaStore } from './saga-store.js';
import type { SagaTransactions } from './saga-transactions.js';
import { NonRetryableError } from './step-errors.js';
import { createFakeClock } from '../testing/fake-clock.js';

/** A tiny transactional database: a set of effects, and (optionally) the saga log in the same transactions. */
interface Tx {
  readonly sagas?: SagaStore;
  add(effect: string): void;
  remove(effect: string): void;
}

function database(options: { joined: boolean }) {
  const log = createMemorySagaStore();
  const effects = new Set<string>();
  const writes = { inTransaction: 0, outside: 0 };
  let failNextCommit = false;
  const counted: SagaStore = {
    ...log,
    create: async (record, o) => {
      writes.outside += 1;
      return log.create(record, o);
    },
    save: async (record, o) => {
      writes.outside += 1;
      return log.save(record, o);
    },
  };
  const transactions: SagaTransactions<Tx> = {
    async run(work) {
      const staged: Array<() => Promise<unknown>> = [];
      const added = new Set<string>();
      const removed = new Set<string>();
      const versions = new Map<string, SagaRecord>();
      const latest = async (id: string) => versions.get(id) ?? (await log.get(id));
      const sagas: SagaStore = {
        ...log,
        async create(record) {
          const existing = await latest(record.id);
          if (existing) return { record: existing, created: false };
          versions.set(record.id, record);
          staged.push(() => log.create(record));
          return { record, created: true };
        },
        async save(record, o) {
          const stored = await latest(record.id);
          if (stored?.version !== record.version || stored.leaseOwner !== o.owner)
            throw new VersionConflictError({
              entity: 'saga',
              id: record.id,
              expectedVersion: record.version,
              actualVersion: stored?.version ?? null,
            });
          const next = { ...record, version: record.version + 1 };
          versions.set(record.id, next);
          staged.push(() => log.save(record, o));
          return next;
        },
      };
      const tx: Tx = {
        ...(options.joined ? { sagas } : {}),
        add: (effect) => added.add(effect),
        remove: (effect) => removed.add(effect),
      };
      const result = await work(tx);
      if (failNextCommit) {
        failNextCommit = false;
        throw new Error('commit failed');
      }
      for (const effect of added) effects.add(effect);
      for (const effect of removed) effects.delete(effect);
      for (const write of staged) await write();
      writes.inTransaction += staged.length;
      return result;
    },
  };
  return {
    store: counted,
    log,
    effects,
    writes,
    transactions,
    failCommitOnce: () => {
      failNextCommit = true;
    },
  };
}

const calls: string[] = [];
function orderSaga(options: { failConfirm?: 'once' | 'always' } = {}) {
  let confirmFailures = 0;
  return defineSaga<{ order: string }, Tx>({ name: 'order' })
    .localStep('hold', {
      run: ({ input, tx }) => {
        tx.add(`hold:${input.order}`);
        return { held: input.order };
      },
      compensate: ({ input, tx }) => tx.remove(`hold:${input.order}`),
    })
    .step('charge', {
      run: ({ input }) => {
        calls.push(`charge:${input.order}`);
        return { charge: `ch_${input.order}` };
      },
      compensate: ({ input }) => {
        calls.push(`refund:${input.order}`);
      },
    })
    .localStep('confirm', {
      run: ({ input, results, tx }) => {
        if (options.failConfirm === 'always') throw new NonRetryableError(new Error('refused'));
        if (options.failConfirm === 'once' && confirmFailures++ === 0) throw new Error('transient');
        tx.add(`confirmed:${input.order}:${results.charge.charge}`);
        return { status: 'confirmed' };
      },
      retry: { maxAttempts: 3, initialDelayMs: 1 },
    });
}

describe('local saga steps', () => {
  it('commits each local step with its log entry: the saga takes two writes, both in transactions', async () => {
    const db = database({ joined: true });
    const saga = orderSaga();
    const coordinator = createSagaCoordinator({
      store: db.store,
      sagas: [saga],
      transactions: db.transactions,
    });
    const completion = await coordinator.start(saga, { order: 'o1' }, { sagaId: 'o1' });
    expect(completion.output).toEqual({
      hold: { held: 'o1' },
      charge: { charge: 'ch_o1' },
      confirm: { status: 'confirmed' },
    });
    expect([...db.effects].sort()).toEqual(['confirmed:o1:ch_o1', 'hold:o1']);
    // The create (with hold done) and one save (charge and confirm done, saga completed).
    expect(db.writes).toEqual({ inTransaction: 2, outside: 0 });
    const stored = await db.log.get('o1');
    expect(stored?.state).toBe('completed');
    expect(stored?.steps.map((s) => [s.name, s.status, s.attempts])).toEqual([
      ['hold', 'completed', 1],
      ['charge', 'completed', 1],
      ['confirm', 'completed', 1],
    ]);
  });

  it('runs a local step whose transaction failed to commit again, and its effect happens once', async () => {
    const db = database({ joined: true });
    const saga = orderSaga({ failConfirm: 'once' });
    const coordinator = createSagaCoordinator({
      store: db.store,
      sagas: [saga],
      transactions: db.transactions,
    });
    await coordinator.start(saga, { order: 'o2' }, { sagaId: 'o2' });
    expect([...db.effects].sort()).toEqual(['confirmed:o2:ch_o2', 'hold:o2']);
    const stored = await db.log.get('o2');
    expect(stored?.steps.find((s) => s.name === 'confirm')?.attempts).toBe(2);
  });

  it('loses both the effect and the log entry when the commit itself fails', async () => {
    const db = database({ joined: true });
    const saga = orderSaga();
    const coordinator = createSagaCoordinator({
      store: db.store,
      sagas: [saga],
      transactions: db.transactions,
    });
    db.failCommitOnce();
    // The first transaction (hold + create) fails to commit: nothing exists, the step is retried
    // through the ordinary path (a start entry first), and the saga still completes once.
    await coordinator.start(saga, { order: 'o3' }, { sagaId: 'o3' });
    expect([...db.effects].sort()).toEqual(['confirmed:o3:ch_o3', 'hold:o3']);
    expect((await db.log.get('o3'))?.state).toBe('completed');
  });

  it('resumes after a crash during the remote step: the remote step runs again, local ones once', async () => {
    const db = database({ joined: true });
    const saga = orderSaga();
    const controller = new AbortController();
    const crashing = defineSaga<{ order: string }, Tx>({ name: 'order' })
      .localStep('hold', saga.steps[0]! as never)
      .step('charge', {
        run: () => {
          controller.abort(new Error('process died'));
          return new Promise<never>(() => undefined);
        },
      })
      .localStep('confirm', saga.steps[2]! as never);
    const first = createSagaCoordinator({
      store: db.store,
      sagas: [crashing],
      transactions: db.transactions,
      leaseMs: 1,
    });
    await expect(
      first.start(crashing, { order: 'o4' }, { sagaId: 'o4', signal: controller.signal }),
    ).rejects.toThrow('process died');
    const afterCrash = await db.log.get('o4');
    expect(afterCrash?.steps.map((s) => s.status)).toEqual(['completed', 'started', 'pending']);
    await new Promise((resolve) => setTimeout(resolve, 5));
    calls.length = 0;
    const second = createSagaCoordinator({ store: db.store, sagas: [saga], transactions: db.transactions });
    const report = await second.recover();
    expect(report.completed).toBe(1);
    expect(calls).toEqual(['charge:o4']);
    expect([...db.effects].sort()).toEqual(['confirmed:o4:ch_o4', 'hold:o4']);
  });

  it('compensates a local step in a transaction when a later step fails', async () => {
    const db = database({ joined: true });
    const saga = orderSaga({ failConfirm: 'always' });
    calls.length = 0;
    const coordinator = createSagaCoordinator({
      store: db.store,
      sagas: [saga],
      transactions: db.transactions,
    });
    await expect(coordinator.start(saga, { order: 'o5' }, { sagaId: 'o5' })).rejects.toMatchObject({
      code: 'SAGA_COMPENSATED',
    });
    expect([...db.effects]).toEqual([]);
    expect(calls).toEqual(['charge:o5', 'refund:o5']);
    const stored = await db.log.get('o5');
    expect(stored?.state).toBe('compensated');
    expect(stored?.steps.map((s) => s.status)).toEqual(['compensated', 'compensated', 'failed']);
  });

  it('logs a first step that failed in its own transaction, writing nothing else', async () => {
    const db = database({ joined: true });
    const saga = defineSaga<{ order: string }, Tx>({ name: 'refused' }).localStep('hold', {
      run: () => {
        throw new NonRetryableError(new Error('slot taken'));
      },
    });
    const coordinator = createSagaCoordinator({
      store: db.store,
      sagas: [saga],
      transactions: db.transactions,
    });
    await expect(coordinator.start(saga, { order: 'o6' }, { sagaId: 'o6' })).rejects.toMatchObject({
      code: 'SAGA_COMPENSATED',
    });
    const stored = await db.log.get('o6');
    expect(stored?.steps[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(db.effects.size).toBe(0);
  });

  it('answers a second start with the same id from the log, running nothing again', async () => {
    const db = database({ joined: true });
    const saga = orderSaga();
    const coordinator = createSagaCoordinator({
      store: db.store,
      sagas: [saga],
      transactions: db.transactions,
    });
    await coordinator.start(saga, { order: 'o7' }, { sagaId: 'o7' });
    calls.length = 0;
    const again = createSagaCoordinator({ store: db.store, sagas: [saga], transactions: db.transactions });
    const completion = await again.start(saga, { order: 'o7' }, { sagaId: 'o7' });
    expect(completion.output.confirm).toEqual({ status: 'confirmed' });
    expect(calls).toEqual([]);
    expect([...db.effects].sort()).toEqual(['confirmed:o7:ch_o7', 'hold:o7']);
  });

  it('writes the log after each commit when the transactions do not carry the saga store', async () => {
    const db = database({ joined: false });
    const saga = orderSaga();
    const coordinator = createSagaCoordinator({
      store: db.store,
      sagas: [saga],
      transactions: db.transactions,
    });
    await coordinator.start(saga, { order: 'o8' }, { sagaId: 'o8' });
    await coordinator.start(saga, { order: 'o9' }, { sagaId: 'o9' });
    expect([...db.effects].sort()).toEqual([
      'confirmed:o8:ch_o8',
      'confirmed:o9:ch_o9',
      'hold:o8',
      'hold:o9',
    ]);
    expect(db.writes.inTransaction).toBe(0);
    // create, hold done, confirm done (with charge's completion): three writes per saga.
    expect(db.writes.outside).toBe(6);
    expect((await db.log.get('o9'))?.state).toBe('completed');
  });

  it('refuses a saga with a local step when the coordinator has no transactions', () => {
    const saga = orderSaga();
    expect(() => createSagaCoordinator({ store: createMemorySagaStore(), sagas: [saga] })).toThrow(
      InvalidOptionError,
    );
    expect(() => createSagaCoordinator({ store: createMemorySagaStore(), sagas: [saga] })).toThrow(
      /transactions.*local step "hold" of saga "order"/s,
    );
  });

  it("commits the caller's joined writes with the saga's first and last log writes", async () => {
    const db = database({ joined: true });
    const saga = orderSaga();
    const coordinator = createSagaCoordinator({
      store: db.store,
      sagas: [saga],
      transactions: db.transactions,
    });
    await coordinator.start(
      saga,
      { order: 'j1' },
      {
        sagaId: 'j1',
        join: {
          start: async (tx: Tx) => tx.add('claimed:j1'),
          end: async (tx: Tx, record) => tx.add(`answered:j1:${record.state}`),
        },
      },
    );
    expect([...db.effects].sort()).toEqual([
      'answered:j1:completed',
      'claimed:j1',
      'confirmed:j1:ch_j1',
      'hold:j1',
    ]);
    expect(db.writes).toEqual({ inTransaction: 2, outside: 0 });
  });

  it('starts nothing when the joined start refuses, and rejects with its error', async () => {
    const db = database({ joined: true });
    const saga = orderSaga();
    const coordinator = createSagaCoordinator({
      store: db.store,
      sagas: [saga],
      transactions: db.transactions,
    });
    const refusal = new Error('already answered');
    await expect(
      coordinator.start(
        saga,
        { order: 'j2' },
        { sagaId: 'j2', join: { start: () => Promise.reject(refusal) } },
      ),
    ).rejects.toBe(refusal);
    expect(await db.log.get('j2')).toBeUndefined();
    expect(db.effects.size).toBe(0);
  });

  it('runs the joined writes in transactions of their own when the log is not in the transactions', async () => {
    const db = database({ joined: false });
    const saga = orderSaga();
    const coordinator = createSagaCoordinator({
      store: db.store,
      sagas: [saga],
      transactions: db.transactions,
    });
    await coordinator.start(
      saga,
      { order: 'j3' },
      {
        sagaId: 'j3',
        join: { start: async (tx: Tx) => tx.add('claimed:j3'), end: async (tx: Tx) => tx.add('answered:j3') },
      },
    );
    expect([...db.effects].sort()).toEqual(['answered:j3', 'claimed:j3', 'confirmed:j3:ch_j3', 'hold:j3']);
  });

  it('does not run the joined end of a saga that was compensated', async () => {
    const db = database({ joined: true });
    const saga = orderSaga({ failConfirm: 'always' });
    const coordinator = createSagaCoordinator({
      store: db.store,
      sagas: [saga],
      transactions: db.transactions,
    });
    await expect(
      coordinator.start(
        saga,
        { order: 'j4' },
        {
          sagaId: 'j4',
          join: {
            start: async (tx: Tx) => tx.add('claimed:j4'),
            end: async (tx: Tx) => tx.add('answered:j4'),
          },
        },
      ),
    ).rejects.toMatchObject({ code: 'SAGA_COMPENSATED' });
    expect([...db.effects]).toEqual(['claimed:j4']);
  });

  it('refuses a join when the coordinator has no transactions', async () => {
    const saga = defineSaga<{ order: string }>({ name: 'plain' }).step('one', { run: () => 1 });
    const coordinator = createSagaCoordinator({ store: createMemorySagaStore(), sagas: [saga] });
    await expect(
      coordinator.start(saga, { order: 'x' }, { join: { start: () => Promise.resolve() } }),
    ).rejects.toThrow(/join/);
  });

  it('keeps a deferred completion when a lease renewal that began before it lands after it', async () => {
    const db = database({ joined: true });
    const clock = createFakeClock(Date.parse('2026-01-05T08:00:00.000Z'));
    let releaseRenewal: () => void = () => undefined;
    let renewals = 0;
    const store: SagaStore = {
      ...db.store,
      save: async (record, o) => {
        // The renewal (nothing changed but the lease) is held until the remote step has finished.
        if (record.steps[1]?.status === 'started' && renewals++ === 0)
          await new Promise<void>((resolve) => (releaseRenewal = resolve));
        return db.store.save(record, o);
      },
    };
    const seen: unknown[] = [];
    const saga = defineSaga<{ order: string }, Tx>({ name: 'renewed' })
      .localStep('hold', { run: ({ tx }) => tx.add('hold') })
      .step('charge', {
        run: async () => {
          await clock.advance(400); // past a third of the lease: the renewal starts, and is held
          setTimeout(() => releaseRenewal(), 5); // it lands after this step has finished
          return { charge: 'ch_1' };
        },
      })
      .localStep('confirm', {
        run: ({ results, tx }) => {
          seen.push(results.charge);
          tx.add('confirmed');
        },
      });
    const coordinator = createSagaCoordinator({
      store,
      sagas: [saga],
      transactions: db.transactions,
      clock,
      leaseMs: 1_000,
    });
    await coordinator.start(saga, { order: 'r1' }, { sagaId: 'r1' });
    expect(renewals).toBeGreaterThan(0);
    expect(seen).toEqual([{ charge: 'ch_1' }]);
    expect((await db.log.get('r1'))?.steps.map((s) => s.status)).toEqual([
      'completed',
      'completed',
      'completed',
    ]);
  });
});
