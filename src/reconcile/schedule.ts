import type { LockLease, LockService } from '../ports/lock.js';
import { systemClock, type Clock, type TimerHandle } from '../ports/clock.js';
import { silentLogger, type Logger } from '../ports/logger.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import {
  CLOCK_EXPECTED,
  hasMethods,
  isClock,
  isLogger,
  LOGGER_EXPECTED,
  numberOption,
  optionalOption,
  requireOption,
} from '../util/options.js';
import { ReconciliationLockLostError } from './errors.js';
import type { Reconciler, ReconcileRunOptions } from './reconciler.js';
import type { ReconciliationReport } from './reconcile-report.js';

/** Options of {@link scheduleReconciliation}. */
export interface ReconciliationScheduleOptions {
  readonly reconciler: Pick<Reconciler, 'run'>;
  /** Makes one instance run a tenant's reconciliation at a time (memory, Postgres or Redis locks). */
  readonly locks: LockService;
  /** The tenants to reconcile, or a function that lists them at each round. */
  readonly tenants: readonly string[] | (() => Promise<readonly string[]>);
  /** Time between the end of one round and the start of the next. @default 900_000 (15 minutes) */
  readonly intervalMs?: number;
  /** Delay of the first round. @default 0 */
  readonly initialDelayMs?: number;
  /** Lock lease; extended every third of it while a run lasts. @default 60_000 */
  readonly lockTtlMs?: number;
  /** @default (tenantId) => `bookingkit:reconcile:${tenantId}` */
  readonly lockKey?: (tenantId: string) => string;
  /** Mode and force of every run. @default { mode: 'auto' } */
  readonly run?: Pick<ReconcileRunOptions, 'mode' | 'force'>;
  /** Called with each run's report. @default none */
  readonly onReport?: (report: ReconciliationReport) => void;
  /** Called when a tenant's run fails (it is also logged). @default none */
  readonly onError?: (error: unknown, tenantId: string) => void;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default silentLogger */
  readonly logger?: Logger;
}

/** A running schedule. */
export interface ReconciliationSchedule {
  /**
   * Runs one round now (each tenant whose lock this instance gets) and answers the reports of
   * the runs it made; a tenant another instance holds is left to it.
   */
  runOnce(): Promise<ReconciliationReport[]>;
  /** Stops the timers, aborts a run in progress and waits for it to end. */
  stop(): Promise<void>;
}

const FACTORY = 'scheduleReconciliation';

/**
 * Runs reconciliation for every tenant on an interval. A tenant's run holds a lock (the
 * `LockService`), so with several instances scheduled one reconciles while the others skip it;
 * the lease is extended while the run lasts, and a run whose lease is lost (taken, or not
 * extended in time) stops before its next item and reports a {@link ReconciliationLockLostError}
 * to `onError`, so two instances never apply at once. The
 * timers are background timers: they do not keep the process alive.
 *
 * @throws {@link InvalidOptionError} for a missing dependency or a bad option.
 * @example
 * ```ts
 * declare const reconciler: Reconciler;
 * declare const locks: LockService;
 * // ---cut---
 * const schedule = scheduleReconciliation({ reconciler, locks, tenants: ['acme'], intervalMs: 600_000 });
 * // on shutdown:
 * await schedule.stop();
 * ```
 */
