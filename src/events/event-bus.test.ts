import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineEventCatalog } from './catalog.js';
import { createEventBus } from './event-bus.js';
import { isEventListenerError, isEventValidationError, isUnknownEventTypeError } from './errors.js';
import { orderMeta, testCatalog } from '../../test/support/test-catalog.js';
import { createMemoryOutboxStore } from '../adapters/memory/memory-outbox-store.js';
import { isInvalidOptionError } from '../errors/invalid-option-error.js';
import { createFakeClock } from '../testing/fake-clock.js';

const placed = (bus: ReturnType<typeof createEventBus<typeof testCatalog>>, id = 'o1', totalCents = 100) =>
  bus.create('order.placed', { orderId: id, totalCents }, orderMeta(id));

describe('createEventBus', () => {
  it('delivers typed data to listeners of the published type only', () => {
    const bus = createEventBus({ catalog: testCatalog });
    const placedTotals: number[] = [];
    const shipped: string[] = [];
    bus.on('order.placed', (event) => placedTotals.push(event.data.totalCents));
    bus.on('order.shipped', (event) => shipped.push(event.data.carrier));
    const result = bus.publish(placed(bus, 'o1', 4200));
    expect(placedTotals).toEqual([4200]);
    expect(shipped).toEqual([]);
    expect(result).toMatchObject({ ok: true, listeners: 1, failures: [] });
  });

  it('runs listeners by descending priority, in registration order among equals', () => {
    const bus = createEventBus({ catalog: testCatalog });
    const order: string[] = [];
    bus.on('order.placed', () => order.push('low'), { priority: -1 });
    bus.on('order.placed', () => order.push('first 0'));
    bus.on('order.placed', () => order.push('high'), { priority: 10 });
    bus.on('order.placed', () => order.push('second 0'));
    bus.onAny(() => order.push('any'));
    bus.publish(placed(bus));
    expect(order).toEqual(['high', 'first 0', 'second 0', 'low', 'any']);
  });

  it('isolates a failing listener: the others run and the publisher gets the failures', () => {
    const onError = vi.fn();
    const bus = createEventBus({ catalog: testCatalog, onError });
    const ran: string[] = [];
    bus.on(
      'order.placed',
      () => {
        throw new Error('first broke');
      },
      { name: 'breaks-1' },
    );
    bus.on('order.placed', () => ran.push('middle'));
    bus.on(
      'order.placed',
      () => {
        throw new Error('second broke');
      },
      { name: 'breaks-2' },
    );
    const result = bus.publish(placed(bus));
    expect(ran).toEqual(['middle']);
    expect(result.ok).toBe(false);
    expect(result.failures.map((f) => [f.listener, (f.error as Error).message])).toEqual([
      ['breaks-1', 'first broke'],
      ['breaks-2', 'second broke'],
    ]);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]?.[0]).toHaveLength(2);
    expect(bus.stats().listenerFailures).toBe(2);
  });

  it('throws every failure together on a strict bus, after all listeners ran', () => {
    const bus = createEventBus({ catalog: testCatalog, strict: true });
    const ran: string[] = [];
    bus.on(
      'order.placed',
      () => {
        throw new Error('boom');
      },
      { name: 'bad' },
    );
    bus.on('order.placed', () => ran.push('after'));
    let caught: unknown;
    try {
      bus.publish(placed(bus));
    } catch (error) {
      caught = error;
    }
    expect(ran).toEqual(['after']);
    expect(isEventListenerError(caught)).toBe(true);
    expect(isEventListenerError(caught) && caught.context.failures.map((f) => f.listener)).toEqual(['bad']);
  });

  it('reports asynchronous listener failures through settled and onError', async () => {
    const onError = vi.fn();
    const bus = createEventBus({ catalog: testCatalog, onError });
    bus.on(
      'order.placed',
      async () => {
        await Promise.resolve();
        throw new Error('late');
      },
      { name: 'async-bad' },
    );
    const result = bus.publish(placed(bus));
    expect(result.ok).toBe(true);
    const report = await result.settled;
    expect(report.failures.map((f) => f.listener)).toEqual(['async-bad']);
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it('rejects settled on a strict bus when an async listener fails', async () => {
    const bus = createEventBus({ catalog: testCatalog, strict: true });
    bus.on('order.placed', () => Promise.reject(new Error('nope')), { name: 'async-bad' });
    await expect(bus.publish(placed(bus)).settled).rejects.toSatisfy(isEventListenerError);
  });

  it('keeps working when the onError hook itself throws', () => {
    const bus = createEventBus({
      catalog: testCatalog,
      onError: () => {
        throw new Error('hook broke');
      },
    });
    bus.on('order.placed', () => {
      throw new Error('listener broke');
    });
    expect(() => bus.publish(placed(bus))).not.toThrow();
  });

  it('runs once-listeners a single time', () => {
    const bus = createEventBus({ catalog: testCatalog });
    const seen: string[] = [];
    bus.once('order.placed', (event) => seen.push(event.data.orderId));
    bus.publish(placed(bus, 'o1'));
    bus.publish(placed(bus, 'o2'));
    expect(seen).toEqual(['o1']);
    expect(bus.listenerCount('order.placed')).toBe(0);
  });

  it('unsubscribes through the disposable and through an AbortSignal', () => {
    const bus = createEventBus({ catalog: testCatalog });
    const seen: string[] = [];
    const controller = new AbortController();
    const subscription = bus.on('order.placed', () => seen.push('disposable'));
    bus.on('order.placed', () => seen.push('signal'), { signal: controller.signal });
    bus.publish(placed(bus));
    subscription.dispose();
    subscription.dispose();
    controller.abort();
    bus.publish(placed(bus));
    expect(seen).toEqual(['disposable', 'signal']);
    expect(bus.listenerCount()).toBe(0);
  });

  it('does not register a listener whose signal has already aborted', () => {
    const bus = createEventBus({ catalog: testCatalog });
    bus.on('order.placed', () => undefined, { signal: AbortSignal.abort() });
    expect(bus.listenerCount('order.placed')).toBe(0);
  });

  it('lets a listener unsubscribe another during a publish without skipping anyone', () => {
    const bus = createEventBus({ catalog: testCatalog });
    const seen: string[] = [];
    bus.on('order.placed', () => {
      seen.push('first');
      second.dispose();
    });
    const second = bus.on('order.placed', () => seen.push('second'));
    bus.publish(placed(bus));
    bus.publish(placed(bus));
    expect(seen).toEqual(['first', 'second', 'first']);
  });

  it('refuses invalid data at run time, naming the path and the problem', () => {
    const bus = createEventBus({ catalog: testCatalog });
    const bad = bus.create('order.placed', { orderId: 'o1', totalCents: -5 }, orderMeta('o1'));
    let caught: unknown;
    try {
      bus.publish(bad);
    } catch (error) {
      caught = error;
    }
    expect(isEventValidationError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(/data\.totalCents/);
    expect(isEventValidationError(caught) && caught.context.issues[0]?.path).toBe('data.totalCents');
  });

  it('applies schema defaults to the dispatched event', () => {
    const bus = createEventBus({ catalog: testCatalog });
    const carriers: string[] = [];
    bus.on('order.shipped', (event) => carriers.push(event.data.carrier));
    const result = bus.publish(bus.create('order.shipped', { orderId: 'o1' }, orderMeta('o1')));
    expect(carriers).toEqual(['post']);
    expect(result.event.data.carrier).toBe('post');
  });

  it('skips validation when created with validate: false', () => {
    const bus = createEventBus({ catalog: testCatalog, validate: false });
    const totals: number[] = [];
    bus.on('order.placed', (event) => totals.push(event.data.totalCents));
    bus.publish(bus.create('order.placed', { orderId: 'o1', totalCents: -5 }, orderMeta('o1')));
    expect(totals).toEqual([-5]);
  });

  it('refuses an unknown type that slipped past the types', () => {
    const bus = createEventBus({ catalog: testCatalog });
    const event = { ...placed(bus), type: 'order.exploded' };
    expect(() => bus.publish(event as never)).toThrow(
      expect.objectContaining({ code: 'EVENT_TYPE_UNKNOWN' }),
    );
    expect(() => bus.on('order.exploded' as never, () => undefined)).toThrowError(
      /Unknown event type "order.exploded"/,
    );
    let caught: unknown;
    try {
      bus.create('nope' as never, {} as never, orderMeta('x'));
    } catch (error) {
      caught = error;
    }
    expect(isUnknownEventTypeError(caught)).toBe(true);
  });

  it('keeps the newest events in a bounded history', () => {
    const bus = createEventBus({ catalog: testCatalog, historySize: 3 });
    for (let i = 1; i <= 5; i += 1) bus.publish(placed(bus, `o${i}`));
    bus.publish(bus.create('order.shipped', { orderId: 'o5' }, orderMeta('o5')));
    expect(bus.history().map((e) => e.aggregateId)).toEqual(['o4', 'o5', 'o5']);
    expect(bus.history({ type: 'order.placed' }).map((e) => e.aggregateId)).toEqual(['o4', 'o5']);
    expect(bus.history({ limit: 1 }).map((e) => e.type)).toEqual(['order.shipped']);
    expect(bus.history({ aggregateId: 'o4' })).toHaveLength(1);
  });

  it('counts published events per type and listener calls, failures and time', () => {
    const bus = createEventBus({ catalog: testCatalog, measureListenerTime: true });
    bus.on('order.placed', () => undefined, { name: 'ok' });
    bus.on(
      'order.placed',
      () => {
        throw new Error('x');
      },
      { name: 'bad' },
    );
    bus.publish(placed(bus));
    bus.publish(placed(bus));
    bus.publish(bus.create('order.shipped', { orderId: 'o1' }, orderMeta('o1')));
    const stats = bus.stats();
    expect(stats.published).toEqual({ 'order.placed': 2, 'order.shipped': 1 });
    expect(stats.totalPublished).toBe(3);
    expect(stats.listenerFailures).toBe(2);
    const byName = Object.fromEntries(stats.listeners.map((l) => [l.name, l]));
    expect(byName.ok).toMatchObject({ calls: 2, failures: 0, type: 'order.placed', queued: false });
    expect(byName.bad).toMatchObject({ calls: 2, failures: 2 });
    expect(byName.ok!.timeMs).toBeGreaterThanOrEqual(0);
  });

  it('derives correlation and causation from the parent event', () => {
    const clock = createFakeClock('2026-03-01T10:00:00.000Z');
    const bus = createEventBus({ catalog: testCatalog, clock, source: 'shop' });
    const root = bus.create(
      'order.placed',
      { orderId: 'o1', totalCents: 1 },
      orderMeta('o1', { correlationId: 'req-1' }),
    );
    const child = bus.create('order.shipped', { orderId: 'o1' }, orderMeta('o1', { parent: root }));
    expect(root).toMatchObject({
      correlationId: 'req-1',
      causationId: null,
      source: 'shop',
      time: '2026-03-01T10:00:00.000Z',
    });
    expect(child).toMatchObject({ correlationId: 'req-1', causationId: root.id });
    expect(child.id > root.id).toBe(true);
  });

  it('validates its options eagerly, naming the option', () => {
    expect(() => createEventBus({ catalog: testCatalog, historySize: -1 })).toThrow(
      /^createEventBus: option "historySize" must be an integer/,
    );
    expect(() => createEventBus({ catalog: {} as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    const bus = createEventBus({ catalog: testCatalog });
    let caught: unknown;
    try {
      bus.on('order.placed', () => undefined, { queued: true, name: 'q' });
    } catch (error) {
      caught = error;
    }
    expect(isInvalidOptionError(caught) && caught.context.option).toBe('outbox');
  });

  it('requires a unique name for queued listeners', () => {
    const bus = createEventBus({ catalog: testCatalog, outbox: createMemoryOutboxStore() });
    expect(() => bus.on('order.placed', () => undefined, { queued: true })).toThrow(/Option "name"/);
    bus.on('order.placed', () => undefined, { queued: true, name: 'mail' });
    expect(() => bus.on('order.shipped', () => undefined, { queued: true, name: 'mail' })).toThrow(/unique/);
  });
});

describe('an event written to the outbox, then published', () => {
  function countingBus() {
    const counter = { parses: 0 };
    const catalog = defineEventCatalog({
      'order.placed': z.object({ orderId: z.string(), totalCents: z.number().int() }).refine(() => {
        counter.parses += 1;
        return true;
      }),
    });
    const outbox = createMemoryOutboxStore();
    const bus = createEventBus({ catalog, outbox });
    bus.on('order.placed', () => undefined, { queued: true, name: 'mail' });
    const create = (totalCents: number) =>
      bus.create('order.placed', { orderId: 'o1', totalCents }, orderMeta('o1'));
    return { bus, counter, create };
  }

  it('is validated once, by toOutboxMessages, not again by publish', () => {
    const { bus, counter, create } = countingBus();
    const event = create(100);
    const messages = bus.toOutboxMessages(event);
    const result = bus.publish(event, { enqueue: false });
    expect(messages).toHaveLength(1);
    expect(result.ok).toBe(true);
    expect(counter.parses).toBe(1);
  });

  it('reaches in-process listeners as it was written, even when the object changed since', () => {
    const { bus, create } = countingBus();
    const seen: number[] = [];
    bus.on('order.placed', (e) => seen.push(e.data.totalCents));
    const event = create(100);
    const [message] = bus.toOutboxMessages(event);
    (event.data as { totalCents: unknown }).totalCents = 'not a number';
    bus.publish(event, { enqueue: false });
    expect(seen).toEqual([100]);
    expect(JSON.parse(message!.payload)).toMatchObject({ data: { totalCents: 100 } });
  });

  it('is validated again when published a second time', () => {
    const { bus, counter, create } = countingBus();
    const event = create(100);
    bus.toOutboxMessages(event);
    bus.publish(event, { enqueue: false });
    (event.data as { totalCents: unknown }).totalCents = 'not a number';
    expect(() => bus.publish(event, { enqueue: false })).toThrow(
      expect.objectContaining({ code: 'EVENT_VALIDATION' }),
    );
    expect(counter.parses).toBe(1);
  });
});
