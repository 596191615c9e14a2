import assert from 'node:assert/strict';
import { isValidationError } from '../../errors/validation-error.js';
import { rejectsWith } from './assertions.js';

/** Tenant ids every tenant-scoped operation must refuse: missing, empty, and not a string. */
const INVALID_TENANT_IDS: readonly unknown[] = [undefined, '', 42];

/** Options of {@link refusesInvalidTenantIds}. */
export interface InvalidTenantIdOptions {
  /** Where the tenant id sits in the operation's input. @default 'tenantId' */
  readonly path?: string;
  /**
   * Which invalid ids to try; an optional filter leaves `undefined` out (there it means "every
   * tenant").
   * @default [undefined, '', 42]
   */
  readonly values?: readonly unknown[];
}

/**
 * Asserts that `operation` rejects each invalid tenant id (`undefined`, `''`, a number) with a
 * `ValidationError` whose issues name `path`: a store must never read a missing tenant as "every
 * tenant", nor build a key or query from it.
 *
 * @internal
 * @example
 * ```ts
 * declare function repo(): AppointmentRepository;
 * // ---cut---
 * await refusesInvalidTenantIds((tenantId) => repo().list(tenantId));
 * await refusesInvalidTenantIds((tenantId) => repo().insert({ ...anAppointment(), tenantId }));
 * ```
 */
export async function refusesInvalidTenantIds(
  operation: (tenantId: string) => Promise<unknown>,
  options: InvalidTenantIdOptions = {},
): Promise<void> {
  const { path = 'tenantId', values = INVALID_TENANT_IDS } = options;
  for (const value of values) {
    const shown = value === undefined ? 'undefined' : JSON.stringify(value);
    const error = await rejectsWith(
      operation(value as string),
      isValidationError,
      `ValidationError for tenant id ${shown}`,
    );
    assert.ok(
      error.context.issues.some((issue) => issue.path === path),
      `expected an issue at "${path}" for tenant id ${shown}, got ${JSON.stringify(error.context.issues)}`,
    );
  }
}
