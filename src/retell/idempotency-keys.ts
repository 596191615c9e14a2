import { z } from 'zod';
import { parseWith } from '../errors/validation-error.js';
import { fingerprint } from '../idempotency/fingerprint.js';
import { IdempotencyKey } from '../idempotency/idempotency-scope.js';

const Id = z.string().min(1);

const RetellWebhook = z.union([
  z.object({ event: Id, call: z.looseObject({ call_id: Id }) }),
  z.object({ event: Id, chat: z.looseObject({ chat_id: Id }) }),
]);

const RetellFunctionCall = z.object({
  name: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a Retell tool name: 1 to 64 of A-Z, a-z, 0-9, _ and -'),
  call: z.looseObject({ call_id: Id }),
  args: z.unknown().optional(),
});

/**
 * Derives the idempotency key of a Retell webhook delivery (`{ event, call: { call_id, ... } }`,
 * or `{ event, chat: { chat_id, ... } }` for chat agents). Retell retries a delivery up to 3
 * times and sends no event id.
 *
 * Lifecycle events (`call_started`, `call_ended`, `call_analyzed`, `chat_*`) fire once per call,
 * so their key is `retell:<event>:<call_id>`. Events that fire several times per call get a
 * fingerprint of what changes between them appended: `transfer_*` the top-level
 * `transfer_destination` and `transfer_option`; `transcript_updated` the transcript (so each
 * distinct update is handled once, and a duplicate of it is not).
 *
 * @param body - the parsed JSON body (after its signature was verified over the raw bytes).
 * @throws {@link bookingkit!ValidationError} when the body has no `event` or no `call.call_id` /
 *   `chat.chat_id` (the `call_inbound` webhook has no call id yet, and is refused), or the key
 *   would not be a valid {@link IdempotencyKey}.
 * @example
 * ```ts
 * declare const body: unknown;
 * declare const store: IdempotencyStore;
 * declare const tenantId: string;
 * declare function handle(body: unknown): Promise<string>;
 * // ---cut---
 * const key = retellWebhookKey(body); // 'retell:call_ended:Jabr9TXYYJHfvl6Syypi88rdAHYHmcq6'
 * await idempotent(store, { tenantId, key, fingerprint: fingerprint(body) }, () => handle(body));
 * ```
 */
export function retellWebhookKey(body: unknown): string {
  const parsed = parseWith(RetellWebhook, body, 'Retell webhook body');
  const id = 'call' in parsed ? parsed.call.call_id : parsed.chat.chat_id;
  const parts = [`retell:${parsed.event}`, id];
  if (parsed.event === 'transcript_updated' && 'call' in parsed) {
    const { call } = parsed;
    parts.push(
      fingerprint(
        call['transcript_with_tool_calls'] ?? call['transcript_object'] ?? call['transcript'] ?? null,
      ),
    );
  } else if (parsed.event.startsWith('transfer_')) {
    const { transfer_destination = null, transfer_option = null } = body as {
      transfer_destination?: unknown;
      transfer_option?: unknown;
    };
    parts.push(fingerprint({ transfer_destination, transfer_option }));
  }
  return parseWith(IdempotencyKey, parts.join(':'), 'Retell webhook idempotency key');
}

/**
 * Derives the idempotency key of a Retell custom-function call (`{ name, call: { call_id, ... },
 * args }`): `retell-fn:<call_id>:<name>:<fingerprint(args)>`. Retell retries a failed function
 * request up to 2 times, so a non-idempotent tool such as "book" could otherwise run three
 * times; the arguments are fingerprinted as canonical JSON, so a retry matches whatever its key
 * order, while the same function called again in the call with other arguments does not.
 *
 * @param body - the parsed JSON body. Tools configured with `args_at_root` send only the args,
 *   without the call id, and cannot be keyed this way.
 * @throws {@link bookingkit!ValidationError} when `name` or `call.call_id` is missing or invalid.
 * @example
 * ```ts
 * declare const body: { call: { call_id: string }; name: string; args: unknown };
 * declare const store: IdempotencyStore;
 * declare const tenantId: string;
 * declare function book(args: unknown): Promise<string>;
 * // ---cut---
 * const key = retellFunctionCallKey(body); // 'retell-fn:call_a44...:book_appointment:9f86d0...'
 * const reply = await idempotent(store, { tenantId, key, fingerprint: fingerprint(body.args) }, () => book(body.args));
 * ```
 */
export function retellFunctionCallKey(body: unknown): string {
  const { name, call, args } = parseWith(RetellFunctionCall, body, 'Retell function call body');
  const key = `retell-fn:${call.call_id}:${name}:${fingerprint(args ?? {})}`;
  return parseWith(IdempotencyKey, key, 'Retell function call idempotency key');
}
