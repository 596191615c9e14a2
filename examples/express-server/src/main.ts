import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logging.js';
import { startServer, type RunningServer } from './server.js';

/** What a newcomer needs to try the server: its URLs and a few curl lines. */
function banner(server: RunningServer, config: Config, startupMs: number): string {
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
    `  POST ${url}/webhooks/calcom/:routeKey`,
    `  POST ${url}/webhooks/retell   POST ${url}/retell/inbound   POST ${url}/retell/functions/:name`,
    '',
    'Try',
    `  curl -s ${url}/ready`,
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

async function main(): Promise<void> {
  const began = performance.now();
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
  const server = await startServer(config, logger);
  process.stdout.write(`${banner(server, config, performance.now() - began)}\n`);

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
}

main().catch((error: unknown) => {
  process.stderr.write(
    `The example server could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
