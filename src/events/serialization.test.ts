import { describe, expect, it } from 'vitest';
import { createEventBus } from './event-bus.js';
import { isEventValidationError } from './errors.js';
import { deserializeEvent, serializeEvent } from './serialization.js';
import { orderMeta, testCatalog } from '../../test/support/test-catalog.js';

const bus = createEventBus({ catalog: testCatalog });

describe('event serialization', () => {
  it('round-trips an event through JSON', () => {
    const event = bus.create('order.placed', { orderId: 'o1', totalCents: 10 }, orderMeta('o1'));
    expect(deserializeEvent(testCatalog, serializeEvent(event))).toEqual(event);
  });

  it('upcasts old versions step by step to the current schema version', () => {
    const v1 = {
      ...bus.create('order.cancelled', { orderId: 'o1' } as never, orderMeta('o1')),
      schemaVersion: 1,
    };
    const read = deserializeEvent(testCatalog, JSON.stringify(v1));
    expect(read.schemaVersion).toBe(3);
    expect(read.data).toEqual({ orderId: 'o1', reason: 'unspecified', refundCents: 0 });
  });

  it('creates events with the current schema version', () => {
    expect(
      bus.create('order.cancelled', { orderId: 'o', reason: 'r', refundCents: 1 }, orderMeta('o'))
        .schemaVersion,
    ).toBe(3);
  });

  it('refuses a version newer than the catalog knows', () => {
    const future = {
      ...bus.create('order.placed', { orderId: 'o1', totalCents: 1 }, orderMeta('o1')),
      schemaVersion: 9,
    };
    expect(() => deserializeEvent(testCatalog, JSON.stringify(future))).toThrow(
      /schemaVersion: Version 9 is newer/,
    );
  });

  it('names the bad path when stored data no longer validates', () => {
    const event = {
      ...bus.create('order.placed', { orderId: 'o1', totalCents: 1 }, orderMeta('o1')),
      data: { orderId: 7 },
    };
    let caught: unknown;
    try {
      deserializeEvent(testCatalog, event);
    } catch (error) {
      caught = error;
    }
    expect(isEventValidationError(caught)).toBe(true);
    expect(isEventValidationError(caught) && caught.context.issues.map((i) => i.path)).toEqual([
      'data.orderId',
      'data.totalCents',
    ]);
  });

  it('reports malformed JSON and broken envelopes clearly', () => {
    expect(() => deserializeEvent(testCatalog, '{not json')).toThrow(/Not valid JSON/);
    expect(() => deserializeEvent(testCatalog, { type: 'order.placed', data: {} })).toThrow(
      /Invalid event "order.placed": id:/,
    );
    expect(() =>
      deserializeEvent(testCatalog, {
        ...bus.create('order.placed', { orderId: 'o', totalCents: 1 }, orderMeta('o')),
        type: 'x.y',
      }),
    ).toThrow(/Unknown event type "x.y"/);
  });
});
