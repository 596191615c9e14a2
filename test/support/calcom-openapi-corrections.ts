/**
 * The corrections test/support/calcom-openapi.ts applies to Cal.com's OpenAPI document before
 * checking traffic against it: its known errors (shared/reference/calcom.md §6, and those found
 * while checking the simulator), each with what the document says and what Cal.com does, and
 * OpenAPI 3.0's `nullable` turned into JSON Schema for ajv.
 */

type Json = Record<string, unknown>;

const schemaAt = (document: Json, pointer: string[]): Json => {
  let node: unknown = document;
  for (const segment of pointer) node = (node as Json)[segment];
  return node as Json;
};

/** Corrects the document's known errors, in place, each with what Cal.com really does. */
export function correctKnownErrors(document: Json): void {
  const schemas = schemaAt(document, ['components', 'schemas']) as Record<string, Json>;
  const triggerEnum = (schemas.CreateWebhookInputDto!.properties as Record<string, Json>).triggers!.enum;

  // Known error (reference §6): `GET /v2/slots` 200 says each date maps to an array of strings,
  // in two `oneOf` branches that describe `data` without its `{ status, data }` envelope. Cal.com
  // answers `{ status, data: { "YYYY-MM-DD": [{ start[, end] }] } }` (objects, not strings).
  const slots = schemaAt(document, [
    'paths',
    '/v2/slots',
    'get',
    'responses',
    '200',
    'content',
    'application/json',
  ]);
  slots.schema = {
    type: 'object',
    required: ['status', 'data'],
    properties: {
      status: { type: 'string', enum: ['success', 'error'] },
      data: {
        type: 'object',
        additionalProperties: {
          type: 'array',
          items: {
            type: 'object',
            required: ['start'],
            properties: { start: { type: 'string' }, end: { type: 'string' } },
          },
        },
      },
    },
  };

  // Known error (reference §6): `CreateWebhookInputDto.triggers` (and the update DTO's) is typed
  // as one string; Cal.com's source takes an array of trigger names.
  for (const name of ['CreateWebhookInputDto', 'UpdateWebhookInputDto']) {
    const properties = schemas[name]!.properties as Record<string, Json>;
    properties.triggers = { type: 'array', items: { type: 'string', enum: triggerEnum } };
  }
  // Known error (reference §6): the triggers *example* lists names that are not in the enum
  // (BOOKING_CONFIRMED, BOOKING_COMPLETED, BOOKING_NO_SHOW, BOOKING_REOPENED). Examples are not
  // checked here (ajv runs with strict: false, which ignores `example`), so nothing trusts it.

  // Found while checking: `UserWebhookOutputDto.triggers` items are typed as objects; Cal.com
  // answers the trigger names (strings), as its WebhookOutputDto declares.
  (schemas.UserWebhookOutputDto!.properties as Record<string, Json>).triggers = {
    type: 'array',
    items: { type: 'string', enum: triggerEnum },
  };
  // Found while checking: `payloadTemplate` is required as a string, but the Webhook column is
  // optional and Cal.com answers `null` for a subscription without a template (reference §4.6:
  // an adapter leaves it empty).
  (schemas.UserWebhookOutputDto!.properties as Record<string, Json>).payloadTemplate = {
    type: 'string',
    nullable: true,
  };

  // Found while checking: `GetReservedSlotOutput_2024_09_04.data` refers to the output schema
  // itself (endless `{ status, data }` nesting); the data is a reservation
  // (`ReserveSlotOutput_2024_09_04`), or null.
  (schemas.GetReservedSlotOutput_2024_09_04!.properties as Record<string, Json>).data = {
    nullable: true,
    allOf: [{ $ref: '#/components/schemas/ReserveSlotOutput_2024_09_04' }],
  };

  // Found while checking: `EventTypeOutput_2024_06_14.slotInterval` is typed `object` (Nest's
  // swagger writes `type: Object` for a `number | null` property); Cal.com sends minutes or null.
  (schemas.EventTypeOutput_2024_06_14!.properties as Record<string, Json>).slotInterval = {
    type: 'number',
    nullable: true,
  };

  // Found while checking: `POST /v2/bookings` takes `oneOf` the regular, instant and recurring
  // inputs, but a regular body also satisfies the recurring input (which adds no required field),
  // so no body could match exactly one. Cal.com tells them apart by `instant` and the event type's
  // recurrence: any of the three is valid.
  const createBody = schemaAt(document, [
    'paths',
    '/v2/bookings',
    'post',
    'requestBody',
    'content',
    'application/json',
  ]);
  const create = createBody.schema as Json;
  createBody.schema = { anyOf: create.oneOf };
}

/**
 * OpenAPI 3.0's `nullable: true` is not JSON Schema: `{ type: T, nullable }` becomes
 * `{ type: [T, 'null'] }` (and `null` joins an `enum`); a `nullable` without a `type` (e.g.
 * beside an `allOf`) becomes `anyOf` the schema and `null`. In place, over the whole document.
 */
export function nullableToJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableToJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const schema = node as Json;
  for (const [key, value] of Object.entries(schema)) schema[key] = nullableToJsonSchema(value);
  if (schema.nullable !== true) return schema;
  delete schema.nullable;
  if (typeof schema.type === 'string') {
    schema.type = [schema.type, 'null'];
    if (Array.isArray(schema.enum)) schema.enum = [...(schema.enum as unknown[]), null];
    return schema;
  }
  return { anyOf: [schema, { type: 'null' }] };
}
