import type { DomainEvent, EventType } from './catalog.js';

/** Context passed to a queued listener on each delivery attempt. */
export interface DeliveryContext {
  /** 1 on the first delivery, 2 on the first retry, and so on. */
  readonly attempt: number;
  /** Aborted when the relay stops or the delivery's lease is about to run out. */
  readonly signal: AbortSignal;
}

/**
 * A listener of one event type. Synchronous listeners run inside `publish`; its return value is
 * ignored unless it is a promise. They may return a
 * promise, which is not awaited by `publish` but is tracked by `PublishResult.settled` and its
 * rejection is reported like a thrown error.
 */
export type EventHandler<C, T extends EventType<C>> = (
  event: DomainEvent<C, T>,
  context: DeliveryContext,
) => unknown;

/** Retry schedule of a queued listener. */
export interface QueuedRetryOptions {
  /**
   * Wait before each retry; the last entry repeats when attempts outnumber it.
   * @default [1_000, 5_000, 30_000, 120_000, 600_000]
   */
  readonly delays?: readonly number[];
  /**
   * Total deliveries before the message is dead-lettered (first try included).
   * @default delays.length + 1
   */
  readonly maxAttempts?: number;
}

/** Options of `bus.on`. */
export interface ListenerOptions {
  /**
   * Name of the listener, shown in failures and statistics. Required for queued listeners, where
   * it is the durable identity under which outbox messages wait; it must be unique on the bus.
   */
  readonly name?: string;
  /** Higher runs first; listeners of equal priority run in registration order. @default 0 */
  readonly priority?: number;
  /** Remove the listener after its first event. @default false */
  readonly once?: boolean;
  /** Remove the listener when this signal aborts. */
  readonly signal?: AbortSignal;
  /**
   * Deliver through the outbox instead of inside `publish`: durable, retried with stepped
   * backoff, ordered per aggregate, dead-lettered after `retry.maxAttempts`. The outbox relay
   * must run (`relay.start()`, or `kit.start()` of `createBookingKit`) for queued listeners and
   * deferred calendar syncs; until it does, their messages wait in the outbox. @default false
   */
  readonly queued?: boolean;
  /** Retry schedule; only for queued listeners. */
  readonly retry?: QueuedRetryOptions;
}

/** The stepped backoff of queued listeners: 1 s, 5 s, 30 s, 2 min, 10 min. */
export const DEFAULT_QUEUED_RETRY_DELAYS: readonly number[] = Object.freeze([
  1_000, 5_000, 30_000, 120_000, 600_000,
]);

/**
 * A registered listener.
 *
 * @internal
 */
export interface RegisteredListener {
  readonly name: string;
  readonly priority: number;
  readonly once: boolean;
  readonly handler: (event: never, context: DeliveryContext) => unknown;
  readonly queued: boolean;
  readonly delays: readonly number[];
  readonly maxAttempts: number;
  /** Time spent in the handler (ms), when the bus measures it. */
  timeMs: number;
  calls: number;
  failures: number;
  /** Removes the listener; set once registered. */
  dispose?: () => void;
}
