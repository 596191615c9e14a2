import { z } from 'zod';
import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import type { Locale } from '../../domain/locale.js';
import type { RetellFunctionSpec } from './define-function.js';
import { defaultRetellToolTimeoutMs, timeBudgetFor } from './time-budget.js';

/** A Retell custom-function tool (`type: 'custom'`), as an agent's LLM configuration takes it. */
export interface RetellCustomToolDefinition {
  readonly type: 'custom';
  readonly name: string;
  readonly description: string;
  readonly url: string;
  readonly method: 'POST';
  /** JSON Schema of the arguments, generated from the function's zod schema. */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** `false`: the body carries `name` and `call`, which the router dispatches and deduplicates on. */
  readonly args_at_root: false;
  /** Below Retell's 120 s default, which the caller would hear as dead air. */
  readonly timeout_ms: number;
  readonly speak_during_execution: true;
  readonly speak_after_execution: true;
  readonly execution_message_description: string;
  readonly execution_message_type: 'static_text';
  readonly headers?: Readonly<Record<string, string>>;
}

/** Options of {@link retellToolDefinitions}. */
export interface RetellToolDefinitionsOptions {
  /** The router's URL: every tool posts there, and the router dispatches on `name`. */
  readonly baseUrl: string;
  /** The functions to describe: a router's `functions`, or `retellBuiltInFunctionSpecs`. */
  readonly functions: readonly RetellFunctionSpec[];
  /** The language of the execution messages the agent speaks while waiting. @default 'en' */
  readonly locale?: Locale;
  /** Extra headers Retell sends (values may hold `{{dynamic_variables}}`). @default none */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The custom-function tool definitions that configure a Retell agent for the router: each
 * function's name, description, JSON Schema of its parameters (zod's own `z.toJSONSchema`, as
 * input, so optional and defaulted arguments are not required), the URL, its `timeout_ms` and an
 * execution message spoken while it runs. Put them in the LLM's `general_tools`.
 *
 * @throws {@link bookingkit!InvalidOptionError} for a `baseUrl` that is not an http(s) URL, or a
 *   function whose `timeoutMs` Retell would refuse.
 * @example
 * ```ts
 * declare const router: { readonly functions: RetellToolDefinitionsOptions['functions'] };
 * // ---cut---
 * const general_tools = retellToolDefinitions({
 *   baseUrl: 'https://booking.example.com/retell/functions',
 *   functions: router.functions,
 *   locale: 'de',
 * });
 * ```
 */
export function retellToolDefinitions(options: RetellToolDefinitionsOptions): RetellCustomToolDefinition[] {
  const factory = 'retellToolDefinitions';
  let url: URL;
  try {
    url = new URL(options.baseUrl);
  } catch {
    throw new InvalidOptionError('baseUrl', options.baseUrl, 'an absolute http(s) URL', { factory });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidOptionError('baseUrl', options.baseUrl, 'an absolute http(s) URL', { factory });
  }
  const locale = options.locale ?? 'en';
  return options.functions.map((fn) => {
    const timeoutMs = fn.timeoutMs ?? defaultRetellToolTimeoutMs;
    timeBudgetFor(timeoutMs);
    const { $schema: _schema, ...parameters } = z.toJSONSchema(fn.parameters, { io: 'input' });
    return {
      type: 'custom',
      name: fn.name,
      description: fn.description,
      url: options.baseUrl,
      method: 'POST',
      parameters: { ...parameters, type: 'object', properties: parameters['properties'] ?? {} },
      args_at_root: false,
      timeout_ms: timeoutMs,
      speak_during_execution: true,
      speak_after_execution: true,
      execution_message_description: fn.executionMessage[locale],
      execution_message_type: 'static_text',
      ...(options.headers ? { headers: { ...options.headers } } : {}),
    };
  });
}
