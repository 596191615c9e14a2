import { join } from 'node:path';
import { bundle, ROOT } from './bundle.js';
import { startChild, type Child } from './child-process.js';

/** Options of {@link startBackend}. */
export interface BackendOptions {
  /** A name for messages. @default 'backend' */
  readonly name?: string;
  /** DATABASE_URL. */
  readonly databaseUrl: string;
  /** CALCOM_BASE_URL: the simulator process. */
  readonly calcomBaseUrl: string;
  /** TENANTS_FILE. */
  readonly tenantsFile: string;
  /** The variables the tenants file names, and any other (REDIS_URL, limits, ...). */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Subscribe the tenants' Cal.com accounts to this backend's webhooks (PUBLIC_URL is set to its own
   * URL; the port is then known in advance). @default true
   */
  readonly subscribeWebhooks?: boolean;
  /** @default 'warn' */
  readonly logLevel?: string;
  /** @default 0 (a free port; a restart keeps the port it got) */
  readonly port?: number;
  /** How long to wait for `/ready`. @default 60_000 */
  readonly readyMs?: number;
}

/** One process of the example server. */
export interface BackendProcess {
  readonly name: string;
  /** `http://127.0.0.1:<port>`; the same after a restart. */
  readonly url: string;
  readonly port: number;
  /** The running process (a new one after each restart). */
  child(): Child;
  /** SIGKILL: dies at once, mid-request, without draining anything. */
  kill(): Promise<void>;
  /** SIGTERM: stops taking requests, drains the relay and the recovery (SIGKILL after `ms`). */
  stop(ms?: number): Promise<void>;
  /** Starts the process again on the same port (after kill or stop) and waits for `/ready`. */
  restart(): Promise<void>;
  alive(): boolean;
  /** The JSON log lines it printed (every run since it was created, this run's last). */
  logs(): Record<string, unknown>[];
}

/** The example's entry, bundled once per test process with bookingkit from src/. */
const exampleBundle = () =>
  bundle('examples/express-server/src/main.ts', {
    __EXAMPLE_DIR__: JSON.stringify(join(ROOT, 'examples', 'express-server')),
  });

/** Polls `url`/ready until it answers 200 (or the process exits, or `ms` passes). */
async function waitReady(url: string, child: Child, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  let last = 'no answer';
  for (;;) {
    if (!child.alive()) throw new Error(`${child.name} exited before it was ready\n${child.tail()}`);
    try {
      const response = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2_000) });
      last = `${response.status} ${await response.text()}`;
      if (response.status === 200) return;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline)
      throw new Error(`${child.name} not ready after ${ms} ms (last /ready: ${last})\n${child.tail()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts the example server (examples/express-server) as a real process on loopback, against
 * Postgres and the simulator process, and resolves once `/ready` answers 200.
 *
 * @example
 * ```ts
 * const backend = await startBackend({ databaseUrl, calcomBaseUrl, tenantsFile, env });
 * await backend.kill();
 * await backend.restart();
 * await backend.stop();
 * ```
 */
export async function startBackend(options: BackendOptions): Promise<BackendProcess> {
  const script = await exampleBundle();
  const name = options.name ?? 'backend';
  const readyMs = options.readyMs ?? 60_000;
  const previousLogs: string[] = [];
  let port = options.port ?? 0;
  let url = '';
  let child: Child;

  const launch = async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const key of ['REDIS_URL', 'PUBLIC_URL', 'TENANTS_FILE', 'CALCOM_BASE_URL', 'DATABASE_URL', 'HOST'])
      delete env[key];
    Object.assign(env, {
      ...options.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: options.databaseUrl,
      CALCOM_BASE_URL: options.calcomBaseUrl,
      TENANTS_FILE: options.tenantsFile,
      LOG_LEVEL: options.logLevel ?? 'warn',
    });
    // PUBLIC_URL must name the port before the server listens: take a free one first.
    if ((options.subscribeWebhooks ?? true) && port === 0) {
      port = await freePort();
      env.PORT = String(port);
    }
    if ((options.subscribeWebhooks ?? true) && port !== 0) env.PUBLIC_URL = `http://127.0.0.1:${port}`;
    child = startChild({ name, args: ['--enable-source-maps', script], env, cwd: ROOT });
    const banner = await child.waitFor(/ready in [\d.]+ s at (http:\/\/\S+)/, readyMs, 'the start-up banner');
    url = banner[1]!;
    port = Number(new URL(url).port);
    await waitReady(url, child, readyMs);
  };
  await launch();

  const logs = () =>
    [...previousLogs, child.stdout()]
      .join('\n')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });

  return {
    name,
    get url() {
      return url;
    },
    get port() {
      return port;
    },
    child: () => child,
    alive: () => child.alive(),
    kill: async () => void (await child.stop('SIGKILL')),
    stop: async (ms = 15_000) => void (await child.stop('SIGTERM', ms)),
    restart: async () => {
      if (child.alive()) throw new Error(`${name} is still running: kill or stop it first`);
      previousLogs.push(child.stdout());
      await launch();
    },
    logs,
  };
}

/** A port free on loopback right now. */
async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
