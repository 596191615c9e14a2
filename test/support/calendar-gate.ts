import type { Policy } from '../../src/resilience/policy.js';
import { deferred, type Deferred } from './deferred.js';

/**
 * A calendar policy that, once closed, holds every calendar call until the test releases it: the
 * calendar as it is under overload, slow for everyone.
 */
export function calendarGate() {
  let closed = false;
  const held: Deferred<void>[] = [];
  const policy: Policy = {
    async execute<T>(fn: (context: { signal: AbortSignal }) => PromiseLike<T> | T): Promise<T> {
      if (closed) {
        const call = deferred();
        held.push(call);
        await call.promise;
      }
      return fn({ signal: new AbortController().signal });
    },
  };
  return {
    policy,
    /** Calls that reached the calendar and wait there, in the order they arrived. */
    held,
    close(): void {
      closed = true;
    },
    open(): void {
      closed = false;
      for (const call of held) call.resolve();
    },
  };
}
