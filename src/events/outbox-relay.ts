import type { EventCatalog } from './catalog.js';
import type { EventBus } from './event-bus.js';
import { DEFAULT_QUEUED_RETRY_DELAYS } from './listener.js';
import { systemClock, type Clock, type TimerHandle } from '../ports/clock.js';
import { silentLogger, type Logger } from '../ports/logger.js';
import type { OutboxMessage, OutboxRelayStore } from '../ports/outbox-store.js';
import { uuidv7 } from '../util/uuid.js';
import { TelemetryAttributes as A } from '../observability/attributes.js';
import { bookingkitInstruments } from '../observability/instruments.js';
import { checkStringOption, numberOption, requireOption } from '../util/options.js';

/** Options of {@link createOutboxRelay}. */
export interface OutboxRelayOptions<C extends EventCatalog> {
  /** The bus whose queued listeners receive the messages. */
  readonly bus: EventBus<C>;
  /** The outbox the bus writes to (any `OutboxStore`); the relay uses its delivery side only. */
  readonly store: OutboxRelayStore;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default silentLogger */
  readonly logger?: Logger;
  /** Identity of this relay in leases. @default `relay-<uuid>` */
  readonly owner?: string;
  /** Messages claimed per round. @default 50 */
  readonly batchSize?: number;
  /**
   * How long a claimed message is reserved for this relay; a handler still running after it is
   * aborted, and another relay may take the message. @default 60_000
   */
  readonly leaseMs?: number;
  /** Pause between rounds of `start()` when the last round found nothing. @default 1_000 */
  readonly pollIntervalMs?: number;
}

/** What one round of delivery did. */
export interface RelayRoundResult {
  readonly claimed: number;
  readonly delivered: number;
  /** Failed and scheduled for a retry. */
  readonly retried: number;
  /** Failed for the last time and dead-lettered. */
  readonly deadLettered: number;
  /** Settled by another relay first (lease lost); nothing was recorded. */
  readonly lostLeases: number;
}

/** Delivers outbox messages to a bus's queued listeners. */
export interface OutboxRelay {
  /** Claims one batch and delivers it; resolves when every message of the batch is settled. */
  runOnce(): Promise<RelayRoundResult>;
  /**
   * Runs rounds until `stop()`: immediately again after a busy round, after `pollIntervalMs`
   * otherwise. The polling runs in the background: it does not keep the process alive.
   */
  start(): void;
  /** Stops polling, aborts running handlers' signals, and waits for the current round. */
  stop(): Promise<void>;
}

/**
 * Creates the relay that delivers queued listeners' outbox messages with retry and stepped
 * backoff (by default 1 s, 5 s, 30 s, 2 min, 10 min), per-aggregate ordering, and a dead-letter
 * state after the listener's `maxAttempts`. Several relays (in several processes) may share
 * one store: leases give each message to one relay at a time, and only the lease holder can
 * record a delivery, so each (event, listener) is recorded delivered at most once.
 *
 * @example
 * ```ts
 * declare function sendConfirmation(event: DomainEvent<BookingEvents, 'appointment.booked'>): Promise<void>;
 * // ---cut---
 * const store = createMemoryOutboxStore();
 * const bus = createEventBus({ catalog: bookingEvents, outbox: store });
 * bus.on('appointment.booked', sendConfirmation, { queued: true, name: 'send-confirmation' });
 * const relay = createOutboxRelay({ bus, store });
 * relay.start();
 * // on shutdown:
 * await relay.stop();
 * ```
 */
