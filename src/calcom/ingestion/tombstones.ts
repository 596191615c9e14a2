import { parseWith } from '../../errors/validation-error.js';
import { IdempotencyKey } from '../../idempotency/idempotency-scope.js';
import type { IdempotencyStore } from '../../idempotency/idempotency-store.js';
import { idempotent } from '../../idempotency/idempotent.js';
import type { IdempotencyTransaction } from '../../idempotency/idempotent-joined.js';
import type { Clock } from '../../ports/clock.js';

// Cal.com may deliver a booking's cancellation before its creation (deliveries are independent
// and retried on their own schedules). A cancellation for a booking we do not know yet is
// therefore remembered as a tombstone, a completed record in the idempotency store under
// `calcom:tombstone:<uid>`, and a create that arrives later for a tombstoned uid is not imported.
// The store is the one place every instance shares and its records expire on their own, so
// tombstones need no table and no clean-up of their own. An import holds the uid's key (claimed,
// then released) while it records the booking, so a cancellation arriving meanwhile waits and
// then finds the appointment: one claim and one release per import, not a check before and after.
// Where the store lives in the import's database, the hold is taken and given back inside the
// import's own transaction (see `holdInTransaction`): no commit of its own, and no lapse.

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

/** Thrown with the work's value to give the hold back (a hold never leaves a tombstone). */
class HoldReleased<T> extends Error {
  constructor(
    readonly value: T,
    readonly lockLapsed: boolean,
  ) {
    super('tombstone hold released');
  }
}

function tombstoneKey(uid: string): string {
  return parseWith(IdempotencyKey, `calcom:tombstone:${uid}`, 'Cal.com tombstone key');
}

function claimOptions(
  options: TombstoneOptions,
  tenantId: string,
  uid: string,
  signal: AbortSignal | undefined,
) {
  return {
    tenantId,
    key: tombstoneKey(uid),
    fingerprint: FINGERPRINT,
    ttlMs: options.ttlMs,
    lockTtlMs: Math.min(30_000, options.ttlMs),
    waitMs: options.waitMs,
    clock: options.clock,
    ...(signal ? { signal } : {}),
  };
}

/** What {@link unlessTombstoned} answers. @internal */
export type TombstoneHold<T> =
  | { readonly tombstoned: true }
  | {
      readonly tombstoned: false;
      readonly value: T;
      /**
       * The hold ran out while `work` ran: a cancellation may have written its tombstone meanwhile
       * and looked for the booking before `work` recorded it, so the caller must look again.
       */
      readonly lockLapsed: boolean;
    };

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
  await idempotent(options.store, claimOptions(options, tenantId, uid, signal), () => ({ reason }));
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
    await idempotent(options.store, claimOptions(options, tenantId, uid, signal), () => {
      throw new NoTombstone();
    });
    return true;
  } catch (error) {
    if (error instanceof NoTombstone) return false;
    throw error;
  }
}

/**
 * Runs `work` unless the booking `uid` has a tombstone, holding the uid's tombstone key while it
 * runs: a cancellation that arrives meanwhile waits to write its tombstone until `work` is done,
 * then finds what `work` recorded. One claim and one release, where a check before `work` and
 * another after it would make two of each. The hold is given back whether `work` succeeds or
 * throws (its error is thrown); it never leaves a tombstone.
 *
 * @internal
 */
export async function unlessTombstoned<T>(
  options: TombstoneOptions,
  tenantId: string,
  uid: string,
  signal: AbortSignal | undefined,
  work: () => Promise<T>,
): Promise<TombstoneHold<T>> {
  try {
    await idempotent(
      options.store,
      claimOptions(options, tenantId, uid, signal),
      async ({ lockExpiresAt }) => {
        const value = await work();
        throw new HoldReleased(value, options.clock.now() >= lockExpiresAt);
      },
    );
    return { tombstoned: true };
  } catch (error) {
    if (error instanceof HoldReleased) {
      const { value, lockLapsed } = error as HoldReleased<T>;
      return { tombstoned: false, value, lockLapsed };
    }
    throw error;
  }
}

/**
 * Thrown by {@link holdInTransaction} when the uid's key is not free, to roll the transaction back:
 * `tombstoned` when the booking has a tombstone, otherwise the key is held (a cancellation writing
 * its tombstone): the caller then holds it on its own with {@link unlessTombstoned}, which waits.
 *
 * @internal
 */
export class TombstoneInTheWay extends Error {
  constructor(readonly tombstoned: boolean) {
    super(tombstoned ? 'the booking has a tombstone' : 'the tombstone key is held');
  }
}

/** The hold of one uid inside a transaction, from {@link holdInTransaction}. @internal */
export interface TransactionHold {
  /** Claims the uid's key through `tx.idempotency`. @throws {@link TombstoneInTheWay} */
  claim(tx: IdempotencyTransaction): Promise<void>;
  /** Gives the key back through `tx.idempotency`, in the same transaction. */
  release(tx: IdempotencyTransaction): Promise<void>;
}

/**
 * The hold of {@link unlessTombstoned} taken inside the caller's transaction, through its
 * idempotency store (the same table as `options.store`): the claimed row is never committed (it is
 * deleted in the same transaction), so it costs no commit, and a cancellation that writes its
 * tombstone meanwhile is blocked by the database on the uncommitted row until the transaction
 * ends, then finds what it recorded. Nobody can take it over while the transaction runs, so it
 * cannot lapse.
 *
 * @internal
 */
export function holdInTransaction(
  options: TombstoneOptions,
  tenantId: string,
  uid: string,
  signal: AbortSignal | undefined,
): TransactionHold {
  const claim = claimOptions(options, tenantId, uid, signal);
  const scope = { tenantId, key: claim.key };
  let token: string | undefined;
  const storeOf = (tx: IdempotencyTransaction) => {
    if (!tx.idempotency) throw new Error('holdInTransaction: the transaction carries no idempotency store');
    return tx.idempotency;
  };
  return {
    async claim(tx) {
      const now = Math.floor(options.clock.now());
      const answer = await storeOf(tx).begin(scope, {
        fingerprint: FINGERPRINT,
        ttlMs: claim.ttlMs,
        lockTtlMs: claim.lockTtlMs,
        now,
        ...(signal ? { signal } : {}),
      });
      if (answer.status !== 'new') throw new TombstoneInTheWay(answer.status === 'replay');
      token = answer.token;
    },
    async release(tx) {
      if (token === undefined) throw new Error('holdInTransaction: release() before a claim');
      await storeOf(tx).release(scope, { token, now: Math.floor(options.clock.now()) });
    },
  };
}
