import type { Clock } from '../../ports/clock.js';

/** A fetch-style handler: the simulator calls it in-process with each signed request. */
export type RetellSimHandler = (request: Request) => Promise<Response>;

/**
 * Where the simulator sends a kind of request: an in-process handler, or the full URL of an
 * endpoint (sent with the simulator's `fetch`).
 */
export type RetellSimTarget = RetellSimHandler | string | URL;

/** Options of {@link createRetellCallSimulator}. */
export interface RetellCallSimulatorOptions {
  /**
   * The Retell API key with the webhook badge: every request is signed with it
   * (`x-retell-signature`), as Retell signs webhooks, the inbound webhook and function calls.
   */
  readonly apiKey: string;
  /** Receives `call_started`, `call_ended`, `call_analyzed` and `transcript_updated`. */
  readonly webhook?: RetellSimTarget;
  /** Receives the inbound-call webhook (`call_inbound`) of an `inbound()` step. */
  readonly inbound?: RetellSimTarget;
  /**
   * Receives custom-function calls: one target for every function, or one per function name,
   * e.g. `` { byName: (name) => `https://example.com/retell/functions/${name}` } ``.
   */
  readonly functions?: RetellSimTarget | { readonly byName: (name: string) => RetellSimTarget };
  /**
   * Signing time, call timestamps, and the delays of `wait()` steps and play options. With a fake
   * clock, advance it while a call plays.
   * @default systemClock
   */
  readonly clock?: Clock;
  /**
   * Sends requests to URL targets.
   * @default globalThis.fetch
   */
  readonly fetch?: typeof fetch;
}
