/**
 * Handle returned by every subscription: call `dispose()` (or use `using`) to undo it.
 * Disposing twice is harmless.
 *
 * @example
 * ```ts
 * declare const bus: EventBus<BookingEvents>;
 * declare function handler(event: DomainEvent<BookingEvents, 'appointment.booked'>): void;
 * // ---cut---
 * const subscription = bus.on('appointment.booked', handler);
 * subscription.dispose();
 * ```
 */
export interface Disposable {
  /** Undoes the subscription. Idempotent. */
  dispose(): void;
  /** The same as `dispose()`, for `using` declarations. */
  [Symbol.dispose](): void;
}

/**
 * Wraps a teardown function as a {@link Disposable} that runs it at most once.
 *
 * @internal
 */
export function toDisposable(teardown: () => void): Disposable {
  let done = false;
  const dispose = (): void => {
    if (done) return;
    done = true;
    teardown();
  };
  return { dispose, [Symbol.dispose]: dispose };
}
