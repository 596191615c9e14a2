import { startBackend, type BackendOptions, type BackendProcess } from './backend-process.js';
import type { CalcomSimSpec } from './calcom-sim-spec.js';
import { startCalcomSimulator, type CalcomSimProcess } from './calcom-sim-process.js';
import { createRunDatabase, type RunDatabase } from './postgres-database.js';
import { writeTenants, type TenantsOptions, type TestTenants } from './tenants.js';

const BACKEND_DEFAULTS = { WEBHOOK_RATE_LIMIT: '0', RECONCILE_INTERVAL_MS: '0' };

/** Options of {@link startSystem}. */
export interface SystemOptions {
  /** How many backend processes share the database and the simulator. @default 2 */
  readonly backends?: number;
  readonly tenants?: TenantsOptions;
  /** More of the simulator's seed (its rate limit is off unless given). */
  readonly simulator?: Omit<CalcomSimSpec, 'accounts' | 'eventTypes'>;
  /**
   * More variables for every backend (REDIS_URL, ...), over the defaults: no webhook rate limit
   * (`WEBHOOK_RATE_LIMIT=0`: load tests post from one address) and no reconciliation schedule
   * (`RECONCILE_INTERVAL_MS=0`: tests run it when they mean to).
   */
  readonly backendEnv?: Readonly<Record<string, string>>;
  /** More backend options (log level, webhook subscription, ...). */
  readonly backend?: Pick<BackendOptions, 'logLevel' | 'subscribeWebhooks' | 'readyMs'>;
}

/** A whole system of real processes on loopback: Postgres database, Cal.com simulator, backends. */
export interface TestSystem {
  readonly db: RunDatabase;
  readonly calcom: CalcomSimProcess;
  readonly backends: readonly BackendProcess[];
  readonly tenants: TestTenants;
  /** Starts one more backend on the same database and simulator. */
  addBackend(name?: string): Promise<BackendProcess>;
  /** The last lines each process printed, for failure messages. */
  tails(lines?: number): string;
  /** Stops every process (SIGTERM, SIGKILL after 5 s) and drops the database; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts a test system: a fresh Postgres database (`bookingkit_rel_<pid>_<n>`), the Cal.com
 * simulator as its own process seeded with the tenants' accounts and services, and `backends`
 * processes of the example server pointed at both. The first backend migrates the database before
 * the others start. On any failure everything started is stopped again.
 *
 * @example
 * ```ts
 * const system = await startSystem({ backends: 2, tenants: { count: 2, policy: 'queue' } });
 * try {
 *   const [a, b] = system.backends;
 *   // ... drive a.url and b.url, read system.db and await system.calcom.bookings()
 * } finally {
 *   await system.stop();
 * }
 * ```
 */
export async function startSystem(options: SystemOptions = {}): Promise<TestSystem> {
  const tenants = writeTenants(options.tenants);
  const started: { db?: RunDatabase; calcom?: CalcomSimProcess; backends: BackendProcess[] } = {
    backends: [],
  };
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await Promise.all(started.backends.map((b) => b.stop(5_000)));
      await started.calcom?.stop();
      await started.db?.drop();
    })());
  try {
    started.db = await createRunDatabase();
    started.calcom = await startCalcomSimulator({ ...options.simulator, ...tenants.simulator });
    const { db, calcom } = started;
    let named = 0;
    const addBackend = async (name = `backend-${(named += 1)}`) => {
      const backend = await startBackend({
        ...options.backend,
        name,
        databaseUrl: db.url,
        calcomBaseUrl: calcom.url,
        tenantsFile: tenants.file,
        env: { ...BACKEND_DEFAULTS, ...tenants.env, ...options.backendEnv },
      });
      started.backends.push(backend);
      return backend;
    };
    const count = options.backends ?? 2;
    if (count > 0) await addBackend();
    await Promise.all(Array.from({ length: count - 1 }, () => addBackend()));
    return {
      db,
      calcom,
      backends: started.backends,
      tenants,
      addBackend,
      tails: (lines = 30) =>
        [calcom.child, ...started.backends.map((b) => b.child())].map((c) => c.tail(lines)).join('\n'),
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
