import { z } from 'zod';
import { ValidationError } from '../errors/validation-error.js';
import type { IdempotencyBeginResult, IdempotencyValue } from './idempotency-store.js';

/**
 * A claim that has not been completed yet.
 *
 * @internal
 */
export const InProgressRecord = z.object({
  state: z.literal('in_progress'),
  fingerprint: z.string().min(1),
  lockExpiresAt: z.number(),
  expiresAt: z.number(),
});

/**
 * A completed claim and its result.
 *
 * @internal
 */
export const CompletedRecord = z.object({
  state: z.literal('completed'),
  fingerprint: z.string().min(1),
  expiresAt: z.number(),
  result: z.json(),
});

/**
 * What every idempotency store keeps per key, as the stores read it back.
 *
 * @internal
 */
export const IdempotencyRecord = z.discriminatedUnion('state', [InProgressRecord, CompletedRecord]);
/** @internal */
export type IdempotencyRecord = z.infer<typeof IdempotencyRecord>;

/**
 * Whether a stored record no longer stands in the way of a new claim at `now`: it expired, or it
 * is an unfinished claim whose lock ran out (which counts as released). The Redis adapter's Lua
 * script applies the same rule atomically on the server.
 *
 * @internal
 */
export function isClaimable(
  record: { readonly state: string; readonly lockExpiresAt?: number | null; readonly expiresAt: number },
  now: number,
): boolean {
  if (record.expiresAt <= now) return true;
  return record.state === 'in_progress' && (record.lockExpiresAt ?? Number.NEGATIVE_INFINITY) <= now;
}

/**
 * The answer `begin` gives for a live record that it could not claim: `mismatch` for another
 * fingerprint, else `replay` or `in_progress` by state.
 *
 * @internal
 */
export function answerFor(record: IdempotencyRecord, fingerprint: string): IdempotencyBeginResult {
  if (record.fingerprint !== fingerprint)
    return { status: 'mismatch', storedFingerprint: record.fingerprint };
  if (record.state === 'completed') return { status: 'replay', result: record.result };
  return { status: 'in_progress', lockExpiresAt: record.lockExpiresAt };
}

/** @internal */
export type StoredResult = z.infer<typeof CompletedRecord>['result'];

/**
 * Reads back a result serialised by {@link encodeResult}.
 *
 * @internal
 */
export function decodeResult(text: string): StoredResult {
  return JSON.parse(text) as StoredResult;
}

/**
 * Serialises a result for storage, refusing values that have no JSON form (`undefined`, functions,
 * symbols, `BigInt`s, cycles) with a `ValidationError`.
 *
 * @internal
 */
export function encodeResult(value: IdempotencyValue): string {
  // JSON.stringify returns undefined (despite its declared type) for values with no JSON form.
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new ValidationError(
      'idempotency result',
      [{ path: '', message: `must be JSON-serialisable (${(error as Error).message})` }],
      { cause: error },
    );
  }
  if (text === undefined) {
    throw new ValidationError('idempotency result', [
      { path: '', message: `must be JSON-serialisable, got ${typeof value}` },
    ]);
  }
  return text;
}
