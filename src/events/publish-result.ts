import type { ListenerFailure } from './errors.js';

/** Everything that happened to one published event, once all async work has finished. */
export interface PublishReport<E> {
  /** The event as dispatched (validated data when the bus validates). */
  readonly event: E;
  /** Every listener failure, synchronous and asynchronous. */
  readonly failures: readonly ListenerFailure[];
  /** Number of outbox messages handed to queued listeners. */
  readonly queued: number;
}

/**
 * What `publish` returns, synchronously, after the synchronous listeners ran.
 *
 * @example
 * ```ts
 * declare const bus: EventBus<BookingEvents>;
 * declare const event: DomainEvent<BookingEvents>;
 * // ---cut---
 * const result = bus.publish(event);
 * if (!result.ok) console.warn(result.failures);
 * const report = await result.settled; // async listeners done, outbox written
 * ```
 */
export interface PublishResult<E> {
  readonly event: E;
  /** Number of synchronous listeners (including `onAny`) that ran. */
  readonly listeners: number;
  /** Synchronous failures; asynchronous ones appear in `settled`. */
  readonly failures: readonly ListenerFailure[];
  /** `true` when no synchronous listener failed. */
  readonly ok: boolean;
  /**
   * Resolves when every promise returned by a listener has settled and queued listeners' outbox
   * messages are stored. On a strict bus it rejects with an `EventListenerError` if anything
   * failed; otherwise it always resolves, with the full report.
   */
  readonly settled: Promise<PublishReport<E>>;
}

const NO_FAILURES: readonly ListenerFailure[] = Object.freeze([]);

/** @internal */
export class PublishOutcome<E> implements PublishResult<E> {
  readonly failures: readonly ListenerFailure[];
  #settled: Promise<PublishReport<E>> | undefined;

  constructor(
    readonly event: E,
    readonly listeners: number,
    failures: ListenerFailure[] | undefined,
    private readonly pending: Promise<unknown>[] | undefined,
    private readonly queuedCount: number,
    private readonly asyncFailures: ListenerFailure[],
    private readonly toStrictError: ((failures: readonly ListenerFailure[]) => Error) | undefined,
  ) {
    this.failures = failures ?? NO_FAILURES;
  }

  get ok(): boolean {
    return this.failures.length === 0;
  }

  get settled(): Promise<PublishReport<E>> {
    this.#settled ??= this.#settle();
    return this.#settled;
  }

  async #settle(): Promise<PublishReport<E>> {
    if (this.pending) await Promise.all(this.pending);
    const failures =
      this.asyncFailures.length === 0 ? this.failures : [...this.failures, ...this.asyncFailures];
    if (this.toStrictError && failures.length > 0) throw this.toStrictError(failures);
    return { event: this.event, failures, queued: this.queuedCount };
  }
}
