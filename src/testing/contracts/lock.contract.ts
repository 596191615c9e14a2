import assert from 'node:assert/strict';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import type { LockService } from '../../ports/lock.js';
import { abortedSignal, rejectsWith } from './assertions.js';
import type { ContractTestApi } from './test-api.js';
import { useTimedSubject, type TimedContractFactory } from './timed-subject.js';

/** A TTL short enough for adapters on real time (Redis) to wait out. */
const SHORT_TTL = 50;
/** A TTL no test outlives. */
const LONG_TTL = 60_000;
/** Extra wait past a short TTL, for adapters on real time. */
const MARGIN = 30;

/**
 * The {@link LockService} contract: one holder per key at a time, even under concurrent
 * acquires; a lease expires after its TTL (so a crashed holder frees the lock), can be extended
 * only while held, and only its own token releases it. The factory gets a fake clock; an adapter
 * on real time supplies `advance` (a real wait), and the suite keeps short TTLs at 50 ms.
 *
 * @example
 * ```ts
 * import { describe, it, beforeEach, afterEach } from 'vitest';
 * import { lockServiceContract } from 'bookingkit/testing';
 * lockServiceContract({ describe, it, beforeEach, afterEach }, 'memory', ({ clock }) => createMemoryLockService({ clock }));
 * ```
 */
export function lockServiceContract(
  api: ContractTestApi,
  name: string,
  factory: TimedContractFactory<LockService>,
): void {
  api.describe(`LockService contract: ${name}`, () => {
    const { subject: locks, advance } = useTimedSubject(api, factory);

    api.it('grants a free lock and refuses it to others while held', async () => {
      const lease = await locks().acquire('reconcile:tenant-a', { ttlMs: LONG_TTL });
      assert.ok(lease);
      assert.equal(lease.key, 'reconcile:tenant-a');
      assert.ok(lease.token.length > 0);
      assert.equal(await locks().acquire('reconcile:tenant-a', { ttlMs: LONG_TTL }), null);
    });

    api.it('keeps keys independent', async () => {
      assert.ok(await locks().acquire('reconcile:tenant-a', { ttlMs: LONG_TTL }));
      assert.ok(await locks().acquire('reconcile:tenant-b', { ttlMs: LONG_TTL }));
    });

    api.it('frees the lock on release; releasing twice is harmless', async () => {
      const lease = await locks().acquire('job', { ttlMs: LONG_TTL });
      assert.ok(lease);
      await lease.release();
      await lease.release();
      const next = await locks().acquire('job', { ttlMs: LONG_TTL });
      assert.ok(next);
      assert.notEqual(next.token, lease.token);
    });

    api.it('frees the lock by itself after its TTL', async () => {
      assert.ok(await locks().acquire('job', { ttlMs: SHORT_TTL }));
      await advance(SHORT_TTL + MARGIN);
      assert.ok(await locks().acquire('job', { ttlMs: LONG_TTL }));
    });

    api.it('extends a held lease to ttlMs from now', async () => {
      const lease = await locks().acquire('job', { ttlMs: LONG_TTL });
      assert.ok(lease);
      assert.equal(await lease.extend(SHORT_TTL), true);
      assert.equal(await locks().acquire('job', { ttlMs: LONG_TTL }), null);
      await advance(SHORT_TTL + MARGIN);
      assert.ok(
        await locks().acquire('job', { ttlMs: LONG_TTL }),
        'the extended lease ran out after its new TTL',
      );
    });

    api.it('does not let a lost lease extend or release the new holder', async () => {
      const lost = await locks().acquire('job', { ttlMs: SHORT_TTL });
      assert.ok(lost);
      await advance(SHORT_TTL + MARGIN);
      const holder = await locks().acquire('job', { ttlMs: LONG_TTL });
      assert.ok(holder);
      assert.equal(await lost.extend(LONG_TTL), false);
      await lost.release();
      assert.equal(await locks().acquire('job', { ttlMs: LONG_TTL }), null, 'the new holder still has it');
      assert.equal(await holder.extend(LONG_TTL), true);
    });

    api.it('does not extend a lease that expired, even when nobody took the lock', async () => {
      const lease = await locks().acquire('job', { ttlMs: SHORT_TTL });
      assert.ok(lease);
      await advance(SHORT_TTL + MARGIN);
      assert.equal(await lease.extend(LONG_TTL), false);
      assert.ok(await locks().acquire('job', { ttlMs: LONG_TTL }));
    });

    api.it('grants the lock to exactly one of many concurrent acquirers', async () => {
      const leases = await Promise.all(
        Array.from({ length: 20 }, () => locks().acquire('job', { ttlMs: LONG_TTL })),
      );
      assert.equal(leases.filter((lease) => lease !== null).length, 1);
    });

    api.it('rejects a TTL that is not a positive integer with an InvalidOptionError', async () => {
      for (const ttlMs of [0, -5, 2.5, Number.NaN]) {
        const error = await rejectsWith(
          locks().acquire('job', { ttlMs }),
          isInvalidOptionError,
          'InvalidOptionError',
        );
        assert.equal(error.context.option, 'ttlMs');
      }
      const lease = await locks().acquire('job', { ttlMs: LONG_TTL });
      assert.ok(lease, 'a rejected acquire takes nothing');
      await rejectsWith(lease.extend(0), isInvalidOptionError, 'InvalidOptionError');
    });

    api.it('rejects at once, taking nothing, when the signal is already aborted', async () => {
      const signal = abortedSignal();
      await assert.rejects(locks().acquire('job', { ttlMs: LONG_TTL, signal }), /stop/);
      const lease = await locks().acquire('job', { ttlMs: LONG_TTL });
      assert.ok(lease);
      await assert.rejects(lease.extend(LONG_TTL, { signal }), /stop/);
      await assert.rejects(lease.release({ signal }), /stop/);
      assert.equal(
        await locks().acquire('job', { ttlMs: LONG_TTL }),
        null,
        'an aborted release keeps the lock',
      );
    });
  });
}
