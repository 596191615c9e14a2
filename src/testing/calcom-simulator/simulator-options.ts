import type { Clock } from '../../ports/clock.js';
import type { CalcomSimEventTypeInput } from './sim-event-type.js';
import type { CalcomExchange } from './sim-exchange.js';

/** A Cal.com user the simulator knows, with the API key that acts as them. */
export interface CalcomSimAccountInput {
  /** The API key (`Authorization: Bearer <key>`). */
  readonly apiKey: string;
  readonly username: string;
  /** @default the next free id from 1 */
  readonly id?: number;
  /** @default the username */
  readonly name?: string;
  /** @default `<username>@example.com` */
  readonly email?: string;
  /** The host's time zone. @default 'UTC' */
  readonly timeZone?: string;
}

/** Options of {@link createCalcomSimulator}. */
export interface CalcomSimulatorOptions {
  /**
   * Now, for bookings, reservations, rate-limit windows, latency and webhook `createdAt`.
   * @default systemClock
   */
  readonly clock?: Clock;
  /**
   * Makes booking, reservation and seat uids. Pass one to control them; the default is
   * deterministic (`sim-uid-1`, `sim-uid-2`, ...).
   * @default a counter
   */
  readonly uid?: () => string;
  /**
   * Random numbers in [0, 1) for the error-rate fault.
   * @default a seeded generator (the same sequence every run)
   */
  readonly random?: () => number;
  /**
   * The Cal.com users and their API keys.
   * @default one account: `{ apiKey: 'cal_test_simulator', username: 'simulator' }`
   */
  readonly accounts?: readonly CalcomSimAccountInput[];
  /** Event types to start with (more with `addEventType`). @default [] */
  readonly eventTypes?: readonly CalcomSimEventTypeInput[];
  /**
   * Requests per minute per API key (unauthenticated requests share one counter), as Cal.com's
   * throttler counts them; `false` turns the limit off.
   * @default 120
   */
  readonly rateLimitPerMinute?: number | false;
  /**
   * Sends webhook deliveries.
   * @default globalThis.fetch
   */
  readonly webhookFetch?: typeof fetch;
  /**
   * Called with every request the simulator receives and the response it returns (or `null` when
   * none goes out: a timeout or a dropped connection), before the response is handed out. Throw
   * to fail: the error propagates to the caller of `handle`.
   * @default none
   */
  readonly validate?: (exchange: CalcomExchange) => void;
}
