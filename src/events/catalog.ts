import type { z } from 'zod';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { requireOption } from '../util/options.js';
import type { EventEnvelope } from './envelope.js';

/**
 * Converts `data` written with schema version `from` into the shape of version `from + 1`.
 * Upcasters run in a chain when an old event is read back (see `deserializeEvent`).
 */
export type Upcaster = (data: unknown) => unknown;

/** Full definition of one event type: its data schema, current version and upcasters. */
export interface EventDefinition<Schema extends z.ZodType = z.ZodType> {
  /** Schema of `data` at the current version. */
  readonly schema: Schema;
  /** Current schema version; events are created with it. @default 1 */
  readonly version?: number;
  /** `upcasters[n]` turns version-`n` data into version `n + 1`. */
  readonly upcasters?: Readonly<Record<number, Upcaster>>;
  /** One sentence for docs and audit tooling. */
  readonly description?: string;
}

/** What a catalog maps each event type to: a bare schema (version 1) or a full definition. */
export type EventSpec = z.ZodType | EventDefinition;

/** A map from event type to its spec. */
export type EventSpecs = Readonly<Record<string, EventSpec>>;

/** The zod schema of a spec. */
export type SchemaOf<S> = S extends z.ZodType ? S : S extends EventDefinition<infer Inner> ? Inner : never;

/** A frozen, normalised catalog; the type parameter keeps every event type and its schema. */
export interface EventCatalog<Specs extends EventSpecs = EventSpecs> {
  /** The specs as given; used only for typing. */
  readonly specs: Specs;
  /** Normalised definitions by type. */
  readonly definitions: ReadonlyMap<
    string,
    Required<Omit<EventDefinition, 'description'>> & { description?: string }
  >;
  /** Every event type, in declaration order. */
  readonly types: readonly string[];
}

/** The specs of a catalog (or the specs themselves). */
export type SpecsOf<C> = C extends { readonly specs: infer S extends EventSpecs } ? S : C;

/**
 * Union of the event type names of a catalog (or of its specs). Written as a conditional type so
 * that the compiler resolves it to the names themselves: an unknown event type's error then lists
 * the valid ones instead of `EventType<...>`.
 */
export type EventType<C> = SpecsOf<C> extends infer Specs ? keyof Specs & string : never;

/** The parsed (output) type of an event's `data`. */
export type EventData<C, T extends EventType<C>> = z.output<SchemaOf<SpecsOf<C>[T & keyof SpecsOf<C>]>>;

/** The input type of an event's `data` (before defaults and transforms). */
export type EventDataInput<C, T extends EventType<C>> = z.input<SchemaOf<SpecsOf<C>[T & keyof SpecsOf<C>]>>;

/** A typed event of a catalog: the union over all its types, or one type when `T` is given. */
export type DomainEvent<C, T extends EventType<C> = EventType<C>> = {
  [K in T]: EventEnvelope<K, EventData<C, K>>;
}[T];

/**
 * Defines an event catalog once, from zod schemas; every other type (event names, data types,
 * listener parameters) is inferred from it, so publishing an unknown type or wrong data does
 * not compile.
 *
 * @throws {@link InvalidOptionError} for a spec without a schema, or a version without its upcaster chain.
 * @example
 * ```ts
 * import { z } from 'zod';
 * const catalog = defineEventCatalog({
 *   'invoice.paid': z.object({ invoiceId: z.string(), amountCents: z.number().int() }),
 *   'invoice.voided': { schema: z.object({ invoiceId: z.string(), reason: z.string() }), version: 2,
 *     upcasters: { 1: (old) => ({ ...(old as object), reason: 'unknown' }) } },
 * });
 * ```
 */
export function defineEventCatalog<const Specs extends EventSpecs>(specs: Specs): EventCatalog<Specs> {
  const details = { factory: 'defineEventCatalog' };
  requireOption(
    details.factory,
    { specs },
    'specs',
    "an object of event types and their zod schemas, e.g. { 'invoice.paid': z.object({ ... }) }",
    (value) => typeof value === 'object' && !Array.isArray(value),
  );
  const definitions = new Map<
    string,
    Required<Omit<EventDefinition, 'description'>> & { description?: string }
  >();
  for (const [type, spec] of Object.entries(specs)) {
    if (type.length === 0)
      throw new InvalidOptionError(
        'specs',
        type,
        'an object whose event types are non-empty strings',
        details,
      );
    const option = `specs["${type}"]`;
    if (typeof spec !== 'object' || spec === null) {
      throw new InvalidOptionError(option, spec, 'a zod schema or { schema, version?, upcasters? }', details);
    }
    const definition: EventDefinition = isZodSchema(spec) ? { schema: spec } : spec;
    if (!isZodSchema(definition.schema)) {
      throw new InvalidOptionError(`${option}.schema`, definition.schema, 'a zod schema', details);
    }
    const version = definition.version ?? 1;
    if (!Number.isInteger(version) || version < 1) {
      throw new InvalidOptionError(`${option}.version`, version, 'an integer of at least 1', details);
    }
    const upcasters = definition.upcasters ?? {};
    for (let from = 1; from < version; from += 1) {
      if (typeof upcasters[from] !== 'function') {
        throw new InvalidOptionError(
          `${option}.upcasters[${from}]`,
          upcasters[from],
          `a function that turns version ${from} data into version ${from + 1}`,
          details,
        );
      }
    }
    definitions.set(type, {
      schema: definition.schema,
      version,
      upcasters,
      ...(definition.description === undefined ? {} : { description: definition.description }),
    });
  }
  return Object.freeze({
    specs,
    definitions,
    types: Object.freeze([...definitions.keys()]),
  });
}

/**
 * Combines catalogs into one; a type defined twice is an error.
 *
 * @throws {@link InvalidOptionError} when two catalogs define the same event type.
 * @example
 * ```ts
 * declare const billingEvents: EventCatalog<{ 'invoice.paid': z.ZodObject<{ invoiceId: z.ZodString }> }>;
 * import type { z } from 'zod';
 * // ---cut---
 * const catalog = mergeEventCatalogs(bookingEvents, billingEvents);
 * ```
 */
export function mergeEventCatalogs<A extends EventSpecs, B extends EventSpecs>(
  a: EventCatalog<A>,
  b: EventCatalog<B>,
): EventCatalog<A & B> {
  const factory = 'mergeEventCatalogs';
  const expected = 'an event catalog made by defineEventCatalog(), e.g. bookingEvents';
  const isCatalog = (value: unknown): boolean => (value as Partial<EventCatalog>).definitions instanceof Map;
  requireOption(factory, { a }, 'a', expected, isCatalog);
  requireOption(factory, { b }, 'b', expected, isCatalog);
  for (const type of b.types) {
    if (a.definitions.has(type))
      throw new InvalidOptionError('b', type, 'a catalog with none of the event types of a', { factory });
  }
  return defineEventCatalog<A & B>({ ...a.specs, ...b.specs });
}

function isZodSchema(value: unknown): value is z.ZodType {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { safeParse?: unknown }).safeParse === 'function' &&
    '_zod' in value
  );
}
