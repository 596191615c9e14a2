/**
 * Publish to 1, 3 and 10 listeners, in one run, in two groups per listener count:
 *
 * - synchronous emit: bookingkit's bus with its defaults (validation on, a history of the last
 *   1,000 events, as `createEventBus({ catalog })` gives a user), with validation but no history,
 *   and with neither, against eventemitter3, mitt and node:events. Each `emit` returns once every
 *   listener ran; nothing is awaited. Ratios are to eventemitter3's `emit`.
 * - awaited emit: every emitter on emittery's terms, which are asynchronous (its `emit` returns a
 *   promise that resolves once every listener settled): each call is awaited, for bookingkit its
 *   `publish(event).settled`, for the synchronous emitters the value `emit` returns (one
 *   microtask). Ratios are to eventemitter3's awaited `emit`.
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

    const defaults = createEventBus({ catalog: bookingEvents });
    const noHistory = createEventBus({ catalog: bookingEvents, historySize: 0 });
    const bare = createEventBus({ catalog: bookingEvents, validate: false, historySize: 0 });
    const ee3 = new EventEmitter3();
    const node = new NodeEmitter();
    const emittery = new Emittery();
    const mittBus = mitt<{ 'call.failed': { data: { reason: string } } }>();
    for (let i = 0; i < listeners; i += 1) {
      defaults.on('call.failed', listener);
      noHistory.on('call.failed', listener);
      bare.on('call.failed', listener);
      ee3.on('call.failed', listener);
      node.on('call.failed', listener);
      emittery.on('call.failed', listener);
      mittBus.on('call.failed', listener);
    }
    const event = defaults.create('call.failed', data, meta);

    cases.push(
      ...(await measureGroup(`event-bus: synchronous emit to ${listeners} listener(s)`, 'eventemitter3', [
        { name: 'eventemitter3', op: () => void ee3.emit('call.failed', event) },
        { name: 'bookingkit defaults (validation, history 1,000)', op: () => defaults.publish(event) },
        { name: 'bookingkit (validation, history off)', op: () => noHistory.publish(event) },
        { name: 'bookingkit (no validation, history off)', op: () => bare.publish(event) },
        { name: 'node:events', op: () => void node.emit('call.failed', event) },
        { name: 'mitt', op: () => mittBus.emit('call.failed', event) },
      ])),
    );
    cases.push(
      ...(await measureGroup(
        `event-bus: awaited emit to ${listeners} listener(s) (emittery's async terms)`,
        'eventemitter3 (awaited)',
        [
          { name: 'eventemitter3 (awaited)', async: true, op: () => ee3.emit('call.failed', event) },
          { name: 'emittery (await emit)', async: true, op: () => emittery.emit('call.failed', event) },
          {
            name: 'bookingkit defaults (await publish().settled)',
            async: true,
            op: () => defaults.publish(event).settled,
          },
          { name: 'node:events (awaited)', async: true, op: () => node.emit('call.failed', event) },
          { name: 'mitt (awaited)', async: true, op: () => mittBus.emit('call.failed', event) },
        ],
      )),
    );
    if (sink < 0) console.log(sink);
  }
  return cases;
}
