const DAY_MS = 86_400_000;

/**
 * The cache tag every cached availability of an event type carries; invalidating it drops all
 * of the event type's cached days.
 *
 * @example
 * ```ts
 * declare const cache: AvailabilityCache;
 * declare const tenantId: string;
 * // ---cut---
 * await cache.invalidateTags(tenantId, [eventTypeTag('42')]); // 'eventType:42'
 * ```
 */
export function eventTypeTag(eventTypeId: string): string {
  return `eventType:${encodeURIComponent(eventTypeId)}`;
}

/**
 * The cache tag of one UTC day (`YYYY-MM-DD`) of an event type's availability.
 *
 * @internal
 */
export function eventTypeDayTag(eventTypeId: string, day: string): string {
  return `${eventTypeTag(eventTypeId)}:day:${day}`;
}

/**
 * The cache key of one UTC day of an event type's free slots.
 *
 * @internal
 */
export function slotsKey(eventTypeId: string, day: string): string {
  return `slots:${encodeURIComponent(eventTypeId)}:${day}`;
}

/**
 * Start (epoch ms) of the UTC day containing `ms`.
 *
 * @internal
 */
export function utcDayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/**
 * `YYYY-MM-DD` of the UTC day starting at `dayStart`.
 *
 * @internal
 */
export function utcDayName(dayStart: number): string {
  return new Date(dayStart).toISOString().slice(0, 10);
}

/**
 * Starts of the UTC days that `[from, to)` touches (epoch ms).
 *
 * @internal
 */
export function utcDaysOf(from: number, to: number): number[] {
  const days: number[] = [];
  for (let day = utcDayStart(from); day < to; day += DAY_MS) days.push(day);
  return days;
}
