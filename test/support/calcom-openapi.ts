/**
 * Checks Cal.com API v2 traffic against the official OpenAPI document (the path in env
 * `CALCOM_OPENAPI`, e.g. `../shared/reference/calcom-openapi-v2.json`), with ajv.
 *
 * - `CALCOM_OPENAPI` set: the tests that use this helper run; an unreadable file is a failure.
 * - Not set, outside CI: those tests skip, with {@link calcomOpenApiSkipReason}.
 * - Not set under CI (`CI=true`): a failure, never a silent skip.
 *
 * The document has known errors (shared/reference/calcom.md §6, and more found while checking
 * the simulator against it). Each is corrected in ./calcom-openapi-corrections.ts or handled
 * where the check runs below, with a comment saying what the document says and what Cal.com does.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { correctKnownErrors, nullableToJsonSchema } from './calcom-openapi-corrections.js';

const documentPath = process.env.CALCOM_OPENAPI;
const isCI = process.env.CI === 'true' || process.env.CI === '1';

if (isCI && !documentPath)
  throw new Error(
    'CI=true but CALCOM_OPENAPI is not set: the Cal.com contract tests must run against the OpenAPI document (../shared/reference/calcom-openapi-v2.json)',
  );

/** Why the OpenAPI checks are skipped, or `undefined` when they run. */
export const calcomOpenApiSkipReason = documentPath
  ? undefined
  : 'CALCOM_OPENAPI is not set; set it to the Cal.com OpenAPI document (e.g. ../shared/reference/calcom-openapi-v2.json) to check requests and responses against it';

/** A request, as the check reads it. Header names in any case; `path` without the base URL. */
export interface OpenApiRequest {
  readonly method: string;
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** A response, as the check reads it. */
export interface OpenApiResponse {
  readonly status: number;
  readonly body?: unknown;
}

/** The checks, each answering the problems found (empty: valid). */
export interface CalcomOpenApi {
  validateRequest(request: OpenApiRequest): string[];
  validateResponse(request: Pick<OpenApiRequest, 'method' | 'path'>, response: OpenApiResponse): string[];
}

type Json = Record<string, unknown>;
interface Parameter {
  readonly name: string;
  readonly in: 'query' | 'header' | 'path' | 'cookie';
  readonly required?: boolean;
  readonly schema?: Json;
}
interface Operation {
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: {
    readonly required?: boolean;
    readonly content?: Record<string, { schema?: Json }>;
  };
  readonly responses?: Record<string, { content?: Record<string, { schema?: Json }> }>;
}

const DOC_ID = 'calcom-openapi.json';

/**
 * The error envelope of reference §3. Known error "no error responses documented": the document
 * lists only successes, so an error status is checked against the envelope Cal.com's exception
 * filters write, or against Nest's bare `{ statusCode, message }` that a core HttpError gets.
 */
const ERROR_BODY = {
  oneOf: [
    {
      type: 'object',
      required: ['status', 'timestamp', 'path', 'error'],
      properties: {
        status: { const: 'error' },
        timestamp: { type: 'string', format: 'date-time' },
        path: { type: 'string' },
        error: {
          type: 'object',
          required: ['code', 'message'],
          properties: { code: { type: 'string' }, message: { type: 'string' } },
        },
      },
    },
    {
      type: 'object',
      required: ['statusCode', 'message'],
      properties: { statusCode: { type: 'integer' }, message: { type: 'string' } },
      not: { required: ['status'] },
    },
  ],
};

/** `/v2/bookings/{bookingUid}` → a pattern; templates with fewer parameters win ties. */
function pathMatcher(paths: readonly string[]): (path: string) => string | undefined {
  const compiled = paths
    .map((template) => ({
      template,
      params: (template.match(/\{[^}]+\}/g) ?? []).length,
      pattern: new RegExp(
        `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`,
      ),
    }))
    .sort((a, b) => a.params - b.params);
  return (path) => compiled.find((entry) => entry.pattern.test(path))?.template;
}

/** Query values arrive as strings: comma lists become arrays, numbers and booleans are coerced by ajv. */
const queryValue = (value: string, schema: Json | undefined): unknown =>
  schema?.type === 'array' ? value.split(',') : value;

/**
 * Loads the document at `path` and prepares the checks.
 *
 * @throws when the file cannot be read or is not an OpenAPI 3 document.
 */
