import type { z } from 'zod';
import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import type { IdempotencyValue } from '../../idempotency/idempotency-store.js';
import type { Locale } from '../../domain/locale.js';
import type { LocalizedText } from '../speech/locale.js';
import type { Speech } from '../speech/speech.js';
import type { RetellFunctionCallInfo } from './function-call.js';
import { defaultRetellToolTimeoutMs, timeBudgetFor } from './time-budget.js';

/** The tenant a call belongs to, as the router's `resolveTenant` finds it. */
export interface RetellTenantContext {
  readonly tenantId: string;
  /** IANA time zone: dates and times are read and spoken in it. */
  readonly timeZone: string;
  /** The language the agent speaks. */
  readonly locale: Locale;
}

/** What a function answers: a sentence the agent can say, and optional structured data. */
export interface RetellFunctionAnswer {
  /** Short, speakable, in the tenant's language; never a code or a stack trace. */
  readonly say: string;
  /** Structured facts for the agent's next steps (slots, ids), kept small. */
  readonly data?: IdempotencyValue;
}

/** What a function is given besides its validated arguments. */
export interface RetellFunctionContext {
  readonly tenant: RetellTenantContext;
  /** The call object Retell sent. */
  readonly call: RetellFunctionCallInfo;
  readonly callId: string;
  /** The number of the person on the line (E.164), when there is one. */
  readonly callerNumber: string | null;
  /**
   * The call's idempotency key (`retellFunctionCallKey`): the same for a retry of this request,
   * different for another function or other arguments. Pass it on to writes.
   */
  readonly idempotencyKey: string;
  /** Formatting and sentences in the tenant's language and time zone. */
  readonly speech: Speech;
  /** When the request arrived, epoch ms. */
  readonly now: number;
}

/** What a tool definition needs of a function: everything but its implementation. */
export interface RetellFunctionSpec<S extends z.ZodObject = z.ZodObject> {
  /** Retell tool name: 1 to 64 of `A-Z a-z 0-9 _ -`. */
  readonly name: string;
  /** Tells the agent's LLM when to call it and what it returns. */
  readonly description: string;
  /** The arguments; their JSON Schema is generated from it for the tool definition. */
  readonly parameters: S;
  /** What the agent says while the function runs. */
  readonly executionMessage: LocalizedText;
  /** The tool's `timeout_ms`. @default 10_000 */
  readonly timeoutMs?: number;
  /**
   * `true` for functions that change something (book, cancel): their answer is kept for a day, so
   * any repeat of the call replays it. A read's answer is kept for `readReplayMs` only, so asking
   * again later in the call looks again.
   * @default false
   */
  readonly mutates?: boolean;
  /** Spoken names of arguments beyond the built-in ones (`service`, `date`, `time`, …). */
  readonly labels?: Readonly<Record<string, LocalizedText>>;
}

/** A function the router can run: its spec and its implementation. */
export interface RetellFunction<S extends z.ZodObject = z.ZodObject> extends RetellFunctionSpec<S> {
  /**
   * Does the work. Expected outcomes (taken, not found) are answers; throw only for the
   * unexpected: the router then answers with an apology and forgets the call, so a retry runs it
   * again.
   */
  run(args: z.output<S>, context: RetellFunctionContext): Promise<RetellFunctionAnswer>;
}

/**
 * Declares a host function for `createRetellFunctionRouter`: validated with its zod schema, made
 * idempotent on the call, bounded in time, and described by `retellToolDefinitions` like the
 * built-in ones.
 *
 * @throws {@link bookingkit!InvalidOptionError} for a name Retell refuses, a missing `run` or
 *   schema, or a `timeoutMs` outside 1,000 to 600,000.
 * @example
 * ```ts
 * import { z } from 'zod';
 * declare function openingHoursOf(tenantId: string): Promise<string>;
 * // ---cut---
 * const openingHours = defineRetellFunction({
 *   name: 'opening_hours',
 *   description: 'Tells when the practice is open.',
 *   parameters: z.object({}),
 *   executionMessage: { de: 'Einen Moment.', en: 'One moment.' },
 *   run: async (_args, { tenant }) => ({ say: await openingHoursOf(tenant.tenantId) }),
 * });
 * ```
 */
export function defineRetellFunction<S extends z.ZodObject>(fn: RetellFunction<S>): RetellFunction<S> {
  if (typeof fn.name !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(fn.name)) {
    throw new InvalidOptionError('name', fn.name, 'a Retell tool name: 1 to 64 of A-Z, a-z, 0-9, _ and -');
  }
  const { run }: { run?: unknown } = fn as object;
  if (typeof run !== 'function') throw new InvalidOptionError('run', run, 'a function');
  const schema: unknown = fn.parameters;
  if (typeof schema !== 'object' || schema === null || !('safeParse' in schema)) {
    throw new InvalidOptionError('parameters', fn.parameters, 'a zod object schema, e.g. z.object({})');
  }
  timeBudgetFor(fn.timeoutMs ?? defaultRetellToolTimeoutMs);
  return fn;
}
