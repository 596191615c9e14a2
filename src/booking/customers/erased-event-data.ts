/** What replaces a required text field that held personal data. */
export const ERASED = '[erased]';

/** Per event type of the booking catalog: the data fields that may hold personal data, and their replacement. */
const PERSONAL_FIELDS: Readonly<Record<string, Readonly<Record<string, null | string>>>> = {
  'appointment.rescheduled': { reason: null },
  'appointment.cancelled': { reason: null },
  // The calendar's error text may echo the attendee's name or email.
  'appointment.sync_failed': { error: ERASED },
  'call.inbound': { from: ERASED, to: ERASED },
  'call.analyzed': { summary: null, customAnalysis: null },
};

/**
 * An event's data without personal data: the free-text and contact fields of the booking
 * catalog are replaced (by `null`, or `"[erased]"` where the schema requires text), so the event
 * still validates; ids, times and counts stay. Data of other types is answered as it is.
 *
 * @example
 * ```ts
 * erasedEventData('appointment.cancelled', { appointmentId: 'a1', reason: 'Ana is ill' });
 * // { appointmentId: 'a1', reason: null }
 * ```
 */
export function erasedEventData(type: string, data: unknown): unknown {
  const fields = PERSONAL_FIELDS[type];
  if (!fields || typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  const erased: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  for (const [field, replacement] of Object.entries(fields)) {
    if (field in erased && erased[field] !== null) erased[field] = replacement;
  }
  return erased;
}

/**
 * A serialised event (an outbox payload) without personal data (see {@link erasedEventData});
 * the payload as it is when it holds none, or is not a readable event.
 *
 * @example
 * ```ts
 * declare const outbox: Pick<OutboxStore, 'scrub'>;
 * // ---cut---
 * await outbox.scrub({ tenantId: 'acme', orderingKeys: ['acme/appointment/a1'] }, erasedEventPayload);
 * ```
 */
export function erasedEventPayload(payload: string): string {
  let event: unknown;
  try {
    event = JSON.parse(payload);
  } catch {
    return payload;
  }
  if (typeof event !== 'object' || event === null || typeof (event as { type?: unknown }).type !== 'string')
    return payload;
  const { type, data } = event as { type: string; data: unknown };
  const erased = erasedEventData(type, data);
  return erased === data ? payload : JSON.stringify({ ...event, data: erased });
}
