import type { z } from 'zod';
import { parseWith, ValidationError } from '../../errors/validation-error.js';
import { checkNumberOption } from '../../util/options.js';
import { isTrustedRecord } from '../../domain/trusted-record.js';

/**
 * Validates `input` with `schema` (unless it is a trusted record: `trustedRecord`) and returns a
 * private deep copy, so that a caller mutating its
 * object afterwards cannot change the store.
 *
 * @throws {@link ValidationError} naming each bad field.
 * @internal
 */
export function copyIn<S extends z.ZodType>(schema: S, input: unknown, subject: string): z.output<S> {
  // A record the domain code built from checked parts is copied without parsing it again.
  return structuredClone(isTrustedRecord(input) ? (input as z.output<S>) : parseWith(schema, input, subject));
}

/**
 * A copy of a stored record for a caller to keep.
 *
 * @internal
 */
export function copyOut<T>(record: T): T {
  return structuredClone(record);
}

/**
 * Checks that a record carries the version it will be stored with (1 on insert,
 * `expectedVersion + 1` on update).
 *
 * @throws {@link ValidationError} on the `version` field.
 * @internal
 */
export function requireVersion(subject: string, version: number, required: number): void {
  if (version === required) return;
  throw new ValidationError(subject, [
    { path: 'version', message: `must be ${required} (the version it is stored with), got ${version}` },
  ]);
}

/**
 * Validates the `expectedVersion` argument of an update.
 *
 * @throws {@link InvalidOptionError} unless it is a positive integer.
 * @internal
 */
export function checkExpectedVersion(expectedVersion: number): number {
  return checkNumberOption('expectedVersion', expectedVersion, { min: 1, integer: true });
}

/**
 * Epoch ms of a listing bound, which must be an ISO 8601 instant.
 *
 * @throws {@link ValidationError} naming the field.
 * @internal
 */
export function boundOf(
  value: string | undefined,
  field: 'from' | 'to' | 'updatedSince',
): number | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time))
    throw new ValidationError('listing query', [
      { path: field, message: `must be an ISO 8601 instant, got ${JSON.stringify(value)}` },
    ]);
  return time;
}
