import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import { parseWith } from '../../errors/validation-error.js';
import { WebhookSignatureError } from '../../http/errors.js';
import { parseJsonBody } from '../../http/json-body.js';
import { jsonResponse } from '../../http/json-response.js';
import { problemResponse } from '../../http/problem.js';
import { readBodyLimited } from '../../http/read-body.js';
import { fingerprint } from '../../idempotency/fingerprint.js';
import type { IdempotencyValue } from '../../idempotency/idempotency-store.js';
import { retellFunctionCallKey } from '../idempotency-keys.js';
import { retellSignatureHeader, verifyRetellSignature } from '../signature.js';
import { createSpeech } from '../speech/speech.js';
import { speakArgumentProblem } from './argument-speech.js';
import { createBuiltInFunctions } from './builtins/built-in-functions.js';
import type { RetellFunction } from './define-function.js';
import { callerNumberOf, RetellFunctionCall } from './function-call.js';
import { createFunctionRunner } from './function-runner.js';
import { FACTORY, resolveRouterOptions, type RetellFunctionRouterOptions } from './router-options.js';
import { createServiceCatalog } from './service-catalog.js';
import { defaultRetellToolTimeoutMs, timeBudgetFor } from './time-budget.js';

/**
 * The body of every answer: `result`, the sentence the agent speaks, and `data`, small structured
 * facts (slots, ids) for its next steps. Retell hands the body to the agent's LLM as text.
 */
export interface RetellFunctionResult {
  readonly result: string;
  readonly data?: IdempotencyValue;
}

/** A Retell custom-function endpoint, with its parts for tests and simulators. */
export interface RetellFunctionRouter {
  /** The endpoint: verifies, parses, dispatches by `name`, and answers 200 with a {@link RetellFunctionResult}. */
  (request: Request): Promise<Response>;
  /**
   * Answers a parsed body whose signature was already checked, without HTTP.
   * @throws {@link bookingkit!ValidationError} for a body that is not `{ name, call: { call_id }, args }`.
   */
  handle(body: unknown): Promise<RetellFunctionResult>;
  /** The functions offered, built-in and the host's, for `retellToolDefinitions`. */
  readonly functions: readonly RetellFunction[];
  /** Resolves once the work that outlived its answer has finished and stored its result. */
  idle(): Promise<void>;
}

/**
 * Builds the endpoint for a Retell agent's custom functions, `(request) => Promise<Response>`:
 * `check_availability`, `book_appointment`, `reschedule_appointment`, `cancel_appointment`,
 * `list_services`, `find_my_appointments`, and the host's own.
 *
 * Each request is read under `limitBytes` (413), its `x-retell-signature` verified over the raw
 * body (401), and its body parsed as `{ name, call, args }` (400 otherwise, e.g. for a tool set
 * to "args only"). Every other outcome is a 200 whose `result` the agent can say, in the tenant's
 * language, with dates and times in its time zone: arguments that do not pass the function's zod
 * schema are answered with what is missing, an unknown tenant with a refusal, a failure with an
 * apology (and nothing kept, so a retry runs again).
 *
 * Each call is answered once: keyed on `retellFunctionCallKey` (call id, function, arguments), a
 * retry replays the first answer, and one arriving while the first still runs waits for it. Each
 * function has a time budget below its tool's `timeout_ms` (see `timeBudgetFor`); work that
 * outlives it answers "still working", goes on, and stores its answer for the repeat.
 *
 * @throws {@link bookingkit!InvalidOptionError} at creation, naming the option, for a missing
 *   dependency, two functions of one name, or an out-of-range number.
 * @example
 * ```ts
 * declare const kit: BookingKit;
 * declare function tenantOfNumber(number: string | undefined): Promise<{ tenantId: string; timeZone: string; locale: 'de' | 'en' } | null>;
 * // ---cut---
 * const retellFunctions = createRetellFunctionRouter({
 *   apiKey: process.env.RETELL_API_KEY!,
 *   resolveTenant: (call) => tenantOfNumber(call.direction === 'outbound' ? call.from_number : call.to_number),
 *   service: kit.service,
 *   availability: kit.availability,
 *   calendar: kit.calendar,
 *   stores: kit.stores,
 *   idempotency: kit.idempotency,
 * });
 * // Hono: app.post('/retell/functions', (c) => retellFunctions(c.req.raw));
 * ```
 */