export function loadCalcomOpenApi(path: string | undefined = documentPath): CalcomOpenApi {
  if (!path) throw new Error(calcomOpenApiSkipReason);
  const document = JSON.parse(readFileSync(path, 'utf8')) as Json;
  if (typeof document.openapi !== 'string' || !document.openapi.startsWith('3.'))
    throw new Error(`${path} is not an OpenAPI 3 document`);
  correctKnownErrors(document);
  nullableToJsonSchema(document);
  // Known error (reference §6): no `servers` block. Requests are matched on their path alone
  // (`/v2/...`); the base URL (api.cal.com, cal.eu, a simulator) is the caller's to strip.
  const paths = document.paths as Record<string, Record<string, Operation>>;
  const findPath = pathMatcher(Object.keys(paths));

  const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true, validateSchema: false }));
  const coercing = addFormats(
    new Ajv({ strict: false, allErrors: true, coerceTypes: true, validateSchema: false }),
  );
  ajv.addSchema(document, DOC_ID);
  coercing.addSchema(document, DOC_ID);
  const errorBody = ajv.compile(ERROR_BODY);
  const compiled = new Map<string, ValidateFunction>();
  const validatorAt = (instance: Ajv, pointer: string[]): ValidateFunction => {
    const key = `${instance === ajv ? 'a' : 'c'}:${pointer.join('/')}`;
    let validate = compiled.get(key);
    if (!validate) {
      const ref = `${DOC_ID}#/${pointer.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
      validate = instance.getSchema(ref);
      if (!validate) throw new Error(`no schema at ${ref}`);
      compiled.set(key, validate);
    }
    return validate;
  };
  const problemsOf = (where: string, validate: ValidateFunction, data: unknown): string[] =>
    validate(data)
      ? []
      : (validate.errors ?? []).map(
          (error) => `${where}${error.instancePath} ${error.message ?? 'is invalid'}`,
        );

  const operationOf = (method: string, path: string) => {
    const template = findPath(path);
    const operation = template ? paths[template]?.[method.toLowerCase()] : undefined;
    return template && operation ? { template, operation } : undefined;
  };

  return {
    validateRequest(request) {
      const found = operationOf(request.method, request.path);
      if (!found) return [`${request.method} ${request.path}: no such operation in the document`];
      const { template, operation } = found;
      const where = `${request.method} ${template}`;
      const problems: string[] = [];
      const headers = Object.fromEntries(
        Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
      );
      const query = request.query ?? {};
      const method = request.method.toLowerCase();
      for (const [index, parameter] of (operation.parameters ?? []).entries()) {
        // Path parameters are matched by the template, not checked one by one: the document also
        // forgets some (found while checking: `GET /v2/webhooks/{webhookId}` declares none).
        if (parameter.in === 'path' || parameter.in === 'cookie') continue;
        const value =
          parameter.in === 'header' ? headers[parameter.name.toLowerCase()] : query[parameter.name];
        if (value === undefined) {
          if (parameter.required)
            problems.push(`${where}: ${parameter.in} parameter ${parameter.name} is required`);
          continue;
        }
        if (!parameter.schema) continue;
        const validate = validatorAt(coercing, [
          'paths',
          template,
          method,
          'parameters',
          String(index),
          'schema',
        ]);
        problems.push(
          ...problemsOf(
            `${where} ${parameter.in} ${parameter.name}`,
            validate,
            queryValue(value, parameter.schema),
          ),
        );
      }
      const content = operation.requestBody?.content?.['application/json'];
      if (request.body === undefined) {
        if (operation.requestBody?.required) problems.push(`${where}: a JSON body is required`);
      } else if (content?.schema) {
        const validate = validatorAt(ajv, [
          'paths',
          template,
          method,
          'requestBody',
          'content',
          'application/json',
          'schema',
        ]);
        problems.push(...problemsOf(`${where} body`, validate, request.body));
      }
      // Known error (reference §6): `attendee.email` is optional in the schema, but Cal.com's
      // class requires an email or a phone number (@RequireEmailOrPhone).
      if (template === '/v2/bookings' && method === 'post') {
        const attendee = (
          request.body as { attendee?: { email?: unknown; phoneNumber?: unknown } } | undefined
        )?.attendee;
        if (attendee && attendee.email === undefined && attendee.phoneNumber === undefined)
          problems.push(`${where} body/attendee needs an email or a phoneNumber`);
      }
      return problems;
    },

    validateResponse(request, response) {
      const found = operationOf(request.method, request.path);
      if (!found) return [`${request.method} ${request.path}: no such operation in the document`];
      const { template, operation } = found;
      const where = `${request.method} ${template} ${response.status}`;
      const documented = operation.responses?.[String(response.status)];
      if (!documented) {
        // Known error "no error responses documented" (reference §6): see ERROR_BODY.
        if (response.status >= 400) return problemsOf(`${where} body`, errorBody, response.body);
        return [`${where}: status not documented`];
      }
      if (!documented.content?.['application/json']?.schema) return [];
      const validate = validatorAt(ajv, [
        'paths',
        template,
        request.method.toLowerCase(),
        'responses',
        String(response.status),
        'content',
        'application/json',
        'schema',
      ]);
      return problemsOf(`${where} body`, validate, response.body);
    },
  };
}
