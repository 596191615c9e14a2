import type { IdempotencyBeginResult, IdempotencyStore, IdempotencyValue } from './idempotency-store.js';
import { releaseClaim, resolveRun, type IdempotentOptions, type IdempotentOutcome } from './idempotent.js';
import { checkFunctionOption } from '../util/options.js';

/** A transaction that carries the idempotency store (as a Postgres unit of work does). */
export interface IdempotencyTransaction {
  /** The idempotency store, writing through the transaction. */
  readonly idempotency?: IdempotencyStore | undefined;
}

/**
 * The claim of one idempotent run, taken and answered inside the caller's own transactions (see
 * {@link idempotentJoined}).
 */
export interface IdempotencyJoin<Tx extends IdempotencyTransaction = IdempotencyTransaction> {
  /**
   * Claims the key through `tx.idempotency`. When the key is not free (a stored result, a run in
   * progress, another fingerprint) it throws, so that the transaction rolls back and writes
   * nothing; {@link idempotentJoined} then answers as {@link idempotent} does. May be called
   * again once the transaction of an earlier call rolled back (that claim is gone): the key is
   * claimed anew. A `tx` without an idempotency store claims through the run's store, on its own.
   */
  claim(tx: Tx): Promise<void>;
  /** Stores `result` as the key's answer through `tx.idempotency`, in the run's last transaction. */
  answer(tx: Tx, result: IdempotencyValue): Promise<void>;
}

/** Thrown by {@link IdempotencyJoin.claim} to roll the caller's transaction back; never escapes. */
class KeyNotFree extends Error {
  constructor(readonly answer: Exclude<IdempotencyBeginResult, { status: 'new' }>) {
    super('the idempotency key is not free');
  }
}

/**
 * {@link idempotent} for a run that writes to the database the idempotency store lives in: the
 * claim is taken in the run's first transaction and the result stored in its last (both through
 * `tx.idempotency`), so a run that commits twice makes no write of its own for idempotency.
 *
 * `fn` must call `join.claim(tx)` in the transaction of its first write, before that write, and
 * `join.answer(tx, result)` in the transaction of its last, with the value it then returns. A
 * duplicate's claim throws inside that transaction: nothing is written, and the duplicate gets
 * the stored result replayed, waits for the run in progress (`waitMs`), or is refused, as with
 * {@link idempotent}. When `fn` throws after its claim committed, the claim is released (tried
 * again in the background while the store cannot, as {@link idempotent} does): writes of the run
 * that committed stay, so `fn` must recognise them when the key runs again.
 *
 * @throws the errors of {@link idempotent}.
 * @example
 * ```ts
 * declare const unitOfWork: UnitOfWork<{ readonly idempotency: IdempotencyStore }>;
 * declare const store: IdempotencyStore;
 * declare const order: Appointment;
 * // ---cut---
 * const { value, replayed } = await idempotentJoined(
 *   store,
 *   { tenantId: 'acme', key: 'order-1', fingerprint: fingerprint(order) },
 *   (join) =>
 *     unitOfWork.run(async (tx) => {
 *       await join.claim(tx);
 *       await tx.appointments.insert(order);
 *       await join.answer(tx, order.id);
 *       return order.id;
 *     }),
 * );
 * ```
 */
export async function idempotentJoined<T extends IdempotencyValue, Tx extends IdempotencyTransaction>(
  store: IdempotencyStore,
  options: IdempotentOptions,
  fn: (join: IdempotencyJoin<Tx>) => Promise<T>,
): Promise<IdempotentOutcome<T>> {
  checkFunctionOption('fn', fn, true);
  const run = resolveRun(options);
  const { scope, signal, now } = run;
  for (;;) {
    let token: string | undefined;
    let lockExpiresAt = 0;
    let refused: KeyNotFree | undefined;
    const polledAt = now();
    const join: IdempotencyJoin<Tx> = {
      async claim(tx) {
        const answer = await (tx.idempotency ?? store).begin(scope, run.beginOptions(now()));
        if (answer.status === 'new') {
          token = answer.token;
          lockExpiresAt = answer.lockExpiresAt;
          return;
        }
        refused = new KeyNotFree(answer);
        throw refused;
      },
      async answer(tx, result) {
        if (token === undefined) throw new Error('idempotentJoined: answer() before a claim');
        await (tx.idempotency ?? store).complete(scope, { token, result, now: now(), signal });
      },
    };
    try {
      return { value: await fn(join), replayed: false };
    } catch (error) {
      if (refused === undefined) {
        // Not under the caller's signal: an aborted run must still free the key for a retry. A
        // claim whose transaction rolled back is not there: releasing it changes nothing.
        if (token !== undefined) await releaseClaim(store, scope, token, lockExpiresAt, run.clock);
        throw error;
      }
      const settled = await run.settle(refused.answer, polledAt);
      if (settled !== 'retry') return settled;
    }
  }
}
