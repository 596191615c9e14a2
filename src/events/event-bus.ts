import type { EventCatalog, EventDataInput, EventType, DomainEvent } from './catalog.js';
import { createEvent, type EventMetadata } from './envelope.js';
import { EventListenerError, UnknownEventTypeError, type ListenerFailure } from './errors.js';
import {
  type DeliveryContext,
  type EventHandler,
  type ListenerOptions,
  type RegisteredListener,
} from './listener.js';
import { PublishOutcome, type PublishResult } from './publish-result.js';
import { ListenerRegistry, type TypeEntry } from './listener-registry.js';
import { RingBuffer } from './ring-buffer.js';
import { deserializeEvent, serializeEvent, validateEvent } from './serialization.js';
import { systemClock, type Clock } from '../ports/clock.js';
import { silentLogger, type Logger } from '../ports/logger.js';
import type { OutboxMessageInput, OutboxWriter } from '../ports/outbox-store.js';
import type { Disposable } from '../util/disposable.js';
import { checkFunctionOption, checkStringOption, numberOption, requireOption } from '../util/options.js';

/** Options of {@link createEventBus}. */
export interface EventBusOptions<C extends EventCatalog> {
  /** The event catalog (see `defineEventCatalog`); every type and payload is checked against it. */
  readonly catalog: C;
  /** Default `source` of events created by this bus. @default 'bookingkit' */
  readonly source?: string;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default silentLogger */
  readonly logger?: Logger;
  /** Validate every published event (envelope and data) against the catalog. @default true */
  readonly validate?: boolean;
  /**
   * Throw an `EventListenerError` from `publish` (after every listener ran) when a synchronous
   * listener failed; `settled` then rejects on asynchronous failures too. @default false
   */
  readonly strict?: boolean;
  /** Called once per publish with all synchronous failures, and again for each later async one. */
  readonly onError?: (failures: readonly ListenerFailure[], event: DomainEvent<C>) => void;
  /** How many recent events `history()` keeps; 0 disables it. @default 1000 */
  readonly historySize?: number;
  /** Where queued listeners' messages go. Required before registering a queued listener. */
  readonly outbox?: OutboxWriter;
  /** Measure time spent in each synchronous listener (costs two clock reads per call). @default false */
  readonly measureListenerTime?: boolean;
}

/** Options of `bus.publish`. */
export interface PublishOptions {
  /**
   * Hand the event to queued listeners' outbox. Pass `false` when the messages were already
   * written with `toOutboxMessages` inside the transaction that changed state: the event is then
   * not validated again, and listeners receive it as it was written. @default true
   */
  readonly enqueue?: boolean;
}

/** Filter of `bus.history`. */
export interface HistoryFilter {
  readonly type?: string;
  readonly aggregateId?: string;
  /** Newest `limit` matching events. */
  readonly limit?: number;
}

/** Per-listener statistics. */
export interface ListenerStats {
  readonly name: string;
  readonly type: string;
  readonly queued: boolean;
  readonly calls: number;
  readonly failures: number;
  /** Total time in the handler (ms); 0 unless `measureListenerTime`. */
  readonly timeMs: number;
}

/** Bus statistics since creation. */
export interface EventBusStats {
  /** Events published, by type. */
  readonly published: Readonly<Record<string, number>>;
  readonly totalPublished: number;
  /** Synchronous and asynchronous listener failures. */
  readonly listenerFailures: number;
  readonly listeners: readonly ListenerStats[];
}

/** A queued listener as the outbox relay sees it. */
export interface QueuedListener {
  readonly name: string;
  readonly type: string;
  readonly delays: readonly number[];
  readonly maxAttempts: number;
  /** Deserialises (validating and upcasting) the stored payload and runs the handler. */
  deliver(payload: string, context: DeliveryContext): Promise<void>;
}

/**
 * A typed, in-process domain event bus with durable (outbox) listeners.
 * Every method is typed from the catalog: an unknown event type or wrong data does not compile.
 */
