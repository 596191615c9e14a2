import { systemClock, type Clock } from '../ports/clock.js';
import type { OutboxAdmin, OutboxMessage } from '../ports/outbox-store.js';
import type { OperationOptions } from '../util/abort.js';
import { checkNumberOption, requireOption } from '../util/options.js';

/** Options of {@link createOutboxAdmin}. */
export interface OutboxAdminOptions {
  /** The outbox the bus writes to and the relay delivers from (any `OutboxStore`). */
  readonly store: OutboxAdmin;
  /** Reads "now" for replays and purges. @default systemClock */
  readonly clock?: Clock;
}

/** Options of {@link OutboxAdminTools.purgeDelivered}. */
export interface PurgeDeliveredOptions extends OperationOptions {
  /** Minimum age of a delivered message to remove, in ms since its delivery (e.g. `86_400_000`: a day). */
  readonly olderThanMs: number;
}

/** Filter of {@link OutboxAdminTools.deadLetters}. */
export interface DeadLetterQuery {
  readonly listener?: string;
  readonly tenantId?: string;
  /** @default 100 */
  readonly limit?: number;
}

/** The operator's side of the outbox: dead letters, replay, retention. */
export interface OutboxAdminTools {
  /** The dead-lettered messages, for inspection. */
  deadLetters(query?: DeadLetterQuery): Promise<OutboxMessage[]>;
  /** Moves dead-lettered messages back to pending, to be delivered again from attempt 1. */
  replay(ids: readonly string[]): Promise<number>;
  /**
   * Removes the messages delivered more than `olderThanMs` ago (by the admin's clock) from the
   * store, which otherwise keeps every delivered message; pending and dead ones stay. Call it now
   * and then, e.g. hourly from a scheduled job. Returns how many were removed.
   *
   * @throws {@link InvalidOptionError} when `olderThanMs` is not a non-negative number.
   */
  purgeDelivered(options: PurgeDeliveredOptions): Promise<number>;
}

/**
 * Creates the operator tools of an outbox: what an admin endpoint or a scheduled job needs, apart
 * from the relay that delivers. Replayed messages are delivered by a running relay
 * (`createOutboxRelay(...).start()`).
 *
 * @throws {@link InvalidOptionError} when `store` is missing or is not an outbox store.
 * @example
 * ```ts
 * declare const store: OutboxStore;
 * // ---cut---
 * const admin = createOutboxAdmin({ store });
 * const dead = await admin.deadLetters({ listener: 'send-confirmation' });
 * await admin.replay(dead.map((message) => message.id));
 * await admin.purgeDelivered({ olderThanMs: 86_400_000 });
 * ```
 */
export function createOutboxAdmin(options: OutboxAdminOptions): OutboxAdminTools {
  const store = requireOption(
    'createOutboxAdmin',
    options,
    'store',
    'an OutboxStore, the one the bus writes to, e.g. createMemoryOutboxStore()',
    (value) => typeof (value as Partial<OutboxAdmin>).replay === 'function',
  );
  const clock = options.clock ?? systemClock;
  return {
    deadLetters(query = {}) {
      return store.list({ ...query, status: 'dead' });
    },
    replay(ids) {
      return store.replay(ids, { now: clock.now() });
    },
    async purgeDelivered(purge) {
      const olderThanMs = checkNumberOption('olderThanMs', purge?.olderThanMs, { min: 0 });
      return store.purge({ deliveredBefore: clock.now() - olderThanMs, signal: purge.signal });
    },
  };
}
