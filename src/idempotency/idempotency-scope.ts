import { z } from 'zod';
import { parseWith } from '../errors/validation-error.js';
import { checkNumberOption, checkStringOption } from '../util/options.js';

/** Longest idempotency key accepted, in characters (the common `Idempotency-Key` header limit). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/**
 * An idempotency key: 1 to 255 printable ASCII characters (`!` to `~`), so no spaces, control
 * characters or non-ASCII. UUIDs, `Idempotency-Key` header values and the keys derived by
 * {@link bookingkit/calcom!calcomWebhookKey}, {@link bookingkit/retell!retellWebhookKey} and
 * {@link bookingkit/retell!retellFunctionCallKey} all fit.
 *
 * @example
 * ```ts
 * IdempotencyKey.parse('calcom:BOOKING_CREATED:abc123:2026-01-05T09:00:00.000Z:ACCEPTED');
 * ```
 */
export const IdempotencyKey = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(MAX_IDEMPOTENCY_KEY_LENGTH, `must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`)
  .regex(
    /^[\x21-\x7e]+$/,
    'may contain only printable ASCII characters (no spaces, control or non-ASCII characters)',
  );
/** The type of the {@link IdempotencyKey} schema: a string that passed its checks. */
export type IdempotencyKey = z.infer<typeof IdempotencyKey>;

/**
 * Where an idempotency key lives: keys are scoped by tenant, so two tenants may use the same key
 * without seeing each other's results.
 */
export const IdempotencyScope = z.object(
  {
    /** The tenant that owns the key: any non-empty string of at most 255 characters. */
    tenantId: z
      .string({ error: 'must be a string' })
      .min(1, 'must not be empty')
      .max(255, 'must be at most 255 characters'),
    key: IdempotencyKey,
  },
  { error: 'must be an object with tenantId and key' },
);
/** @see {@link IdempotencyScope} */
export type IdempotencyScope = z.infer<typeof IdempotencyScope>;

/**
 * Validates a scope, throwing a `ValidationError` that names the bad field (`key`, `tenantId`).
 *
 * @internal
 */
export function checkScope(scope: unknown): IdempotencyScope {
  return parseWith(IdempotencyScope, scope, 'idempotency scope');
}

/** The timing and fingerprint of a claim, validated by {@link checkClaim}. */
interface ClaimOptions {
  readonly fingerprint: string;
  readonly ttlMs: number;
  readonly lockTtlMs: number;
  readonly now: number;
}

/**
 * Validates what every store's `begin` receives besides the scope: a fingerprint, whole
 * millisecond durations with `lockTtlMs <= ttlMs`, and a time.
 *
 * @internal
 */
export function checkClaim(options: ClaimOptions): void {
  checkStringOption('fingerprint', options.fingerprint, 512);
  const ttlMs = checkNumberOption('ttlMs', options.ttlMs, { min: 1, integer: true });
  checkNumberOption('lockTtlMs', options.lockTtlMs, { min: 1, max: ttlMs, integer: true });
  checkNumberOption('now', options.now, { integer: true });
}

/**
 * Validates what `complete` and `release` receive besides the scope: the claim's token and a time.
 *
 * @internal
 */
export function checkSettle(options: { readonly token: string; readonly now: number }): void {
  checkStringOption('token', options.token, 200);
  checkNumberOption('now', options.now, { integer: true });
}
