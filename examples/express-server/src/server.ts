import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import {
  circuitBreaker,
  createBookingKit,
  timeout,
  wrap,
  type BookingKit,
  type BookingKitStores,
  type CalendarProvider,
} from 'bookingkit';
import {
  calcomRoutesFromDirectory,
  createCalcomWebhookHandler,
  createMemoryRateLimiter,
} from 'bookingkit/calcom';
import { createAdminApi, createBookingApi } from 'bookingkit/http';
import type { Logger as PinoLogger } from 'pino';
import { createApp } from './app.js';
import { openCalendar, subscribeWebhooks, type Calendar } from './calendar.js';
import type { Config } from './config.js';
import type { WebhookRateLimiter } from './rate-limit.js';
import { createMetricsEndpoint } from './metrics.js';
import { createReadiness } from './readiness.js';
import { createReconciliation } from './reconciliation.js';
import { createRetellHandlers } from './retell.js';
import { openDatabase, openRedis, type Database, type SharedState } from './storage.js';

/** A running example server. */
export interface RunningServer {
  /** `http://host:port` it listens on. */
  readonly url: string;
  readonly config: Config;
  readonly calendar: Calendar;
  /** The booking kit the routes serve (for the start-up banner's example values). */
  readonly kit: BookingKit<CalendarProvider, BookingKitStores>;
  /** How long each step of the start took, in ms (logged at start). */
  readonly phases: Readonly<Record<string, number>>;
  /** Stops taking requests, drains the relay and the recovery, closes pools and the simulator. */
  close(): Promise<void>;
}

/**
 * Assembles and starts the booking backend: storage (Postgres or PGlite, Redis when configured),
 * Cal.com (or the embedded simulator), the booking kit with its relay and saga recovery running
 * in-process, and the HTTP routes.
 */
export async function startServer(config: Config, logger: PinoLogger): Promise<RunningServer> {
  const closers: (() => Promise<void>)[] = [];
  /** Runs the closers in reverse order, logging (not throwing) failures. */
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) {
      await close().catch((error: unknown) => logger.error({ err: error }, 'shutdown step failed'));
    }
  };
  try {
    const phases: Record<string, number> = {};
    let lap = performance.now();
    const phase = (name: string) => {
      const now = performance.now();
      phases[name] = Math.round(now - lap);
      lap = now;
    };
    const database: Database = await openDatabase(config.database, logger);
    closers.push(() => database.close());
    phase('database');
    const redis: SharedState | null = config.redisUrl
      ? await openRedis(config.redisUrl, config.redisKeyPrefix, logger)
      : null;
    if (redis) closers.push(() => redis.close());
    const calendar = await openCalendar(config, {
      logger,
      ...(redis ? { rateLimiter: redis.rateLimiter } : {}),
    });
    closers.push(() => calendar.close());
    phase('redisAndCalendar');

    // Registered before the kit exists, so its first commands are measured too.
    const metrics = createMetricsEndpoint();
    closers.push(() => metrics.close());
    const breaker = circuitBreaker({
      name: 'calendar',
      logger,
      ...(redis ? { store: redis.breakerStore } : {}),
    });
    const kit = createBookingKit({
      stores: database.stores,
      tenants: config.tenants.map((t) => t.tenant),
      calendar: calendar.provider,
      // The breaker outside the timeout, so that a Cal.com that hangs opens it.
      calendarPolicy: wrap(breaker, timeout(10_000)),
      recoveryIntervalMs: config.recoveryIntervalMs,
      admission: config.admission,
      ...(redis ? { availabilityCache: redis.availabilityCache } : {}),
      logger,
    });
    closers.push(() => kit.close());

    const calcomWebhooks = createCalcomWebhookHandler({
      ...kit,
      routes: calcomRoutesFromDirectory({
        tenants: kit.tenants,
        webhookSecret: (tenantId) =>
          config.tenants.find((t) => t.tenant.id === tenantId)?.calcom.webhookSecret ?? null,
      }),
    });
    const retell = createRetellHandlers(kit, config);
    closers.push(async () => {
      for (const handlers of retell.values()) await handlers.functions.idle();
    });
    const readiness = createReadiness({ kit, database, redis, breaker });
    const api = createBookingApi({ ...kit, logger });
    const reconciliation = createReconciliation({
      kit,
      calendar: calendar.provider,
      sql: database.sql,
      cursors: database.stores.reconciliationCursors,
      tenantIds: config.tenants.map((t) => t.tenant.id),
      intervalMs: config.reconcileIntervalMs,
      graceMs: config.reconcileGraceMs,
      logger,
    });
    const admin = createAdminApi({ ...kit, logger, reconcile: reconciliation.reconcile });
    const { limit, windowMs } = config.webhookRateLimit;
    const webhookLimiter: WebhookRateLimiter | null =
      limit === 0
        ? null
        : redis
          ? redis.webhookRateLimiter({ limit, windowMs })
          : createMemoryRateLimiter({ limit, windowMs });
    const app = createApp({
      logger,
      calcomWebhooks,
      retell,
      readiness,
      api,
      admin,
      admission: kit.admission,
      webhookLimiter,
      metrics: (request) => metrics.handle(request),
    });

    const server = app.listen(config.port, config.host);
    await once(server, 'listening');
    // Stop taking connections first; idle keep-alive connections are cut, requests in flight finish.
    closers.push(
      () =>
        new Promise<void>((resolve, reject) => {
          server.close((error) => (error ? reject(error) : resolve()));
          server.closeIdleConnections();
        }),
    );
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

    // Cal.com posts its webhooks here: to the simulator's subscriptions always, to a real Cal.com
    // only when PUBLIC_URL says where this server can be reached.
    const publicUrl = config.publicUrl ?? (calendar.simulator ? url : null);
    if (publicUrl) await subscribeWebhooks(calendar, config, publicUrl);

    phase('listen');
    const report = await kit.start();
    // Stopped before the kit closes: a round in progress is aborted, not cut off mid-command.
    reconciliation.start();
    closers.push(() => reconciliation.stop());
    readiness.started();
    phase('kitStart');
    logger.info(
      {
        recovered: report,
        reconcileIntervalMs: config.reconcileIntervalMs,
        phases,
        database: {
          kind: database.kind,
          origin: database.origin,
          migrationsApplied: database.applied.length,
        },
      },
      'booking kit started (outbox relay, saga recovery and reconciliation schedule running)',
    );

    let closing: Promise<void> | undefined;
    return {
      url,
      config,
      calendar,
      kit,
      phases,
      close: () => (closing ??= closeAll()),
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