export function createOutboxRelay<C extends EventCatalog>(options: OutboxRelayOptions<C>): OutboxRelay {
  const bus = requireOption(
    'createOutboxRelay',
    options,
    'bus',
    'an EventBus with the queued listeners, e.g. createEventBus({ catalog, outbox })',
    (value) => typeof (value as Partial<EventBus<C>>).queuedListener === 'function',
  );
  const store = requireOption(
    'createOutboxRelay',
    options,
    'store',
    'an OutboxStore, the one the bus writes to, e.g. createMemoryOutboxStore()',
    (value) => typeof (value as Partial<OutboxRelayStore>).claim === 'function',
  );
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const details = { factory: 'createOutboxRelay' };
  const owner =
    options.owner === undefined
      ? `relay-${uuidv7()}`
      : checkStringOption('owner', options.owner, 200, details);
  const batchSize = numberOption(
    'batchSize',
    options.batchSize,
    50,
    { integer: true, min: 1, max: 10_000 },
    details,
  );
  const leaseMs = numberOption('leaseMs', options.leaseMs, 60_000, { min: 1, max: 86_400_000 }, details);
  const pollIntervalMs = numberOption(
    'pollIntervalMs',
    options.pollIntervalMs,
    1_000,
    { min: 1, max: 3_600_000 },
    details,
  );

  let running = false;
  let timer: TimerHandle | undefined;
  let current: Promise<unknown> | undefined;
  /** The deliveries in flight, which `stop()` aborts (one set, not a listener per delivery). */
  const inFlight = new Set<AbortController>();

  /**
   * Delivers one claimed message. `background`: the round runs from `start()`, and nobody awaits
   * it, so its lease timer must not keep the process alive; a round the caller awaits (`runOnce()`)
   * keeps it alive until the lease ends a hanging listener.
   */
  const deliver = async (
    message: OutboxMessage,
    background: boolean,
  ): Promise<keyof Omit<RelayRoundResult, 'claimed'>> => {
    const listener = bus.queuedListener(message.listener);
    bookingkitInstruments().outboxLag.record(Math.max(0, clock.now() - message.availableAt) / 1000, {
      [A.listener]: message.listener,
    });
    const controller = new AbortController();
    inFlight.add(controller);
    const leaseTimer = clock.setTimer(
      () => controller.abort(new Error(`Lease of outbox message ${message.id} expired`)),
      Math.max(0, leaseMs - 1),
      { background },
    );
    let error: unknown;
    try {
      if (!listener)
        throw new Error(`No queued listener named "${message.listener}" is registered on this bus`);
      await listener.deliver(message.payload, { attempt: message.attempts, signal: controller.signal });
    } catch (caught) {
      error = caught ?? new Error('listener rejected without a reason');
    } finally {
      leaseTimer.clear();
      inFlight.delete(controller);
    }
    const now = clock.now();
    if (error === undefined) {
      return (await store.markDelivered(message.id, owner, { now })) ? 'delivered' : 'lostLeases';
    }
    // An unknown listener may be registered on another instance (e.g. during a rolling deploy):
    // keep the default schedule so the message survives until one that knows it claims it.
    const delays = listener?.delays ?? DEFAULT_QUEUED_RETRY_DELAYS;
    const maxAttempts = listener?.maxAttempts ?? DEFAULT_QUEUED_RETRY_DELAYS.length + 1;
    const dead = message.attempts >= maxAttempts;
    const delay = delays[Math.min(message.attempts - 1, delays.length - 1)] ?? 0;
    const text = describeError(error);
    logger.warn(
      { listener: message.listener, eventId: message.eventId, attempt: message.attempts, dead, err: error },
      dead ? 'queued listener failed for the last time; dead-lettered' : 'queued listener failed; will retry',
    );
    const settled = await store.markFailed(message.id, {
      owner,
      error: text,
      retryAt: dead ? null : now + delay,
      now,
    });
    if (!settled) return 'lostLeases';
    return dead ? 'deadLettered' : 'retried';
  };

  const round = async (background: boolean): Promise<RelayRoundResult> => {
    const claimed = await store.claim({ owner, limit: batchSize, leaseMs, now: clock.now() });
    const result = { claimed: claimed.length, delivered: 0, retried: 0, deadLettered: 0, lostLeases: 0 };
    const outcomes = await Promise.allSettled(claimed.map((message) => deliver(message, background)));
    const { outboxDeliveries } = bookingkitInstruments();
    for (const [index, outcome] of outcomes.entries()) {
      if (outcome.status === 'fulfilled') {
        result[outcome.value] += 1;
        outboxDeliveries.add(1, {
          [A.listener]: claimed[index]!.listener,
          [A.outcome]: DELIVERY_OUTCOMES[outcome.value],
        });
      } else
        logger.error({ err: outcome.reason as unknown }, 'outbox store failed while settling a delivery');
    }
    return result;
  };

  const loop = (): void => {
    if (!running) return;
    const finished = round(true).then(
      (result) => result.claimed,
      (error: unknown) => {
        logger.error({ err: error }, 'outbox relay round failed');
        return 0;
      },
    );
    current = finished;
    void finished.then((claimed) => {
      if (!running) return;
      timer = clock.setTimer(loop, claimed >= batchSize ? 0 : pollIntervalMs, { background: true });
    });
  };

  return {
    runOnce: () => round(false),
    start() {
      if (running) return;
      running = true;
      loop();
    },
    async stop() {
      running = false;
      timer?.clear();
      const reason = new Error('Outbox relay stopped');
      for (const controller of inFlight) controller.abort(reason);
      await current;
    },
  };
}

/** The `bookingkit.outcome` of `bookingkit.outbox.deliveries` for each way a delivery settles. */
const DELIVERY_OUTCOMES = {
  delivered: 'delivered',
  retried: 'retried',
  deadLettered: 'dead_lettered',
  lostLeases: 'lost_lease',
} as const;

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? typeof error;
  } catch {
    return typeof error;
  }
}
