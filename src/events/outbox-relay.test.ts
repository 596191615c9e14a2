import { describe, expect, it } from 'vitest';
import { createEventBus } from './event-bus.js';
import { createOutboxAdmin } from './outbox-admin.js';
import { createOutboxRelay } from './outbox-relay.js';
import { orderMeta, testCatalog } from '../../test/support/test-catalog.js';
import { createMemoryOutboxStore } from '../adapters/memory/memory-outbox-store.js';
import { createFakeClock } from '../testing/fake-clock.js';

function setup(options: { leaseMs?: number } = {}) {
  const clock = createFakeClock();
  const store = createMemoryOutboxStore();
  const bus = createEventBus({ catalog: testCatalog, outbox: store, clock });
  const relay = createOutboxRelay({ bus, store, clock, owner: 'relay-1', ...options });
  const admin = createOutboxAdmin({ store, clock });
  return { clock, store, bus, relay, admin };
}

describe('queued listeners and the outbox relay', () => {
  it('hands queued listeners to the outbox and delivers through the relay, not inside publish', async () => {
    const { bus, relay } = setup();
    const delivered: string[] = [];
    bus.on('order.placed', (event) => void delivered.push(event.data.orderId), {
      queued: true,
      name: 'mail',
    });
    const result = bus.publish(bus.create('order.placed', { orderId: 'o1', totalCents: 1 }, orderMeta('o1')));
    expect(delivered).toEqual([]);
    expect((await result.settled).queued).toBe(1);
    expect(await relay.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    expect(delivered).toEqual(['o1']);
    expect(await relay.runOnce()).toMatchObject({ claimed: 0 });
  });

  it('retries with the default stepped backoff, then dead-letters, and replays on request', async () => {
    const { bus, relay, admin, clock } = setup();
    const attempts: number[] = [];
    let healthy = false;
    bus.on(
      'order.placed',
      (_event, context) => {
        attempts.push(context.attempt);
        if (!healthy) throw new Error('smtp down');
      },
      { queued: true, name: 'mail' },
    );
    await bus.publish(bus.create('order.placed', { orderId: 'o1', totalCents: 1 }, orderMeta('o1'))).settled;
    expect(await relay.runOnce()).toMatchObject({ retried: 1 });
    const waits = [1_000, 5_000, 30_000, 120_000, 600_000];
    for (const [index, wait] of waits.entries()) {
      await clock.advance(wait - 1);
      expect(await relay.runOnce(), `not due 1 ms before retry ${index + 1}`).toMatchObject({ claimed: 0 });
      await clock.advance(1);
      const round = await relay.runOnce();
      expect(round.claimed).toBe(1);
    }
    expect(attempts).toEqual([1, 2, 3, 4, 5, 6]);
    const dead = await admin.deadLetters();
    expect(dead.map((m) => [m.listener, m.attempts, m.lastError])).toEqual([['mail', 6, 'Error: smtp down']]);
    healthy = true;
    expect(await admin.replay(dead.map((m) => m.id))).toBe(1);
    expect(await relay.runOnce()).toMatchObject({ delivered: 1 });
    expect(attempts).toEqual([1, 2, 3, 4, 5, 6, 1]);
    expect(await admin.deadLetters()).toEqual([]);
  });

  it('honours a listener-specific retry schedule', async () => {
    const { bus, relay, clock } = setup();
    bus.on('order.placed', () => Promise.reject(new Error('no')), {
      queued: true,
      name: 'x',
      retry: { delays: [10], maxAttempts: 2 },
    });
    await bus.publish(bus.create('order.placed', { orderId: 'o1', totalCents: 1 }, orderMeta('o1'))).settled;
    expect(await relay.runOnce()).toMatchObject({ retried: 1 });
    await clock.advance(10);
    expect(await relay.runOnce()).toMatchObject({ deadLettered: 1 });
  });

  it('delivers the events of one aggregate in order, waiting behind a failing earlier event', async () => {
    const { bus, relay, clock } = setup();
    const seen: string[] = [];
    let failFirst = true;
    bus.on(
      'order.placed',
      (event) => {
        if (event.data.totalCents === 1 && failFirst) {
          failFirst = false;
          throw new Error('transient');
        }
        seen.push(`${event.aggregateId}:${event.data.totalCents}`);
      },
      { queued: true, name: 'projector' },
    );
    for (const [id, total] of [
      ['a', 1],
      ['a', 2],
      ['b', 1],
      ['a', 3],
    ] as const) {
      await bus.publish(bus.create('order.placed', { orderId: id, totalCents: total }, orderMeta(id)))
        .settled;
    }
    await relay.runOnce();
    expect(seen).toEqual(['b:1']);
    await clock.advance(1_000);
    await relay.runOnce();
    await relay.runOnce();
    await relay.runOnce();
    expect(seen).toEqual(['b:1', 'a:1', 'a:2', 'a:3']);
  });

  it('records each (event, listener) delivered at most once across relays sharing a store', async () => {
    const { bus, store, clock } = setup();
    const relays = [1, 2, 3].map((n) => createOutboxRelay({ bus, store, clock, owner: `r${n}` }));
    const deliveries = new Map<string, number>();
    bus.on('order.placed', (event) => void deliveries.set(event.id, (deliveries.get(event.id) ?? 0) + 1), {
      queued: true,
      name: 'count',
    });
    for (let i = 0; i < 30; i += 1) {
      await bus.publish(bus.create('order.placed', { orderId: `o${i}`, totalCents: i }, orderMeta(`o${i}`)))
        .settled;
    }
    const rounds = await Promise.all(relays.map((relay) => relay.runOnce()));
    expect(rounds.reduce((sum, r) => sum + r.delivered, 0)).toBe(30);
    expect([...deliveries.values()].every((count) => count === 1)).toBe(true);
    expect(deliveries.size).toBe(30);
  });

  it('aborts a handler whose lease is about to expire and lets another relay take over', async () => {
    const { bus, store, clock } = setup();
    const first = createOutboxRelay({ bus, store, clock, owner: 'slow', leaseMs: 1_000 });
    const second = createOutboxRelay({ bus, store, clock, owner: 'fast', leaseMs: 1_000 });
    let calls = 0;
    bus.on(
      'order.placed',
      (_event, { signal }) => {
        calls += 1;
        if (calls > 1) return;
        return new Promise<void>((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason as Error)),
        );
      },
      { queued: true, name: 'slow' },
    );
    await bus.publish(bus.create('order.placed', { orderId: 'o1', totalCents: 1 }, orderMeta('o1'))).settled;
    const slowRound = first.runOnce();
    await clock.advance(1_000);
    expect(await slowRound).toMatchObject({ retried: 1 });
    await clock.advance(1_000);
    expect(await second.runOnce()).toMatchObject({ delivered: 1 });
    expect(calls).toBe(2);
  });

  it('keeps retrying messages for a listener this bus does not know, then dead-letters them', async () => {
    const clock = createFakeClock();
    const store = createMemoryOutboxStore();
    const producer = createEventBus({ catalog: testCatalog, outbox: store, clock });
    producer.on('order.placed', () => undefined, { queued: true, name: 'gone' });
    await producer.publish(producer.create('order.placed', { orderId: 'o1', totalCents: 1 }, orderMeta('o1')))
      .settled;
    const consumer = createEventBus({ catalog: testCatalog, outbox: store, clock });
    const relay = createOutboxRelay({ bus: consumer, store, clock });
    expect(await relay.runOnce()).toMatchObject({ retried: 1 });
    expect((await store.list())[0]?.lastError).toMatch(/No queued listener named "gone"/);
    for (const wait of [1_000, 5_000, 30_000, 120_000, 600_000]) {
      await clock.advance(wait);
      await relay.runOnce();
    }
    expect((await createOutboxAdmin({ store, clock }).deadLetters()).map((m) => m.attempts)).toEqual([6]);
  });

  it('polls in the background with start() and stops cleanly', async () => {
    const { bus, relay, clock } = setup();
    const seen: string[] = [];
    bus.on('order.placed', (event) => void seen.push(event.data.orderId), { queued: true, name: 'bg' });
    relay.start();
    await bus.publish(bus.create('order.placed', { orderId: 'o1', totalCents: 1 }, orderMeta('o1'))).settled;
    await clock.advance(1_000);
    expect(seen).toEqual(['o1']);
    await relay.stop();
    await bus.publish(bus.create('order.placed', { orderId: 'o2', totalCents: 1 }, orderMeta('o2'))).settled;
    await clock.advance(5_000);
    expect(seen).toEqual(['o1']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('stops a round of many concurrent deliveries by aborting each, with no listener-leak warning', async () => {
    const { bus, relay, clock } = setup();
    const aborted: string[] = [];
    bus.on(
      'order.placed',
      (event, { signal }) =>
        new Promise<void>((_resolve, reject) =>
          signal.addEventListener('abort', () => {
            aborted.push(event.data.orderId);
            reject(signal.reason as Error);
          }),
        ),
      { queued: true, name: 'hangs' },
    );
    const ids = Array.from({ length: 30 }, (_, n) => `o${n}`);
    for (const id of ids) {
      await bus.publish(bus.create('order.placed', { orderId: id, totalCents: 1 }, orderMeta(id))).settled;
    }
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => void warnings.push(warning);
    process.on('warning', onWarning);
    try {
      relay.start();
      await clock.advance(0);
      await relay.stop();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(aborted.sort()).toEqual([...ids].sort());
    expect(warnings.map((w) => `${w.name}: ${w.message}`)).toEqual([]);
  });

  it('keeps a process alive for a round the caller awaits, never for polling', async () => {
    const { bus, relay, clock } = setup({ leaseMs: 1_000 });
    bus.on(
      'order.placed',
      (_event, { signal }) =>
        new Promise<void>((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason as Error)),
        ),
      { queued: true, name: 'hangs' },
    );
    await bus.publish(bus.create('order.placed', { orderId: 'o1', totalCents: 1 }, orderMeta('o1'))).settled;
    const awaited = relay.runOnce();
    await clock.advance(0);
    expect([clock.pendingTimers, clock.backgroundTimers], 'lease of an awaited round').toEqual([1, 0]);
    await clock.advance(1_000);
    await awaited;
    await clock.advance(1_000); // the message is due again
    relay.start();
    await clock.advance(0);
    expect([clock.pendingTimers, clock.backgroundTimers], 'lease of a polled round').toEqual([1, 1]);
    await clock.advance(1_000);
    expect([clock.pendingTimers, clock.backgroundTimers], 'poll timer').toEqual([1, 1]);
    await relay.stop();
  });

  it('skips the outbox when the caller already enqueued inside its transaction', async () => {
    const { bus, store } = setup();
    bus.on('order.placed', () => undefined, { queued: true, name: 'mail' });
    const event = bus.create('order.placed', { orderId: 'o1', totalCents: 1 }, orderMeta('o1'));
    await store.append(bus.toOutboxMessages(event));
    await bus.publish(event, { enqueue: false }).settled;
    await bus.publish(event).settled; // a second append of the same (event, listener) is ignored
    expect((await store.list()).map((m) => [m.eventId, m.listener])).toEqual([[event.id, 'mail']]);
  });

  it('reports an outbox failure as a failure of each queued listener', async () => {
    const clock = createFakeClock();
    const store = createMemoryOutboxStore();
    const failures: string[] = [];
    const bus = createEventBus({
      catalog: testCatalog,
      clock,
      outbox: { ...store, append: () => Promise.reject(new Error('db down')) },
      onError: (list) => failures.push(...list.map((f) => f.listener)),
    });
    bus.on('order.placed', () => undefined, { queued: true, name: 'mail' });
    const report = await bus.publish(
      bus.create('order.placed', { orderId: 'o1', totalCents: 1 }, orderMeta('o1')),
    ).settled;
    expect(report.failures.map((f) => (f.error as Error).message)).toEqual(['db down']);
    expect(failures).toEqual(['mail']);
  });

  it('purges messages delivered longer ago than asked, by its clock, and keeps pending and dead ones', async () => {
    const { bus, relay, admin, clock, store } = setup();
    bus.on(
      'order.placed',
      (event) => {
        if (event.data.orderId === 'bad') throw new Error('rejected');
      },
      { queued: true, name: 'mail', retry: { delays: [10], maxAttempts: 1 } },
    );
    const place = (orderId: string) =>
      bus.publish(bus.create('order.placed', { orderId, totalCents: 1 }, orderMeta(orderId))).settled;
    await place('o1');
    expect(await relay.runOnce()).toMatchObject({ delivered: 1 });
    await clock.advance(60_000);
    await place('o2');
    await place('bad');
    expect(await relay.runOnce()).toMatchObject({ delivered: 1, deadLettered: 1 });
    await place('o3');
    await clock.advance(30_000);
    expect(await admin.purgeDelivered({ olderThanMs: 60_000 })).toBe(1);
    const remaining = async () =>
      (await store.list()).map((m) => [JSON.parse(m.payload).data.orderId as string, m.status]);
    expect(await remaining()).toEqual([
      ['o2', 'delivered'],
      ['bad', 'dead'],
      ['o3', 'pending'],
    ]);
    expect(await admin.purgeDelivered({ olderThanMs: 30_001 })).toBe(0);
    expect(await admin.purgeDelivered({ olderThanMs: 0 })).toBe(1);
    expect(await remaining()).toEqual([
      ['bad', 'dead'],
      ['o3', 'pending'],
    ]);
    await expect(admin.purgeDelivered({ olderThanMs: -1 })).rejects.toThrow(/olderThanMs/);
  });
});