export interface EventBus<C extends EventCatalog> {
  readonly catalog: C;
  /** Builds an envelope for `type` (see `createEvent`); validated when published. */
  create<T extends EventType<C>>(type: T, data: EventDataInput<C, T>, meta: EventMetadata): DomainEvent<C, T>;
  /**
   * Runs synchronous listeners in priority order, isolating their errors, and hands the event to
   * queued listeners' outbox.
   * @throws {@link EventValidationError} when validation is on and the event is invalid.
   * @throws {@link EventListenerError} on a strict bus when a synchronous listener failed.
   */
  publish<T extends EventType<C>>(
    event: DomainEvent<C, T>,
    options?: PublishOptions,
  ): PublishResult<DomainEvent<C, T>>;
  /**
   * Adds a listener for one type; returns a disposable that removes it. With `{ queued: true }`
   * it is delivered by the outbox relay: the relay must run (`relay.start()`, or `kit.start()` of
   * `createBookingKit`) for queued listeners and deferred calendar syncs; until it does, their
   * messages wait in the outbox.
   */
  on<T extends EventType<C>>(type: T, handler: EventHandler<C, T>, options?: ListenerOptions): Disposable;
  /** `on` with `once: true`. */
  once<T extends EventType<C>>(
    type: T,
    handler: EventHandler<C, T>,
    options?: Omit<ListenerOptions, 'once'>,
  ): Disposable;
  /** Adds a synchronous listener for every type (audit, tracing). */
  onAny(
    handler: (event: DomainEvent<C>) => unknown,
    options?: Pick<ListenerOptions, 'name' | 'priority' | 'signal'>,
  ): Disposable;
  /**
   * The outbox messages `publish` would write for `event`, to write inside your own transaction.
   * The event is validated here; the next `publish` of the same object does not validate it again
   * and delivers it as it was validated here (later changes to the object are not seen).
   * @throws {@link EventValidationError} when validation is on and the event is invalid.
   */
  toOutboxMessages(event: DomainEvent<C>): OutboxMessageInput[];
  /** The queued listener registered under `name`, for outbox relays. */
  queuedListener(name: string): QueuedListener | undefined;
  /** Validates an event against the catalog; returns it with parsed data. */
  validate(event: unknown): DomainEvent<C>;
  serialize(event: DomainEvent<C>): string;
  /** Reads a stored event back, validating and upcasting it. */
  deserialize(input: string | object): DomainEvent<C>;
  /** Recent events, oldest first. */
  history(filter?: HistoryFilter): DomainEvent<C>[];
  stats(): EventBusStats;
  /** Number of listeners (synchronous and queued) for `type`, or in all. */
  listenerCount(type?: EventType<C>): number;
}

const SYNC_CONTEXT: DeliveryContext = Object.freeze({ attempt: 1, signal: new AbortController().signal });

/**
 * Creates a typed domain event bus over a catalog.
 *
 * @throws {@link InvalidOptionError} for a missing catalog or an out-of-range option.
 * @example
 * ```ts
 * import { createEventBus, defineEventCatalog } from 'bookingkit';
 * import { z } from 'zod';
 *
 * const catalog = defineEventCatalog({
 *   'invoice.paid': z.object({ invoiceId: z.string(), amountCents: z.number().int() }),
 * });
 * const bus = createEventBus({ catalog });
 * bus.on('invoice.paid', (event) => console.log(event.data.amountCents));
 * bus.publish(bus.create('invoice.paid', { invoiceId: 'inv_1', amountCents: 4200 }, {
 *   tenantId: 'acme', aggregateType: 'invoice', aggregateId: 'inv_1',
 * }));
 * ```
 */
