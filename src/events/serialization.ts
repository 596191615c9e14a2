import type { EventCatalog, EventSpecs, DomainEvent } from './catalog.js';
import { EventEnvelope } from './envelope.js';
import { EventValidationError, UnknownEventTypeError } from './errors.js';
import { toValidationIssues } from '../errors/validation-error.js';

/**
 * Serialises an event to JSON text, the form in which it is stored (outbox) and sent.
 *
 * @example
 * ```ts
 * declare const event: DomainEvent<BookingEvents>;
 * declare const catalog: BookingEvents;
 * // ---cut---
 * const text = serializeEvent(event);
 * const again = deserializeEvent(catalog, text);
 * ```
 */
export function serializeEvent(event: DomainEvent<EventCatalog>): string {
  return JSON.stringify(event);
}

/**
 * Validates `event`'s envelope and data against `catalog`, returning the event with its data as
 * the schema parsed it (defaults applied).
 *
 * @throws {@link UnknownEventTypeError} when the type is not in the catalog.
 * @throws {@link EventValidationError} naming each bad path (`data.start`, `tenantId`).
 * @example
 * ```ts
 * declare const catalog: BookingEvents;
 * declare const untrusted: unknown;
 * // ---cut---
 * const checked = validateEvent(catalog, untrusted);
 * ```
 */
export function validateEvent<Specs extends EventSpecs>(
  catalog: EventCatalog<Specs>,
  event: unknown,
): DomainEvent<EventCatalog<Specs>> {
  const envelope = EventEnvelope.safeParse(event);
  const rawType =
    typeof (event as { type?: unknown } | null)?.type === 'string' ? (event as { type: string }).type : '?';
  const rawId =
    typeof (event as { id?: unknown } | null)?.id === 'string' ? (event as { id: string }).id : undefined;
  if (!envelope.success) {
    throw new EventValidationError(
      { eventType: rawType, eventId: rawId, issues: toValidationIssues(envelope.error.issues) },
      { cause: envelope.error },
    );
  }
  const definition = catalog.definitions.get(envelope.data.type);
  if (!definition) throw new UnknownEventTypeError(envelope.data.type);
  const data = definition.schema.safeParse(envelope.data.data);
  if (!data.success) {
    throw new EventValidationError(
      {
        eventType: envelope.data.type,
        eventId: envelope.data.id,
        issues: toValidationIssues(data.error.issues, 'data'),
      },
      { cause: data.error },
    );
  }
  return { ...envelope.data, data: data.data } as DomainEvent<EventCatalog<Specs>>;
}

/**
 * Reads an event back from JSON text (or an already parsed object): validates the envelope,
 * upcasts `data` from the version it was written with to the catalog's current version, then
 * validates the data. The returned event carries the current `schemaVersion`.
 *
 * @throws {@link EventValidationError} for malformed JSON, a bad envelope, data that fails the
 * schema after upcasting, or a `schemaVersion` newer than the catalog knows.
 * @throws {@link UnknownEventTypeError} when the type is not in the catalog.
 * @example
 * ```ts
 * declare const row: { payload: string };
 * // ---cut---
 * const event = deserializeEvent(bookingEvents, row.payload);
 * if (event.type === 'appointment.booked') console.log(event.data.appointmentId);
 * ```
 */
export function deserializeEvent<Specs extends EventSpecs>(
  catalog: EventCatalog<Specs>,
  input: string | object,
): DomainEvent<EventCatalog<Specs>> {
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (cause) {
      throw new EventValidationError(
        { eventType: '?', eventId: undefined, issues: [{ path: '', message: 'Not valid JSON' }] },
        { cause },
      );
    }
  }
  const envelope = EventEnvelope.safeParse(raw);
  if (!envelope.success) return validateEvent(catalog, raw);
  const definition = catalog.definitions.get(envelope.data.type);
  if (!definition) throw new UnknownEventTypeError(envelope.data.type);
  const written = envelope.data.schemaVersion;
  if (written > definition.version) {
    throw new EventValidationError({
      eventType: envelope.data.type,
      eventId: envelope.data.id,
      issues: [
        {
          path: 'schemaVersion',
          message: `Version ${written} is newer than the catalog's version ${definition.version}`,
        },
      ],
    });
  }
  let data = envelope.data.data;
  for (let version = written; version < definition.version; version += 1) {
    data = definition.upcasters[version]!(data);
  }
  return validateEvent(catalog, { ...envelope.data, schemaVersion: definition.version, data });
}
