/**
 * Real processes on loopback for the system benchmarks: the Cal.com simulator, the example
 * backend, an Express hello-world, a dedicated Redis server, and a dedicated Postgres database on
 * the shared server. Every process is started with its own process group and stopped by its pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A free TCP port on loopback (the OS picks it; it is free again once this resolves). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** A started process: its output so far, and how to stop it. */
export interface Proc {
  readonly name: string;
  readonly child: ChildProcess;
  /** The last lines it wrote (stdout and stderr), for error messages. */
  tail(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL at once. */
  kill(): Promise<void>;
}

/** Where the example keeps its data: a backend uses what the benchmark gives it, nothing inherited. */
const STORAGE_VARIABLES = ['DATABASE_URL', 'REDIS_URL', 'REDIS_KEY_PREFIX', 'DATA_DIR'] as const;

/**
 * The environment of a backend: `inherited` (this process's) without its storage variables, then
 * `env`. A benchmark run with DATABASE_URL set (to reach the server it creates databases on) must
 * not hand that database to the backend meant to run on PGlite.
 */
export function backendEnvironment(
  inherited: NodeJS.ProcessEnv,
  env: Record<string, string>,
): NodeJS.ProcessEnv {
  const base = { ...inherited };
  for (const name of STORAGE_VARIABLES) delete base[name];
  return { ...base, ...env };
}

/** Starts `command args` with `env` added to this process's environment (or `env` whole). */
export function startProcess(
  name: string,
  command: string,
  args: readonly string[],
  env: Record<string, string> | { readonly whole: NodeJS.ProcessEnv } = {},
): Proc {
  const child = spawn(command, args, {
    cwd: root,
    env: 'whole' in env ? (env.whole as NodeJS.ProcessEnv) : { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const signal = (sig: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    try {
      process.kill(-child.pid, sig); // the whole group: the launcher and anything it started
    } catch {
      /* already gone */
    }
  };
  return {
    name,
    child,
    tail: () => lines.slice(-30).join('\n'),
    async stop(graceMs = 10_000) {
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      signal('SIGKILL');
      await exited;
    },
  };
}

/** Resolves with the first stdout line of `proc` that `match` accepts, or rejects when it exits first. */
export function waitForLine<T>(
  proc: Proc,
  match: (line: string) => T | undefined,
  timeoutMs = 60_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const found = match(line);
        if (found !== undefined) {
          done();
          resolve(found);
          return;
        }
      }
    };
    const onExit = () => {
      done();
      reject(new Error(`${proc.name} exited before it was ready:\n${proc.tail()}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`${proc.name} not ready after ${timeoutMs} ms:\n${proc.tail()}`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      proc.child.stdout!.off('data', onData);
      proc.child.off('exit', onExit);
    };
    proc.child.stdout!.on('data', onData);
    proc.child.once('exit', onExit);
  });
}

/** Polls `url` until it answers `status` (default 200). */
export async function waitForStatus(
  url: string,
  options: { status?: number; timeoutMs?: number; proc?: Proc } = {},
) {
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  const wanted = options.status ?? 200;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (options.proc && (options.proc.child.exitCode !== null || options.proc.child.signalCode !== null)) {
      throw new Error(`${options.proc.name} exited while waiting for ${url}:\n${options.proc.tail()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      last = `${response.status} ${await response.text()}`;
      if (response.status === wanted) return;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(
    `${url} did not answer ${wanted} in time (last: ${last.slice(0, 300)})${options.proc ? `\n${options.proc.tail()}` : ''}`,
  );
}

/** The simulator process (see calcom-simulator-process.ts). */
export interface SimulatorProc extends Proc {
  /** The Cal.com API's base URL. */
  readonly url: string;
  /** The control server's base URL. */
  readonly controlUrl: string;
  /** Sets faults (see calcom-simulator-process.ts). */
  faults(request: Record<string, unknown>): Promise<void>;
  /** Every booking the simulator holds. */
  bookings(): Promise<{ uid: string; status: string; start: string; end: string; host: string }[]>;
}

export async function startSimulator(options: {
  readonly tenants: number;
  readonly latencyMs?: number;
  readonly rateLimit?: number | 'off';
}): Promise<SimulatorProc> {
  const proc = startProcess(
    'calcom-simulator',
    process.execPath,
    ['--import', 'tsx', 'bench/system/calcom-simulator-process.ts'],
    {
      SIM_TENANTS: String(options.tenants),
      SIM_LATENCY_MS: String(options.latencyMs ?? 0),
      SIM_RATE_LIMIT: String(options.rateLimit ?? 120),
    },
  );
  const ready = await waitForLine(proc, (line) => {
    if (!line.startsWith('{')) return undefined;
    const parsed = JSON.parse(line) as { ready?: boolean; url: string; controlUrl: string };
    return parsed.ready ? parsed : undefined;
  });
  return {
    ...proc,
    url: ready.url,
    controlUrl: ready.controlUrl,
    async faults(request) {
      const response = await fetch(`${ready.controlUrl}/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
      });
      if (response.status !== 204)
        throw new Error(`simulator faults: ${response.status} ${await response.text()}`);
    },
    async bookings() {
      const response = await fetch(`${ready.controlUrl}/bookings`);
      return (await response.json()) as Awaited<ReturnType<SimulatorProc['bookings']>>;
    },
  };
}

/** One example backend (examples/express-server), ready (`/ready` answered 200). */
export interface BackendProc extends Proc {
  readonly url: string;
  readonly port: number;
}

/**
 * Starts examples/express-server through its launcher (`run.mjs server`, which bundles the example
 * with bookingkit's sources, reusing a cached bundle while nothing changed) with `env` (DATABASE_URL or DATA_DIR, REDIS_URL, TENANTS_FILE, CALCOM_BASE_URL, ...).
 */
export async function startBackend(
  name: string,
  env: Record<string, string>,
  port?: number,
): Promise<BackendProc> {
  const chosen = port ?? (await freePort());
  // BENCH_PROFILE=<dir>: each backend writes a CPU profile there when it stops (for Chrome DevTools).
  const profile = process.env.BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`, `--cpu-prof-name=${name}.cpuprofile`]
    : [];
  const proc = startProcess(
    name,
    process.execPath,
    [...profile, 'examples/express-server/run.mjs', 'server'],
    {
      whole: backendEnvironment(process.env, {
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        ...env,
        PORT: String(chosen),
      }),
    },
  );
  const url = `http://127.0.0.1:${chosen}`;
  await waitForStatus(`${url}/ready`, { proc, timeoutMs: 120_000 });
  return { ...proc, url, port: chosen };
}

/** An Express hello-world in its own process, the baseline of the webhook benchmark. */
export async function startHelloWorld(): Promise<BackendProc> {
  const port = await freePort();
  const proc = startProcess(
    'hello-world',
    process.execPath,
    ['--import', 'tsx', 'bench/system/hello-world.ts'],
    {
      PORT: String(port),
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForStatus(`${url}/`, { proc });
  return { ...proc, url, port };
}

/** A dedicated Redis server on its own port (no persistence), for the run only. */
export async function startRedis(): Promise<Proc & { readonly url: string }> {
  const port = await freePort();
  const proc = startProcess('redis', 'redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  await waitForLine(proc, (line) => (/Ready to accept connections/i.test(line) ? true : undefined));
  return { ...proc, url: `redis://127.0.0.1:${port}` };
}

/** The shared Postgres server (DATABASE_URL's server), or the default local one. */
export const postgresServerUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Creates a fresh database `name` on the shared server; `drop()` removes it. */
export async function createDatabase(name: string): Promise<{ readonly url: string; drop(): Promise<void> }> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name))
    throw new Error(`database name ${name}: lowercase letters, digits, _`);
  const admin = new pg.Client({ connectionString: postgresServerUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgresServerUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: postgresServerUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