export function scheduleReconciliation(options: ReconciliationScheduleOptions): ReconciliationSchedule {
  const details = { factory: FACTORY };
  requireOption(FACTORY, options, 'reconciler', 'a Reconciler (createReconciler)', hasMethods('run'));
  requireOption(
    FACTORY,
    options,
    'locks',
    'a LockService, e.g. createMemoryLockService()',
    hasMethods('acquire'),
  );
  const { tenants } = options;
  if (typeof tenants !== 'function' && !Array.isArray(tenants))
    throw new InvalidOptionError(
      'tenants',
      tenants,
      'an array of tenant ids or a function listing them',
      details,
    );
  optionalOption(FACTORY, options, 'clock', CLOCK_EXPECTED, isClock);
  optionalOption(FACTORY, options, 'logger', LOGGER_EXPECTED, isLogger);
  const intervalMs = numberOption(
    'intervalMs',
    options.intervalMs,
    900_000,
    { min: 1, integer: true },
    details,
  );
  const initialDelayMs = numberOption(
    'initialDelayMs',
    options.initialDelayMs,
    0,
    { integer: true },
    details,
  );
  const lockTtlMs = numberOption('lockTtlMs', options.lockTtlMs, 60_000, { min: 3, integer: true }, details);
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const lockKey = options.lockKey ?? ((tenantId: string) => `bookingkit:reconcile:${tenantId}`);
  const stopping = new AbortController();
  let timer: TimerHandle | undefined;
  let round: Promise<ReconciliationReport[]> | undefined;

  /**
   * Keeps `lease` alive every third of its TTL. Aborts `run` with a
   * {@link ReconciliationLockLostError} when the lock service says the lease is lost, or when an
   * extension fails and the lease would lapse before the next attempt: past that point another
   * instance may hold the lock, so this run must not apply anything more.
   */
  function keepAlive(tenantId: string, lease: LockLease, run: AbortController): () => void {
    const every = Math.floor(lockTtlMs / 3);
    let heldUntil = clock.now() + lockTtlMs;
    let handle: TimerHandle | undefined;
    let stopped = false;
    const lost = (reason: 'taken' | 'unrenewable', cause?: unknown): void => {
      const error = new ReconciliationLockLostError(
        { tenantId, key: lease.key, reason },
        cause === undefined ? {} : { cause },
      );
      logger.warn({ err: error, tenantId, key: lease.key }, 'reconciliation lock lost; aborting the run');
      run.abort(error);
    };
    const extend = (): void => {
      const asked = clock.now();
      lease.extend(lockTtlMs).then(
        (held) => {
          if (stopped) return;
          if (!held) return lost('taken');
          heldUntil = asked + lockTtlMs;
          schedule();
        },
        (error: unknown) => {
          if (stopped) return;
          if (clock.now() + every >= heldUntil) return lost('unrenewable', error);
          logger.warn({ err: error, key: lease.key }, 'could not extend the reconciliation lock; will retry');
          schedule();
        },
      );
    };
    const schedule = (): void => {
      handle = clock.setTimer(extend, every, { background: true });
    };
    schedule();
    return () => {
      stopped = true;
      handle?.clear();
    };
  }

  async function runTenant(tenantId: string): Promise<ReconciliationReport | null> {
    let lease: LockLease | null;
    try {
      lease = await options.locks.acquire(lockKey(tenantId), { ttlMs: lockTtlMs });
    } catch (error) {
      logger.error({ err: error, tenantId }, 'could not take the reconciliation lock');
      options.onError?.(error, tenantId);
      return null;
    }
    if (lease === null) return null;
    const run = new AbortController();
    const onStop = () => run.abort(stopping.signal.reason);
    stopping.signal.addEventListener('abort', onStop, { once: true });
    const stopKeeping = keepAlive(tenantId, lease, run);
    try {
      const report = await options.reconciler.run({ ...options.run, tenant: tenantId, signal: run.signal });
      options.onReport?.(report);
      return report;
    } catch (thrown) {
      // An aborted run reports why it was aborted (a lost lock, a stop), not how its last step ended.
      const error = run.signal.aborted ? (run.signal.reason as unknown) : thrown;
      logger.error({ err: error, tenantId }, 'reconciliation run failed');
      options.onError?.(error, tenantId);
      return null;
    } finally {
      stopKeeping();
      stopping.signal.removeEventListener('abort', onStop);
      await lease
        .release()
        .catch((error: unknown) =>
          logger.warn({ err: error, tenantId }, 'could not release the reconciliation lock'),
        );
    }
  }

  async function runRound(): Promise<ReconciliationReport[]> {
    const reports: ReconciliationReport[] = [];
    let list: readonly string[];
    try {
      list = typeof tenants === 'function' ? await tenants() : tenants;
    } catch (error) {
      logger.error({ err: error }, 'could not list the tenants to reconcile');
      return reports;
    }
    for (const tenantId of list) {
      if (stopping.signal.aborted) break;
      const report = await runTenant(tenantId);
      if (report) reports.push(report);
    }
    return reports;
  }

  const runOnce = (): Promise<ReconciliationReport[]> => {
    const current = runRound();
    round = current;
    return current;
  };

  const next = (delayMs: number): void => {
    if (stopping.signal.aborted) return;
    timer = clock.setTimer(
      () => {
        void runOnce().finally(() => next(intervalMs));
      },
      delayMs,
      { background: true },
    );
  };
  next(initialDelayMs);

  return {
    runOnce,
    async stop() {
      stopping.abort(new Error('reconciliation schedule stopped'));
      timer?.clear();
      await round?.catch(() => undefined);
    },
  };
}
