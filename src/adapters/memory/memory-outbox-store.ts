import type {
  OutboxClaimRequest,
  OutboxFailure,
  OutboxMessage,
  OutboxMessageInput,
  OutboxQuery,
  OutboxScrubFilter,
  OutboxStore,
} from '../../ports/outbox-store.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { checkNumberOption, numberOption } from '../../util/options.js';
import { optionalTenantId, requireTenantId } from '../../util/tenant-id.js';
import { checkOutboxInputs } from './outbox-input.js';

/** Options of {@link createMemoryOutboxStore}. */
export interface MemoryOutboxStoreOptions {
  /**
   * How many delivered messages to keep for inspection; older ones are dropped. Pending and dead
   * messages are never dropped.
   * @default 1000
   */
  readonly retainDelivered?: number;
}

type MutableMessage = { -readonly [K in keyof OutboxMessage]: OutboxMessage[K] };

/**
 * The embedded {@link OutboxStore}: a real implementation of the contract, kept in process
 * memory. Suitable for tests, development and single-process deployments that accept losing
 * queued work on restart; use the Postgres store for durability.
 *
 * @example
 * ```ts
 * const outbox = createMemoryOutboxStore();
 * const bus = createEventBus({ catalog: bookingEvents, outbox });
 * ```
 */
export function createMemoryOutboxStore(options: MemoryOutboxStoreOptions = {}): OutboxStore {
  const retainDelivered = numberOption(
    'retainDelivered',
    options.retainDelivered,
    1000,
    { integer: true },
    { factory: 'createMemoryOutboxStore' },
  );
  const messages = new Map<string, MutableMessage>();
  const pending: MutableMessage[] = [];
  const delivered: string[] = [];
  const seen = new Set<string>();
  let position = 0;

  const seenKey = (message: OutboxMessageInput): string => `${message.eventId}\u0000${message.listener}`;

  const owned = (id: string, owner: string, now: number): MutableMessage | undefined => {
    const message = messages.get(id);
    if (!message || message.status !== 'pending' || message.leaseOwner !== owner) return undefined;
    if (message.leaseExpiresAt === null || message.leaseExpiresAt < now) return undefined;
    return message;
  };

  const removePending = (message: MutableMessage): void => {
    const index = pending.indexOf(message);
    if (index >= 0) pending.splice(index, 1);
  };

  const snapshot = (message: MutableMessage): OutboxMessage => ({ ...message });

  return {
    async append(inputs: readonly OutboxMessageInput[], opts: OperationOptions = {}): Promise<void> {
      throwIfAborted(opts.signal);
      checkOutboxInputs(inputs);
      for (const input of inputs) {
        const key = seenKey(input);
        if (seen.has(key)) continue;
        seen.add(key);
        position += 1;
        const message: MutableMessage = {
          ...input,
          id: String(position),
          position,
          status: 'pending',
          attempts: 0,
          lastError: null,
          leaseOwner: null,
          leaseExpiresAt: null,
          createdAt: input.availableAt,
          deliveredAt: null,
        };
        messages.set(message.id, message);
        pending.push(message);
      }
      return;
    },

    async scrub(
      filter: OutboxScrubFilter,
      rewrite: (payload: string) => string,
      opts: OperationOptions & { readonly dryRun?: boolean } = {},
    ): Promise<number> {
      throwIfAborted(opts.signal);
      const tenantId = requireTenantId(filter.tenantId);
      const keys = new Set(filter.orderingKeys);
      const changes: [MutableMessage, string][] = [];
      for (const message of messages.values()) {
        if (message.tenantId !== tenantId || !keys.has(message.orderingKey)) continue;
        const payload = rewrite(message.payload);
        if (payload !== message.payload) changes.push([message, payload]);
      }
      if (!opts.dryRun) for (const [message, payload] of changes) message.payload = payload;
      return changes.length;
    },

    async claim(request: OutboxClaimRequest): Promise<OutboxMessage[]> {
      throwIfAborted(request.signal);
      const blocked = new Set<string>();
      const claimed: OutboxMessage[] = [];
      for (const message of pending) {
        if (claimed.length >= request.limit) break;
        const key = `${message.listener}\u0000${message.orderingKey}`;
        if (blocked.has(key)) continue;
        blocked.add(key); // only the earliest pending message of a key may be claimed
        const leased = message.leaseExpiresAt !== null && message.leaseExpiresAt >= request.now;
        if (leased || message.availableAt > request.now) continue;
        message.attempts += 1;
        message.leaseOwner = request.owner;
        message.leaseExpiresAt = request.now + request.leaseMs;
        claimed.push(snapshot(message));
      }
      return claimed;
    },

    async markDelivered(
      id: string,
      owner: string,
      opts: { now: number } & OperationOptions,
    ): Promise<boolean> {
      throwIfAborted(opts.signal);
      const message = owned(id, owner, opts.now);
      if (!message) return false;
      message.status = 'delivered';
      message.deliveredAt = opts.now;
      message.leaseOwner = null;
      message.leaseExpiresAt = null;
      removePending(message);
      delivered.push(message.id);
      while (delivered.length > retainDelivered) messages.delete(delivered.shift()!);
      return true;
    },

    async markFailed(id: string, failure: OutboxFailure): Promise<boolean> {
      throwIfAborted(failure.signal);
      const message = owned(id, failure.owner, failure.now);
      if (!message) return false;
      message.lastError = failure.error;
      message.leaseOwner = null;
      message.leaseExpiresAt = null;
      if (failure.retryAt === null) {
        message.status = 'dead';
        removePending(message);
      } else {
        message.availableAt = failure.retryAt;
      }
      return true;
    },

    async list(query: OutboxQuery = {}): Promise<OutboxMessage[]> {
      throwIfAborted(query.signal);
      const tenantId = optionalTenantId(query.tenantId);
      const limit = query.limit ?? 100;
      const out: OutboxMessage[] = [];
      for (const message of messages.values()) {
        if (query.status !== undefined && message.status !== query.status) continue;
        if (query.listener !== undefined && message.listener !== query.listener) continue;
        if (tenantId !== undefined && message.tenantId !== tenantId) continue;
        out.push(snapshot(message));
      }
      out.sort((a, b) => a.position - b.position);
      return out.slice(0, limit);
    },

    async replay(ids: readonly string[], opts: { now: number } & OperationOptions): Promise<number> {
      throwIfAborted(opts.signal);
      let moved = 0;
      for (const id of ids) {
        const message = messages.get(id);
        if (!message || message.status !== 'dead') continue;
        message.status = 'pending';
        message.attempts = 0;
        message.availableAt = opts.now;
        // Re-insert in position order so per-key ordering still holds.
        const index = pending.findIndex((p) => p.position > message.position);
        if (index < 0) pending.push(message);
        else pending.splice(index, 0, message);
        moved += 1;
      }
      return moved;
    },

    async purge(opts: { deliveredBefore: number } & OperationOptions): Promise<number> {
      throwIfAborted(opts.signal);
      const before = checkNumberOption('deliveredBefore', opts.deliveredBefore, {
        min: -Number.MAX_SAFE_INTEGER,
      });
      // Compacts `delivered` in place: its order (delivery order) is what retention drops by.
      let kept = 0;
      for (const id of delivered) {
        const message = messages.get(id);
        if (message && message.deliveredAt !== null && message.deliveredAt < before) {
          messages.delete(id);
          seen.delete(seenKey(message));
        } else {
          delivered[kept] = id;
          kept += 1;
        }
      }
      const removed = delivered.length - kept;
      delivered.length = kept;
      return removed;
    },
  };
}
