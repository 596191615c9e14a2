import { z } from 'zod';
import { type Clock, systemClock } from '../ports/clock.js';
import { uuidv7 } from '../util/uuid.js';

/**
 * Wire schema of the event envelope (CloudEvents-compatible names where CloudEvents has them).
 * `data` is validated separately, against the schema of the event's type in the catalog.
 */
export const EventEnvelope = z.object({
  /** UUID v7: unique, and sorts by creation time. */
  id: z.string().min(1),
  /** Event type from the catalog, e.g. `appointment.booked`. */
  type: z.string().min(1),
  /** What produced the event, e.g. `bookingkit/booking-service`. */
  source: z.string().min(1),
  /** When the event happened (ISO 8601, UTC). */
  time: z.iso.datetime({ offset: true }),
  tenantId: z.string().min(1),
  aggregateType: z.string().min(1),
  aggregateId: z.string().min(1),
  /** Version of the aggregate after the change; orders events of one aggregate. */
  aggregateVersion: z.number().int().nonnegative(),
  /** Shared by every event caused, directly or not, by one original request. */
  correlationId: z.string().min(1),
  /** Id of the event that caused this one; `null` for a root event. */
  causationId: z.string().min(1).nullable(),
  /** Where the change came from (`api`, `voice`, `calcom`, ...); lets listeners avoid sync loops. */
  origin: z.string().min(1),
  /** Version of the `data` schema this event was written with. */
  schemaVersion: z.number().int().positive(),
  data: z.unknown(),
});

/** An event as it travels: the envelope with typed `data`. */
export type EventEnvelope<Type extends string = string, Data = unknown> = Omit<
  z.output<typeof EventEnvelope>,
  'type' | 'data'
> & { readonly type: Type; readonly data: Data };

/** Envelope fields a publisher supplies; the rest is derived by {@link createEvent}. */
export interface EventMetadata {
  readonly tenantId: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  /** @default 0 */
  readonly aggregateVersion?: number;
  /** @default the bus's `source` */
  readonly source?: string;
  /** @default 'system' */
  readonly origin?: string;
  /**
   * The event that caused this one: its `correlationId` is inherited and its `id` becomes the
   * `causationId`.
   */
  readonly parent?: Pick<EventEnvelope, 'id' | 'correlationId'>;
  /** Correlation id for a root event (e.g. the incoming request id). Ignored with `parent`. */
  readonly correlationId?: string;
  /** @default a new UUID v7 */
  readonly id?: string;
  /** @default the clock's current time */
  readonly time?: string;
}

/** Options of {@link createEvent}. */
export interface CreateEventOptions {
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default 'bookingkit' */
  readonly source?: string;
  /** @default 1 */
  readonly schemaVersion?: number;
}

/**
 * Builds an envelope. Correlation and causation come from `meta.parent` when given: the new event
 * shares the parent's `correlationId` and names the parent's `id` as its `causationId`. A root
 * event is its own correlation (unless `meta.correlationId` is given) and has no causation.
 *
 * This does not validate `data`; the bus validates when the event is published.
 *
 * @example
 * ```ts
 * declare const tenantId: string;
 * declare const aggregateId: string;
 * declare const data: EventDataInput<BookingEvents, 'appointment.requested'>;
 * declare const bookedData: EventDataInput<BookingEvents, 'appointment.booked'>;
 * // ---cut---
 * const requested = createEvent('appointment.requested', data, { tenantId, aggregateType: 'appointment', aggregateId });
 * const booked = createEvent('appointment.booked', bookedData, { tenantId, aggregateType: 'appointment', aggregateId, parent: requested });
 * booked.correlationId === requested.correlationId; // true
 * booked.causationId === requested.id; // true
 * ```
 */
export function createEvent<Type extends string, Data>(
  type: Type,
  data: Data,
  meta: EventMetadata,
  options: CreateEventOptions = {},
): EventEnvelope<Type, Data> {
  const clock = options.clock ?? systemClock;
  const now = clock.now();
  const id = meta.id ?? uuidv7(now);
  return {
    id,
    type,
    source: meta.source ?? options.source ?? 'bookingkit',
    time: meta.time ?? new Date(now).toISOString(),
    tenantId: meta.tenantId,
    aggregateType: meta.aggregateType,
    aggregateId: meta.aggregateId,
    aggregateVersion: meta.aggregateVersion ?? 0,
    correlationId: meta.parent?.correlationId ?? meta.correlationId ?? id,
    causationId: meta.parent?.id ?? null,
    origin: meta.origin ?? 'system',
    schemaVersion: options.schemaVersion ?? 1,
    data,
  };
}
