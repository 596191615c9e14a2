import type {
  InvalidationBroadcast,
  InvalidationHandler,
  InvalidationMessage,
} from '../../ports/invalidation-broadcast.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { toDisposable } from '../../util/disposable.js';
import { checkFunctionOption } from '../../util/options.js';
import { checkInvalidation } from '../../booking/availability/invalidation-message.js';

/** Links several {@link InvalidationBroadcast}s in one process, standing in for Redis pub/sub. */
export interface MemoryInvalidationHub {
  /** A broadcast for one more "instance": it hears what the others publish, and they hear it. */
  connect(): InvalidationBroadcast;
}

/**
 * Creates an in-process hub of invalidation broadcasts, to test (or run in one process) several
 * instances that each keep their own memory cache. `publish` resolves after every other
 * instance's handlers have run; a handler that throws does not stop the others.
 *
 * @example
 * ```ts
 * const hub = createMemoryInvalidationHub();
 * const cacheA = createBroadcastingCache(createMemoryAvailabilityCache(), hub.connect());
 * const cacheB = createBroadcastingCache(createMemoryAvailabilityCache(), hub.connect());
 * await cacheA.invalidateTags('acme', ['eventType:42']); // dropped from cacheB too
 * ```
 */
export function createMemoryInvalidationHub(): MemoryInvalidationHub {
  const handlersByInstance = new Map<number, Set<InvalidationHandler>>();
  let instances = 0;

  return {
    connect() {
      const instance = (instances += 1);
      const own = new Set<InvalidationHandler>();
      handlersByInstance.set(instance, own);
      return {
        async publish(tenantId: string, tags: readonly string[], options: OperationOptions = {}) {
          throwIfAborted(options.signal);
          const message: InvalidationMessage = checkInvalidation({ tenantId, tags: [...tags] });
          const deliveries: Promise<unknown>[] = [];
          for (const [other, handlers] of handlersByInstance) {
            if (other === instance) continue;
            for (const handler of handlers) deliveries.push(Promise.resolve().then(() => handler(message)));
          }
          await Promise.allSettled(deliveries);
        },
        async subscribe(handler: InvalidationHandler, options: OperationOptions = {}) {
          throwIfAborted(options.signal);
          checkFunctionOption('handler', handler, true);
          const registered: InvalidationHandler = (message) => handler(message);
          own.add(registered);
          return toDisposable(() => own.delete(registered));
        },
      };
    },
  };
}