export function createRetellFunctionRouter(options: RetellFunctionRouterOptions): RetellFunctionRouter {
  const {
    apiKey,
    resolveTenant,
    service,
    availability,
    calendar,
    stores,
    idempotency,
    alternatives,
    serviceCacheTtlMs,
    replayTtlMs,
    readReplayMs,
    lockTtlMs,
    maxResponseChars,
    limitBytes,
    toleranceMs,
    clock,
    logger,
    defaultLocale,
  } = resolveRouterOptions(options);
  const details = { factory: FACTORY };

  const builtIns =
    options.builtIns === false
      ? []
      : createBuiltInFunctions({
          service,
          availability,
          catalog: createServiceCatalog({ calendar, clock, ttlMs: serviceCacheTtlMs }),
          appointments: stores.appointments,
          customers: stores.customers,
          alternatives,
        });
  const own = options.functions ?? [];
  const byName = new Map<string, RetellFunction>(builtIns.map((fn) => [fn.name, fn]));
  const ownNames = new Set<string>();
  for (const fn of own) {
    if (ownNames.has(fn.name)) {
      throw new InvalidOptionError('functions', fn.name, 'functions with distinct names', details);
    }
    ownNames.add(fn.name);
    byName.set(fn.name, fn);
  }
  const functions = Object.freeze([...byName.values()]);

  const pending = new Set<Promise<unknown>>();
  const run = createFunctionRunner(
    { store: idempotency, clock, logger, replayTtlMs, readReplayMs, lockTtlMs },
    (work) => {
      pending.add(work);
      void work.finally(() => pending.delete(work));
    },
  );

  function capped(say: string, data: IdempotencyValue | undefined): RetellFunctionResult {
    const full: RetellFunctionResult = data === undefined ? { result: say } : { result: say, data };
    if (JSON.stringify(full).length <= maxResponseChars) return full;
    logger.warn({ chars: JSON.stringify(full).length }, 'a function answer was cut to its sentence');
    return { result: say.slice(0, maxResponseChars - 20) };
  }

  async function handle(body: unknown): Promise<RetellFunctionResult> {
    const request = parseWith(RetellFunctionCall, body, 'Retell function call body');
    try {
      return await answer(request);
    } catch (error) {
      // Tenant lookup, key or store failures: an apology, never the error.
      logger.error({ err: error, name: request.name }, 'a Retell function call could not be answered');
      return { result: createSpeech(defaultLocale, 'UTC').phrases.failed() };
    }
  }

  async function answer(request: RetellFunctionCall): Promise<RetellFunctionResult> {
    const tenant = await resolveTenant(request.call);
    if (!tenant) return { result: createSpeech(defaultLocale, 'UTC').phrases.unknownTenant() };
    const speech = createSpeech(tenant.locale, tenant.timeZone);
    const fn = byName.get(request.name);
    if (!fn) return { result: speech.phrases.unknownFunction() };
    const args = request.args ?? {};
    const parsed = fn.parameters.safeParse(args);
    if (!parsed.success)
      return { result: speakArgumentProblem(parsed.error.issues, args, speech, fn.labels) };
    const key = retellFunctionCallKey(request);
    const now = clock.now();
    const reply = await run({
      scope: { tenantId: tenant.tenantId, key },
      fingerprint: fingerprint(args),
      mutates: fn.mutates === true,
      budgetMs: timeBudgetFor(fn.timeoutMs ?? defaultRetellToolTimeoutMs),
      speech,
      work: () =>
        fn.run(parsed.data, {
          tenant,
          call: request.call,
          callId: request.call.call_id,
          callerNumber: callerNumberOf(request.call),
          idempotencyKey: key,
          speech,
          now,
        }),
    });
    return capped(reply.say, reply.data);
  }

  const router = async (request: Request): Promise<Response> => {
    try {
      const body = await readBodyLimited(request, { limitBytes });
      const key = typeof apiKey === 'string' ? apiKey : await apiKey(request);
      const verdict = key
        ? verifyRetellSignature(body.bytes, request.headers.get(retellSignatureHeader), key, {
            now: clock.now(),
            toleranceMs,
          })
        : ({ ok: false, reason: 'no key' } as const);
      if (!verdict.ok) {
        logger.warn({ reason: verdict.reason }, 'refused a Retell function call with a bad signature');
        return problemResponse(new WebhookSignatureError(verdict.reason), { clock });
      }
      return jsonResponse(200, await handle(parseJsonBody(body.bytes, 'Retell function call body')));
    } catch (error) {
      logger.error({ err: error }, 'a Retell function call could not be answered');
      return problemResponse(error, { clock });
    }
  };

  return Object.assign(router, {
    handle,
    functions,
    async idle(): Promise<void> {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  });
}
