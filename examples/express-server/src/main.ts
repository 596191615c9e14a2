import { randomUUID } from 'node:crypto';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logging.js';
import { startServer, type RunningServer } from './server.js';

/**
 * curl lines for the first tenant: its services' free times tomorrow (or the next weekday), and a
 * booking of the first free one with its API key and an Idempotency-Key.
 */
async function restExamples(server: RunningServer, config: Config): Promise<string[]> {
  const { tenant, apiKey } = config.tenants[0]!;
  const auth = `-H 'Authorization: Bearer ${apiKey}'`;
  const [service] = await server.kit.calendar.listEventTypes(tenant.id);
  if (!service) return [];
  const from = new Date(Date.now() + 3_600_000);
  const range = { start: from.toISOString(), end: new Date(from.getTime() + 4 * 86_400_000).toISOString() };
  const [slot] = await server.kit.availability.getSlots(tenant.id, service.id, range);
  const lines = [
    `  curl -s ${auth} '${server.url}/api/availability?eventTypeId=${service.id}&start=${range.start}&end=${range.end}'`,
  ];
  if (slot) {
    const body = JSON.stringify({
      eventTypeId: service.id,
      start: slot.start,
      end: slot.end,
      timeZone: tenant.timeZone,
      customer: { name: 'Anna Schmidt', email: 'anna@example.com' },
    });
    lines.push(
      `  curl -s -X POST ${server.url}/api/appointments ${auth} -H 'Idempotency-Key: ${randomUUID()}' -H 'Content-Type: application/json' -d '${body}'`,
    );
  }
  lines.push(
    `  curl -s -X POST ${server.url}/admin/reconcile ${auth} -H 'Content-Type: application/json' -d '${JSON.stringify(
      { from: new Date(Date.now() - 86_400_000).toISOString(), to: range.end, dryRun: true },
    )}'`,
  );
  return lines;
}

/** What a newcomer needs to try the server: its URLs and a few curl lines. */
function banner(server: RunningServer, config: Config, startupMs: number, rest: readonly string[]): string {
  const { url } = server;
  const tenants = config.tenants.map(
    ({ tenant }) =>
      `    ${tenant.id.padEnd(8)} ${tenant.name} (${tenant.timeZone}, ${tenant.locale ?? 'en'})`,
  );
  const storage = config.database.kind === 'pglite' ? `PGlite in ${config.database.dataDir}` : 'Postgres';
  const demo = config.tenants[0]!;
  const lines = [
    '',
    `bookingkit example server ready in ${(startupMs / 1000).toFixed(1)} s at ${url}`,
    `  storage  ${storage}${config.redisUrl ? ', Redis' : ', memory cache'}`,
    `  Cal.com  ${server.calendar.simulator ? `simulator at ${server.calendar.baseUrl}` : server.calendar.baseUrl}`,
    `  tenants (${config.tenantsFile})`,
    ...tenants,
    '',
    'Routes',
    `  GET  ${url}/health            liveness`,
    `  GET  ${url}/ready             storage, Redis, breaker, outbox lag`,
    `  GET  ${url}/api/availability   POST ${url}/api/appointments   GET ${url}/api/appointments[/:id]`,
    `  POST ${url}/api/appointments/:id/reschedule|cancel`,
    `  GET  ${url}/admin/dead-letters   POST ${url}/admin/dead-letters[/:id]/replay   DELETE ${url}/admin/customers/:id`,
    `  POST ${url}/admin/reconcile  { from, to, dryRun }   (schedule: ${
      config.reconcileIntervalMs === 0 ? 'off' : `every ${config.reconcileIntervalMs / 60_000} min`
    })`,
    `  POST ${url}/webhooks/calcom/:routeKey`,
    `  POST ${url}/webhooks/retell   POST ${url}/retell/inbound   POST ${url}/retell/functions/:name`,
    '',
    'Try',
    `  curl -s ${url}/ready`,
    ...rest,
    ...(config.demo
      ? [
          `  npm run example:call -- --lang de     # a simulated Retell call that books (or --lang en)`,
          `  # the ${demo.tenant.id} tenant's API key: ${demo.apiKey}`,
        ]
      : []),
    '',
  ];
  return lines.join('\n');
}

/** Set by run.mjs: how long it took to find or build the bundle, and whether it reused one. */
interface Launch {
  readonly bundleReused: boolean;
  readonly launcherMs: number;
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  logger.debug(
    {
      ...(globalThis as { __EXAMPLE_LAUNCH__?: Launch }).__EXAMPLE_LAUNCH__,
      loadedMs: Math.round(performance.now()),
    },
    'starting (ms since the process started)',
  );
  const server = await startServer(config, logger);
  // Installed as soon as the server answers (/ready can be 200 before the banner is printed), so a
  // SIGTERM from then on drains and closes instead of killing the process.
  const shutdown = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down: draining the relay and the recovery, closing pools');
    // A second signal stops at once.
    process.once(signal, () => process.exit(1));
    server.close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  // From the start of the process: run.mjs runs the bundle in its own process.
  const startupMs = performance.now();
  const rest = await restExamples(server, config).catch((error: unknown) => {
    logger.warn({ err: error }, 'no example booking: the calendar did not answer');
    return [];
  });
  process.stdout.write(`${banner(server, config, startupMs, rest)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `The example server could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
