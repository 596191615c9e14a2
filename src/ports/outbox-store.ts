import type { OperationOptions } from '../util/abort.js';

/** Lifecycle of an outbox message: waiting (or being delivered), done, or given up on. */
export type OutboxStatus = 'pending' | 'delivered' | 'dead';

/** A message to append: one event for one queued listener. */
export interface OutboxMessageInput {
  /** The event's id. `(eventId, listener)` is unique: appending it again is a no-op. */
  readonly eventId: string;
  readonly eventType: string;
  /** Name of the queued listener that will receive it. */
  readonly listener: string;
  readonly tenantId: string;
  /**
   * Messages for one listener with the same ordering key are delivered one at a time, in append
   * order (the bus uses `tenantId/aggregateType/aggregateId`).
   */
  readonly orderingKey: string;
  /** The serialised event (JSON text). */
  readonly payload: string;
  /** Earliest delivery time, epoch ms. */
  readonly availableAt: number;
}

/** A stored outbox message. */
export interface OutboxMessage extends OutboxMessageInput {
  /** Store-assigned id. */
  readonly id: string;
  /** Store-assigned, strictly increasing append position; orders messages of one ordering key. */
  readonly position: number;
  readonly status: OutboxStatus;
  /** Delivery attempts so far, counted when a message is claimed. */
  readonly attempts: number;
  readonly lastError: string | null;
  /** Relay holding the lease, while one does. */
  readonly leaseOwner: string | null;
  /** When the current lease ends, epoch ms. */
  readonly leaseExpiresAt: number | null;
  readonly createdAt: number;
  readonly deliveredAt: number | null;
}

/** What a relay asks for when it claims work. */
export interface OutboxClaimRequest extends OperationOptions {
  /** Identifies the relay; only the owner of a lease may settle the message. */
  readonly owner: string;
  /** Most messages to return. */
  readonly limit: number;
  /** How long the claimed messages stay leased to `owner`. */
  readonly leaseMs: number;
  /** The current time, epoch ms (from the relay's clock). */
  readonly now: number;
}

/** How a failed delivery is settled. */
export interface OutboxFailure extends OperationOptions {
  readonly owner: string;
  readonly error: string;
  /** When to try again (epoch ms), or `null` to dead-letter the message. */
  readonly retryAt: number | null;
  readonly now: number;
}

/** Filter for {@link OutboxStore.list}. */
export interface OutboxQuery extends OperationOptions {
  readonly status?: OutboxStatus;
  readonly listener?: string;
  readonly tenantId?: string;
  /** @default 100 */
  readonly limit?: number;
}

/**
 * What writes to the outbox: the bus (for queued listeners) and a unit of work (in the same
 * transaction as the change the events describe).
 */
export interface OutboxWriter {
  /** Appends messages; duplicates of `(eventId, listener)` are ignored. */
  append(messages: readonly OutboxMessageInput[], options?: OperationOptions): Promise<void>;
}

/** Which messages {@link OutboxScrubber.scrub} rewrites: the tenant's, of these ordering keys. */
export interface OutboxScrubFilter {
  readonly tenantId: string;
  /** Ordering keys (the bus uses `tenantId/aggregateType/aggregateId`). */
  readonly orderingKeys: readonly string[];
}

/**
 * Rewrites stored payloads, e.g. to take personal data out of the events an erased customer's
 * records still have in the outbox. Takes part in a unit of work like `append`.
 *
 * @example
 * ```ts
 * declare const unitOfWork: UnitOfWork;
 * // ---cut---
 * await unitOfWork.run(async (tx) => {
 *   const redact = (payload: string) => payload.replaceAll('+493012345678', '[erased]');
 *   const scrubbed = await tx.outbox.scrub({ tenantId: 'acme', orderingKeys: ['acme/call/c1'] }, redact);
 *   console.log(scrubbed);
 * });
 * ```
 */
export interface OutboxScrubber {
  /**
   * Replaces the payload of every message (pending, dead or delivered but not purged yet) that
   * `filter` selects with `rewrite(payload)`. A message being delivered while this runs may still
   * be delivered with its old payload. With `dryRun`, only counts.
   * @returns how many payloads `rewrite` changed (or would change, with `dryRun`).
   */
  scrub(
    filter: OutboxScrubFilter,
    rewrite: (payload: string) => string,
    options?: OperationOptions & { readonly dryRun?: boolean },
  ): Promise<number>;
}

/** What the outbox relay needs to deliver messages: leases and their settlement. */
export interface OutboxRelayStore {
  /** Leases up to `limit` deliverable messages to `owner`. */
  claim(request: OutboxClaimRequest): Promise<OutboxMessage[]>;
  /** Marks a leased message delivered. `false` when `owner` no longer holds the lease. */
  markDelivered(id: string, owner: string, options: { now: number } & OperationOptions): Promise<boolean>;
  /** Schedules a retry or dead-letters a leased message. `false` when `owner` lost the lease. */
  markFailed(id: string, failure: OutboxFailure): Promise<boolean>;
}

/** What an operator needs: inspect messages, replay dead letters, remove delivered messages. */
export interface OutboxAdmin {
  /** Lists messages (newest position last), e.g. the dead letters for inspection. */
  list(query?: OutboxQuery): Promise<OutboxMessage[]>;
  /** Moves the given dead messages back to pending, due at `now`. Returns how many moved. */
  replay(ids: readonly string[], options: { now: number } & OperationOptions): Promise<number>;
  /**
   * Removes the messages delivered before `deliveredBefore` (epoch ms, exclusive), so that the
   * store does not grow with every event ever delivered; pending and dead messages are never
   * removed. A removed message's `(eventId, listener)` is forgotten: appending it again queues it
   * anew (listeners are idempotent by event id). Returns how many messages were removed.
   *
   * @throws {@link InvalidOptionError} when `deliveredBefore` is not a finite number.
   */
  purge(options: { deliveredBefore: number } & OperationOptions): Promise<number>;
}

/**
 * Durable queue behind queued event listeners (the transactional outbox).
 *
 * Messages are appended in the same transaction as the state change that produced the event, and
 * delivered later by one or more relays that share the store through leases: `claim` hands each
 * message to one relay for `leaseMs`; a relay that dies simply lets its lease expire.
 *
 * Contract (checked by `outboxStoreContract` in `bookingkit/testing`):
 * - `append` ignores a message whose `(eventId, listener)` is already stored.
 * - `claim` returns pending messages that are due (`availableAt <= now`) and not leased (or whose
 *   lease expired), in position order, at most one per `(listener, orderingKey)`: the earliest
 *   pending one, so that a key's later messages wait until the earlier ones are delivered or dead.
 *   Claiming increments `attempts` and sets the lease.
 * - `markDelivered` / `markFailed` succeed only for the current lease owner, and return `false`
 *   when the lease was lost (the message was re-claimed by another relay).
 * - `replay` moves dead messages back to pending with `attempts` reset.
 * - `purge` removes delivered messages delivered before a given time, and nothing else.
 *
 * An adapter implements all of it; each user depends on its part only: the bus and units of work
 * on {@link OutboxWriter}, the relay on {@link OutboxRelayStore}, operators (through
 * `createOutboxAdmin`) on {@link OutboxAdmin}.
 *
 * @example
 * ```ts
 * declare const bus: EventBus<BookingEvents>;
 * // ---cut---
 * const store: OutboxStore = createMemoryOutboxStore();
 * const relay = createOutboxRelay({ bus, store });
 * ```
 */
export interface OutboxStore extends OutboxWriter, OutboxScrubber, OutboxRelayStore, OutboxAdmin {}
