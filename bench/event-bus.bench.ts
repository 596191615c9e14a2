/**
 * Publish to 1, 3 and 10 synchronous listeners: bookingkit's bus (with and without payload
 * validation) against eventemitter3, emittery, mitt and node:events, in one run. Ratios are to
 * eventemitter3's `emit`.
 */
import { EventEmitter as NodeEmitter } from 'node:events';
import Emittery from 'emittery';
import { createRequire } from 'node:module';
import { EventEmitter as EventEmitter3 } from 'eventemitter3';
import { measureGroup, type BenchCase } from './harness.js';
import { bookingEvents, createEventBus } from '../src/index.js';

/** mitt ships CJS types with a default export; load it the way Node does to keep both happy. */
type Mitt = <Events extends Record<string, unknown>>() => {
  on<K extends keyof Events>(type: K, handler: (event: Events[K]) => void): void;
  emit<K extends keyof Events>(type: K, event: Events[K]): void;
};
const mitt = createRequire(import.meta.url)('mitt') as Mitt;

const meta = { tenantId: 'tenant-a', aggregateType: 'call', aggregateId: 'call-1' };
const data = { callId: 'call-1', reason: 'caller hung up' };

export async function run(): Promise<BenchCase[]> {
  const cases: BenchCase[] = [];
  for (const listeners of [1, 3, 10]) {
    let sink = 0;
    const listener = (event: { data: { reason: string } }): void => {
      sink += event.data.reason.length;
    };

    const plain = createEventBus({ catalog: bookingEvents, validate: false, historySize: 0 });
    const validating = createEventBus({ catalog: bookingEvents, historySize: 0 });
    const ee3 = new EventEmitter3();
    const node = new NodeEmitter();
    const emittery = new Emittery();
    const mittBus = mitt<{ 'call.failed': { data: { reason: string } } }>();
    for (let i = 0; i < listeners; i += 1) {
      plain.on('call.failed', listener);
      validating.on('call.failed', listener);
      ee3.on('call.failed', listener);
      node.on('call.failed', listener);
      emittery.on('call.failed', listener);
      mittBus.on('call.failed', listener);
    }
    const event = plain.create('call.failed', data, meta);

    cases.push(
      ...(await measureGroup(`event-bus: publish to ${listeners} listener(s)`, 'eventemitter3', [
        { name: 'eventemitter3', op: () => void ee3.emit('call.failed', event) },
        { name: 'bookingkit (no validation)', op: () => plain.publish(event) },
        { name: 'bookingkit (validation)', op: () => validating.publish(event) },
        { name: 'node:events', op: () => void node.emit('call.failed', event) },
        { name: 'mitt', op: () => mittBus.emit('call.failed', event) },
        { name: 'emittery (async emit)', op: () => emittery.emit('call.failed', event), async: true },
      ])),
    );
    if (sink < 0) console.log(sink);
  }
  return cases;
}
