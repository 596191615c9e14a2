import { z } from 'zod';

/**
 * The call a function was invoked in, as Retell sends it with the request (the call object, live
 * transcript included). Only the fields the router reads are checked; the rest pass through.
 */
export const RetellFunctionCallInfo = z.looseObject({
  call_id: z.string().min(1).max(200),
  agent_id: z.string().min(1).optional(),
  call_type: z.string().optional(),
  direction: z.string().optional(),
  from_number: z.string().optional(),
  to_number: z.string().optional(),
  metadata: z.unknown().optional(),
  retell_llm_dynamic_variables: z.record(z.string(), z.unknown()).optional(),
});
/** @see {@link RetellFunctionCallInfo} */
export type RetellFunctionCallInfo = z.infer<typeof RetellFunctionCallInfo>;

/**
 * The body of a Retell custom-function request: `{ name, call, args }` (the tool's default
 * payload). Tools set to "args only" (`args_at_root`) send neither the name nor the call, so they
 * can be neither dispatched nor made idempotent, and are refused.
 *
 * @example
 * ```ts
 * declare const body: unknown;
 * // ---cut---
 * const parsed = RetellFunctionCall.safeParse(body);
 * if (parsed.success) console.log(parsed.data.name, parsed.data.call.call_id);
 * ```
 */
export const RetellFunctionCall = z.object({
  name: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a Retell tool name: 1 to 64 of A-Z, a-z, 0-9, _ and -'),
  call: RetellFunctionCallInfo,
  args: z.unknown().optional(),
});
/** @see {@link RetellFunctionCall} */
export type RetellFunctionCall = z.infer<typeof RetellFunctionCall>;

/**
 * The number of the person on the line: the caller of an inbound call, the one dialled for an
 * outbound call; `null` for a web call or a number that is not E.164.
 * @internal
 */
export function callerNumberOf(call: RetellFunctionCallInfo): string | null {
  const number = call.direction === 'outbound' ? call.to_number : call.from_number;
  return number !== undefined && /^\+[1-9]\d{6,14}$/.test(number) ? number : null;
}
