import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import { checkClockOption, checkStringOption, hasMethods, numberOption } from '../../util/options.js';
import { createCalcomClient, type CalcomClient } from '../client/client.js';
import type { CalcomClientOptions } from '../client/client-options.js';

/** What {@link createCalcomCalendarProvider} takes beside the client. */
export interface CalcomCalendarProviderSettings {
  /**
   * The reason sent when a cancel gives none: Cal.com refuses a host's cancel without one, and an
   * API key acts as the host.
   * @default 'Cancelled through bookingkit'
   */
  readonly cancellationReason?: string;
  /**
   * How long a tenant's event types are kept to decide whether a create names its length (Cal.com
   * refuses `lengthInMinutes` for an event type with one length); `0` asks every time.
   * @default 60_000
   */
  readonly eventTypesTtlMs?: number;
  /** Time source of that cache. @default the client options' clock, else systemClock */
  readonly clock?: Clock;
}

/**
 * Options of {@link createCalcomCalendarProvider}: a {@link CalcomClient} to share, or the options
 * to create one (per-tenant credentials, base URL, rate limiter ...), with the provider's settings.
 */
export type CalcomCalendarProviderOptions =
  | ({ readonly client: CalcomClient } & CalcomCalendarProviderSettings)
  | (CalcomClientOptions & CalcomCalendarProviderSettings);

const FACTORY = 'createCalcomCalendarProvider';

/** The options of {@link createCalcomCalendarProvider}, checked, with defaults. @internal */
export interface NormalizedProviderOptions {
  readonly client: CalcomClient;
  readonly clock: Clock;
  readonly cancellationReason: string;
  readonly eventTypesTtlMs: number;
}

/**
 * Checks the options eagerly (naming the bad one) and creates the client when none is given.
 *
 * @internal
 */
export function normalizeProviderOptions(options: CalcomCalendarProviderOptions): NormalizedProviderOptions {
  const details = { factory: FACTORY };
  if (typeof options !== 'object' || options === null)
    throw new InvalidOptionError(
      'options',
      options,
      'an options object with `client` or `credentials`',
      details,
    );
  let client: CalcomClient;
  if ('client' in options) {
    const given: unknown = options.client;
    if (
      !hasMethods('ensureWebhookSubscription')(given) ||
      typeof (given as CalcomClient).bookings !== 'object'
    )
      throw new InvalidOptionError(
        'client',
        given,
        'a CalcomClient, e.g. createCalcomClient({ credentials })',
        details,
      );
    client = given as CalcomClient;
  } else {
    client = createCalcomClient(options);
  }
  checkClockOption(options.clock, details);
  const clock = options.clock ?? systemClock;
  const cancellationReason =
    options.cancellationReason === undefined
      ? 'Cancelled through bookingkit'
      : checkStringOption('cancellationReason', options.cancellationReason, 500, details);
  const ttlMs = numberOption('eventTypesTtlMs', options.eventTypesTtlMs, 60_000, { integer: true }, details);
  return { client, clock, cancellationReason, eventTypesTtlMs: ttlMs };
}
