import { describe, expect, it } from 'vitest';
import { bulkhead } from './bulkhead.js';
import { isBulkheadRejectedError } from './errors.js';

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('bulkhead', () => {
  it('runs at most maxConcurrent calls, queues up to maxQueue in order, and rejects the rest at once', async () => {
    const limit = bulkhead({ maxConcurrent: 2, maxQueue: 2 });
    const gates = Array.from({ length: 4 }, gate);
    const order: number[] = [];
    const calls = gates.map((g, i) =>
      limit.execute(async () => {
        order.push(i);
        await g.promise;
        return i;
      }),
    );
    const rejected = await limit.execute(() => 'extra').catch((error: unknown) => error);
    expect(isBulkheadRejectedError(rejected) && rejected.context).toEqual({
      maxConcurrent: 2,
      maxQueue: 2,
      retryAfterMs: 1_000,
    });
    await tick();
    expect(order).toEqual([0, 1]);
    expect([limit.running, limit.queued]).toEqual([2, 2]);
    gates[1]?.open();
    await tick();
    expect(order).toEqual([0, 1, 2]);
    for (const g of gates) g.open();
    expect(await Promise.all(calls)).toEqual([0, 1, 2, 3]);
    expect([limit.running, limit.queued]).toEqual([0, 0]);
  });

  it('throwIfFull throws the rejection a call made now would get, without taking a slot or a place in line', async () => {
    const limit = bulkhead({ maxConcurrent: 1, maxQueue: 1, retryAfterMs: 2_000 });
    const running = gate();
    const first = limit.execute(() => running.promise);
    limit.throwIfFull(); // one place left in line
    expect([limit.running, limit.queued]).toEqual([1, 0]);
    const second = limit.execute(() => 'queued');
    let refused: unknown;
    try {
      limit.throwIfFull();
    } catch (error) {
      refused = error;
    }
    expect(isBulkheadRejectedError(refused) && refused.context).toEqual({
      maxConcurrent: 1,
      maxQueue: 1,
      retryAfterMs: 2_000,
    });
    running.open();
    await Promise.all([first, second]);
    limit.throwIfFull();
  });

  it('frees the slot when a call fails', async () => {
    const limit = bulkhead({ maxConcurrent: 1 });
    await expect(limit.execute(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limit.execute(() => 'next')).resolves.toBe('next');
  });

  it('takes a waiting call out of the line when its signal aborts', async () => {
    const limit = bulkhead({ maxConcurrent: 1, maxQueue: 1 });
    const first = gate();
    const running = limit.execute(() => first.promise);
    const controller = new AbortController();
    let ran = false;
    const waiting = limit.execute(() => (ran = true), { signal: controller.signal });
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    expect(limit.queued).toBe(0);
    const next = limit.execute(() => 'queued in its place');
    expect(limit.queued).toBe(1);
    first.open();
    await running;
    await expect(next).resolves.toBe('queued in its place');
    expect(ran).toBe(false);
    expect(limit.running).toBe(0);
  });

  it('tells a refused call when to try again', async () => {
    const limit = bulkhead({ maxConcurrent: 1, retryAfterMs: 250 });
    const first = gate();
    const running = limit.execute(() => first.promise);
    const rejected = await limit.execute(() => 'extra').catch((error: unknown) => error);
    expect(isBulkheadRejectedError(rejected) && rejected.context.retryAfterMs).toBe(250);
    first.open();
    await running;
  });

  it('rejects bad limits', () => {
    expect(() => bulkhead({ maxConcurrent: 0 })).toThrow(/maxConcurrent/);
    expect(() => bulkhead({ maxQueue: -1 })).toThrow(/maxQueue/);
    expect(() => bulkhead({ retryAfterMs: -1 })).toThrow(/retryAfterMs/);
  });
});
