import { toDisposable, type Disposable } from '../util/disposable.js';

/** A listener of a {@link PolicyEvent}. */
export type PolicyEventListener<T> = (event: T) => void;

/**
 * Subscribes to one kind of event; returns a {@link Disposable} that unsubscribes.
 *
 * @example
 * ```ts
 * declare const breaker: CircuitBreaker;
 * // ---cut---
 * const subscription = breaker.onStateChange(({ from, to }) => console.log(from, '->', to));
 * subscription.dispose();
 * ```
 */
export type PolicyEvent<T> = (listener: PolicyEventListener<T>) => Disposable;

/**
 * A minimal typed emitter. `size` lets hot paths skip building an event nobody listens to; a
 * listener that throws is reported to `onListenerError` and does not stop the others.
 *
 * @internal
 */
export class EventEmitter<T> {
  private listeners: PolicyEventListener<T>[] = [];

  constructor(private readonly onListenerError: (error: unknown) => void) {}

  /** Number of listeners. */
  get size(): number {
    return this.listeners.length;
  }

  /** The subscribe function to expose. */
  readonly event: PolicyEvent<T> = (listener) => {
    this.listeners = [...this.listeners, listener];
    return toDisposable(() => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    });
  };

  emit(value: T): void {
    // The array is replaced (never mutated) on (un)subscribe, so iterating it is safe.
    for (const listener of this.listeners) {
      try {
        listener(value);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
