import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ValidationError } from '../../errors/validation-error.js';
import {
  IdempotencyInProgressError,
  IdempotencyMismatchError,
  isIdempotencyInProgressError,
  isIdempotencyMismatchError,
} from '../../idempotency/errors.js';
import { fingerprint } from '../../idempotency/fingerprint.js';
import { IdempotencyKey } from '../../idempotency/idempotency-scope.js';
import type { IdempotencyStore } from '../../idempotency/idempotency-store.js';
import { idempotent } from '../../idempotency/idempotent.js';
import type { Clock } from '../../ports/clock.js';

/** Headers of an answer that are stored with it and replayed; the rest are set again on replay. */
const STORED_HEADERS = ['content-type', 'location'] as const;

/** Longest key accepted: what a booking command takes as its `idempotencyKey`. */
const MAX_KEY_LENGTH = 200;
/** A key as the header may carry it (made once: a schema is dear to build per request). */
const HeaderKey = IdempotencyKey.max(MAX_KEY_LENGTH, `must be at most ${MAX_KEY_LENGTH} characters`);

/** An HTTP answer as the idempotency store keeps it. @internal */
const StoredResponse = z.object({
  status: z.number().int().min(200).max(599),
  headers: z.record(z.string(), z.string()),
  body: z.string(),
});
type StoredResponse = z.infer<typeof StoredResponse>;

/** How long keys live and how long a duplicate waits. @internal */
export interface HttpIdempotencySettings {
  readonly store: IdempotencyStore;
  readonly clock: Clock;
  readonly ttlMs: number;
  readonly lockTtlMs: number;
  readonly waitMs: number;
}

/**
 * The `Idempotency-Key` of a request: a bare token or a quoted structured-field string
 * (`"8e03978e-..."`, as the IETF draft writes it), 1 to 200 printable ASCII characters.
 *
 * @throws `ValidationError` naming `Idempotency-Key` when it is missing or malformed.
 * @internal
 */
export function idempotencyKeyOf(request: Request): string {
  const header = request.headers.get('idempotency-key');
  const problem = (message: string): ValidationError =>
    new ValidationError('request', [{ path: 'Idempotency-Key', message }]);
  if (header === null)
    throw problem('header is required on this route: send a unique key per request, e.g. a UUID');
  const value = /^"(.*)"$/.exec(header.trim())?.[1] ?? header.trim();
  const parsed = HeaderKey.safeParse(value);
  if (!parsed.success) throw problem(parsed.error.issues[0]?.message ?? 'is invalid');
  return parsed.data;
}

/** A response that was not stored (not a success): answered once, the key released. */
class Unstored extends Error {
  constructor(readonly response: Response) {
    super('answer not stored');
  }
}

/**
 * Runs `run` at most once per tenant, method, path and key (the IETF Idempotency-Key draft): a
 * replay answers the stored status, headers and body with `Idempotent-Replayed: true`; the key
 * with another body throws `IdempotencyMismatchError` (422); a key in flight is waited for up to
 * `waitMs`, then `IdempotencyInProgressError` (409, `Retry-After`). Only successful (2xx) answers
 * are stored: after a failure the key is free, so a retry runs again, as the booking service does
 * with the same key.
 *
 * @internal
 */
export async function idempotentResponse(
  settings: HttpIdempotencySettings,
  request: {
    readonly tenantId: string;
    readonly method: string;
    readonly path: string;
    readonly key: string;
  },
  body: unknown,
  run: () => Promise<Response>,
  signal: AbortSignal | undefined,
): Promise<Response> {
  const scopeKey = `http:${createHash('sha256').update(`${request.method} ${request.path}\n${request.key}`).digest('hex')}`;
  try {
    const outcome = await idempotent(
      settings.store,
      {
        tenantId: request.tenantId,
        key: scopeKey,
        fingerprint: fingerprint({ body }),
        ttlMs: settings.ttlMs,
        lockTtlMs: settings.lockTtlMs,
        waitMs: settings.waitMs,
        clock: settings.clock,
        ...(signal ? { signal } : {}),
      },
      async () => {
        const response = await run();
        if (response.status < 200 || response.status > 299) throw new Unstored(response);
        return snapshot(response);
      },
    );
    const stored = StoredResponse.parse(outcome.value);
    if (!outcome.replayed) return toResponse(stored);
    const response = toResponse(stored);
    response.headers.set('idempotent-replayed', 'true');
    return response;
  } catch (error) {
    if (error instanceof Unstored) return error.response;
    // The errors name the caller's key, not the store's derived one.
    if (isIdempotencyMismatchError(error)) {
      throw new IdempotencyMismatchError({ ...error.context, key: request.key });
    }
    if (isIdempotencyInProgressError(error)) {
      throw new IdempotencyInProgressError({ ...error.context, key: request.key });
    }
    throw error;
  }
}

async function snapshot(response: Response): Promise<StoredResponse> {
  const headers: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  return { status: response.status, headers, body: await response.text() };
}

function toResponse(stored: StoredResponse): Response {
  return new Response(stored.body, { status: stored.status, headers: stored.headers });
}
