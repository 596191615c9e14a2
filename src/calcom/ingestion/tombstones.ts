import { parseWith } from '../../errors/validation-error.js';
import { IdempotencyKey } from '../../idempotency/idempotency-scope.js';
import type { IdempotencyStore } from '../../idempotency/idempotency-store.js';
import { idempotent } from '../../idempotency/idempotent.js';
import type { Clock } from '../../ports/clock.js';

// Cal.com may deliver a booking's cancellation before its creation (deliveries are independent
// and retried on their own schedules). A cancellation for a booking we do not know yet is
// therefore remembered as a tombstone, a completed record in the idempotency store under
// `calcom:tombstone:<uid>`, and a create that arrives later for a tombstoned uid is not imported.
// The store is the one place every instance shares and its records expire on their own, so
// tombstones need no table and no clean-up of their own.

/** What tombstones need. @internal */
export interface TombstoneOptions {
  readonly store: IdempotencyStore;
  readonly clock: Clock;
  /** How long a tombstone is kept, ms. */
  readonly ttlMs: number;
  /** How long to wait for another instance that is writing or checking the same tombstone, ms. */
  readonly waitMs: number;
}

const FINGERPRINT = 'calcom-tombstone';

/** Thrown inside a check to give the claim back: the check must never leave a tombstone. */
class NoTombstone extends Error {}

function tombstoneKey(uid: string): string {
  return parseWith(IdempotencyKey, `calcom:tombstone:${uid}`, 'Cal.com tombstone key');
}

/**
 * Remembers that the booking `uid` was cancelled (or rejected) in Cal.com.
 *
 * @internal
 */
export async function writeTombstone(
  options: TombstoneOptions,
  tenantId: string,
  uid: string,
  reason: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  await idempotent(
    options.store,
    {
      tenantId,
      key: tombstoneKey(uid),
      fingerprint: FINGERPRINT,
      ttlMs: options.ttlMs,
      lockTtlMs: Math.min(30_000, options.ttlMs),
      waitMs: options.waitMs,
      clock: options.clock,
      ...(signal ? { signal } : {}),
    },
    () => ({ reason }),
  );
}

/**
 * Tells whether the booking `uid` has a tombstone. The store has no plain read, so the check
 * claims the key and gives the claim straight back; a claim held by a writer is waited for.
 *
 * @internal
 */
export async function hasTombstone(
  options: TombstoneOptions,
  tenantId: string,
  uid: string,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  try {
    await idempotent(
      options.store,
      {
        tenantId,
        key: tombstoneKey(uid),
        fingerprint: FINGERPRINT,
        ttlMs: options.ttlMs,
        lockTtlMs: Math.min(30_000, options.ttlMs),
        waitMs: options.waitMs,
        clock: options.clock,
        ...(signal ? { signal } : {}),
      },
      () => {
        throw new NoTombstone();
      },
    );
    return true;
  } catch (error) {
    if (error instanceof NoTombstone) return false;
    throw error;
  }
}