export function createEventBus<C extends EventCatalog>(options: EventBusOptions<C>): EventBus<C> {
  const catalog = requireOption(
    'createEventBus',
    options,
    'catalog',
    'a catalog made by defineEventCatalog(), e.g. bookingEvents',
    (value) => (value as Partial<EventCatalog>).definitions instanceof Map,
  );
  const factory = 'createEventBus';
  const source =
    options.source === undefined
      ? 'bookingkit'
      : checkStringOption('source', options.source, undefined, { factory });
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const validate = options.validate ?? true;
  const strict = options.strict ?? false;
  const measure = options.measureListenerTime ?? false;
  const outbox = options.outbox;
  checkFunctionOption('onError', options.onError, false, { factory });
  const historySize = numberOption(
    'historySize',
    options.historySize,
    1000,
    { integer: true, max: 1_000_000 },
    { factory },
  );
  const history = new RingBuffer<DomainEvent<C>>(historySize);

  const registry = new ListenerRegistry(catalog.types, outbox !== undefined);
  const entryOf = (type: string): TypeEntry => registry.entryOf(type);
  let totalPublished = 0;
  let listenerFailures = 0;

  const report = (failures: readonly ListenerFailure[], event: DomainEvent<C>): void => {
    listenerFailures += failures.length;
    for (const failure of failures) {
      logger.error(
        { err: failure.error, listener: failure.listener, eventId: event.id, eventType: event.type },
        'event listener failed',
      );
    }
    if (!options.onError) return;
    try {
      options.onError(failures, event);
    } catch (error) {
      logger.error({ err: error }, 'onError hook threw');
    }
  };

  // Events validated by `toOutboxMessages`, by the object the caller holds: its next `publish`
  // takes the validated copy (what went to the outbox) instead of validating a second time.
  // Each entry serves one publish; one that is never published is collected with its event.
  const written = new WeakMap<object, DomainEvent<C>>();

  /** The messages of an event that is validated already. */
  const messagesOf = (checked: DomainEvent<C>, entry: TypeEntry): OutboxMessageInput[] => {
    const payload = serializeEvent(checked);
    const orderingKey = `${checked.tenantId}/${checked.aggregateType}/${checked.aggregateId}`;
    const availableAt = clock.now();
    return entry.queued.map((listener) => ({
      eventId: checked.id,
      eventType: checked.type,
      listener: listener.name,
      tenantId: checked.tenantId,
      orderingKey,
      payload,
      availableAt,
    }));
  };

  const toOutboxMessages = (event: DomainEvent<C>): OutboxMessageInput[] => {
    const entry = entryOf(event.type);
    if (entry.queued.length === 0) return [];
    const checked = validate ? (validateEvent(catalog, event) as DomainEvent<C>) : event;
    if (validate) written.set(event, checked);
    return messagesOf(checked, entry);
  };

  const invoke = (
    listener: RegisteredListener,
    event: DomainEvent<C>,
    failures: { sync?: ListenerFailure[]; pending?: Promise<unknown>[] },
    asyncFailures: ListenerFailure[],
  ): void => {
    if (listener.once) listener.dispose?.();
    listener.calls += 1;
    const started = measure ? performance.now() : 0;
    try {
      const returned = (listener.handler as (e: DomainEvent<C>, c: DeliveryContext) => unknown)(
        event,
        SYNC_CONTEXT,
      );
      if (returned !== undefined && typeof (returned as PromiseLike<unknown>)?.then === 'function') {
        (failures.pending ??= []).push(
          Promise.resolve(returned).then(undefined, (error: unknown) => {
            listener.failures += 1;
            const failure = { listener: listener.name, eventId: event.id, eventType: event.type, error };
            asyncFailures.push(failure);
            report([failure], event);
          }),
        );
      }
    } catch (error) {
      listener.failures += 1;
      (failures.sync ??= []).push({
        listener: listener.name,
        eventId: event.id,
        eventType: event.type,
        error,
      });
    }
    if (measure) listener.timeMs += performance.now() - started;
  };

  const bus: EventBus<C> = {
    catalog,

    create(type, data, meta) {
      const definition = catalog.definitions.get(type);
      if (!definition) throw new UnknownEventTypeError(type);
      return createEvent(
        type,
        data,
        { source, ...meta },
        { clock, schemaVersion: definition.version },
      ) as never;
    },

    publish(input, publishOptions = {}) {
      const entry = entryOf(input.type);
      const validated = written.get(input);
      if (validated) written.delete(input);
      const event = (validated ?? (validate ? validateEvent(catalog, input) : input)) as typeof input;
      entry.published += 1;
      totalPublished += 1;
      history.push(event);
      const state: { sync?: ListenerFailure[]; pending?: Promise<unknown>[] } = {};
      const asyncFailures: ListenerFailure[] = [];
      const sync = entry.sync;
      for (let i = 0; i < sync.length; i += 1) invoke(sync[i]!, event, state, asyncFailures);
      const any = registry.any;
      for (let i = 0; i < any.length; i += 1) invoke(any[i]!, event, state, asyncFailures);
      let queued = 0;
      if (entry.queued.length > 0 && publishOptions.enqueue !== false && outbox) {
        const messages = messagesOf(event, entry);
        queued = messages.length;
        (state.pending ??= []).push(
          outbox.append(messages).then(undefined, (error: unknown) => {
            const failed = messages.map((m) => ({
              listener: m.listener,
              eventId: event.id,
              eventType: event.type,
              error,
            }));
            asyncFailures.push(...failed);
            report(failed, event);
          }),
        );
      }
      if (state.sync) report(state.sync, event);
      const toStrictError = strict
        ? (failures: readonly ListenerFailure[]) =>
            new EventListenerError({ eventId: event.id, eventType: event.type, failures })
        : undefined;
      if (strict && state.sync) throw toStrictError!(state.sync);
      return new PublishOutcome(
        event,
        sync.length + any.length,
        state.sync,
        state.pending,
        queued,
        asyncFailures,
        toStrictError,
      );
    },

    on(type, handler, listenerOptions = {}) {
      return registry.register(type, handler, listenerOptions);
    },

    once(type, handler, listenerOptions = {}) {
      return registry.register(type, handler, { ...listenerOptions, once: true });
    },

    onAny(handler, listenerOptions = {}) {
      return registry.register(null, handler, listenerOptions);
    },

    toOutboxMessages,

    queuedListener(name) {
      const record = registry.queued(name);
      if (!record) return undefined;
      const { listener, type } = record;
      return {
        name,
        type,
        delays: listener.delays,
        maxAttempts: listener.maxAttempts,
        async deliver(payload, context) {
          const event = deserializeEvent(catalog, payload);
          listener.calls += 1;
          const started = performance.now();
          try {
            await (listener.handler as (e: DomainEvent<C>, c: DeliveryContext) => unknown)(
              event as DomainEvent<C>,
              context,
            );
          } catch (error) {
            listener.failures += 1;
            listenerFailures += 1;
            throw error;
          } finally {
            listener.timeMs += performance.now() - started;
          }
        },
      };
    },

    validate: (event) => validateEvent(catalog, event) as DomainEvent<C>,
    serialize: (event) => serializeEvent(event),
    deserialize: (input) => deserializeEvent(catalog, input) as DomainEvent<C>,

    history(filter = {}) {
      let events = history.toArray();
      if (filter.type !== undefined) events = events.filter((e) => e.type === filter.type);
      if (filter.aggregateId !== undefined)
        events = events.filter((e) => e.aggregateId === filter.aggregateId);
      return filter.limit === undefined ? events : events.slice(-filter.limit);
    },

    stats() {
      const published: Record<string, number> = {};
      for (const [type, entry] of registry.entries())
        if (entry.published > 0) published[type] = entry.published;
      return {
        published,
        totalPublished,
        listenerFailures,
        listeners: [...registry.all].map(({ type, listener }) => ({
          name: listener.name,
          type,
          queued: listener.queued,
          calls: listener.calls,
          failures: listener.failures,
          timeMs: listener.timeMs,
        })),
      };
    },

    listenerCount(type) {
      if (type === undefined) return registry.all.size;
      const entry = entryOf(type);
      return entry.sync.length + entry.queued.length;
    },
  };
  return bus;
}
