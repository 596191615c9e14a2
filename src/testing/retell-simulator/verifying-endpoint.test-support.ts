// Test support for the simulator's own tests (not part of the package).
import type { Clock } from '../../ports/clock.js';
import { verifyRetellSignature, type RetellSignatureResult } from '../../retell/signature.js';

/** A request as a test endpoint saw it. @internal */
export interface SeenRequest {
  readonly url: string;
  readonly body: string;
  readonly payload: unknown;
  readonly signature: RetellSignatureResult;
  /** The clock's now when the endpoint received it. */
  readonly at: number;
}

/**
 * A small endpoint for the simulator's own tests: checks each request's signature with
 * `verifyRetellSignature` (401 when it fails), records it, and answers with `answer`.
 *
 * @internal
 */
export function verifyingEndpoint(
  apiKey: string,
  clock: Clock,
  answer: (payload: unknown, seen: SeenRequest) => Response | Promise<Response> = () =>
    new Response(null, { status: 204 }),
): { readonly seen: SeenRequest[]; readonly handler: (request: Request) => Promise<Response> } {
  const seen: SeenRequest[] = [];
  return {
    seen,
    async handler(request) {
      const at = clock.now();
      const body = await request.text();
      const signature = verifyRetellSignature(body, request.headers.get('x-retell-signature'), apiKey, {
        now: clock.now(),
      });
      const entry = { url: request.url, body, payload: JSON.parse(body) as unknown, signature, at };
      seen.push(entry);
      if (!signature.ok) return new Response(JSON.stringify({ error: signature.reason }), { status: 401 });
      return answer(entry.payload, entry);
    },
  };
}
