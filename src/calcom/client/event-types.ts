import { z } from 'zod';
import { parseWith } from '../../errors/validation-error.js';
import type { OperationOptions } from '../../util/abort.js';
import { CalcomEventType, envelope } from './response-schemas.js';
import type { Transport } from './transport.js';

/**
 * `GET /v2/event-types` filters. Without any, the API key's user's own event types (hidden ones
 * included).
 *
 * @example
 * ```ts
 * const query: CalcomEventTypesQuery = { username: 'dr-lee' };
 * ```
 */
export const CalcomEventTypesQuery = z.object({
  username: z.string().min(1).optional(),
  eventSlug: z.string().min(1).optional(),
  usernames: z.array(z.string().min(1)).optional(),
  orgSlug: z.string().min(1).optional(),
  orgId: z.number().int().positive().optional(),
  sortCreatedAt: z.enum(['asc', 'desc']).optional(),
});
/** @see {@link CalcomEventTypesQuery} */
export type CalcomEventTypesQuery = z.input<typeof CalcomEventTypesQuery>;

/**
 * The event-types endpoint (`cal-api-version` of the event-types group).
 *
 * @example
 * ```ts
 * declare const calcom: CalcomClient;
 * // ---cut---
 * const services = await calcom.eventTypes.list('tenant-a');
 * for (const type of services) console.log(type.id, type.slug, type.lengthInMinutesOptions ?? [type.lengthInMinutes]);
 * ```
 */
export interface CalcomEventTypes {
  /** `GET /v2/event-types` (Cal.com answers them all at once). */
  list(
    tenantId: string,
    query?: CalcomEventTypesQuery,
    options?: OperationOptions,
  ): Promise<CalcomEventType[]>;
}

const EventTypesAnswer = envelope(z.array(CalcomEventType));

/** @internal */
export function createEventTypes(transport: Transport): CalcomEventTypes {
  return {
    async list(tenantId, query = {}, options = {}) {
      const checked = parseWith(CalcomEventTypesQuery, query, 'Cal.com event-types query');
      const answer = await transport.send({
        tenantId,
        operation: 'listEventTypes',
        method: 'GET',
        path: '/v2/event-types',
        endpoint: 'GET /v2/event-types',
        group: 'eventTypes',
        query: checked,
        schema: EventTypesAnswer,
        signal: options.signal,
      });
      return answer.data;
    },
  };
}
