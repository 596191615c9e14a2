/**
 * A Postgres server and a Redis server of the test's own, on ports of their own, that it may stop
 * and start again under load without touching the shared servers other tests use. Postgres is a
 * fresh cluster (`initdb`, as the `postgres` user when run as root) in a temporary folder.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** A server process that can be stopped and started again on the same port and data. */
export interface DedicatedServer {
  readonly url: string;
  readonly port: number;
  /** Stops it (Postgres: a fast shutdown, which ends every connection; Redis: SIGTERM). */
  stop(): Promise<void>;
  /** Starts it again on the same port (and, for Postgres, the same data) and waits until it answers. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  destroy(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const asRoot = userInfo().uid === 0;

/** `command args` as the `postgres` user when this process is root (initdb and postgres refuse root). */
function asPostgres(command: string, args: readonly string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, [...args]];
}

const pgBin = (name: string) => {
  try {
    return join(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim(), name);
  } catch {
    return name;
  }
};

/** Resolves once `child` prints a line matching `pattern`; rejects when it exits first or after `ms`. */
function waitForOutput(child: ChildProcess, pattern: RegExp, ms: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (pattern.test(output)) finish(() => resolve());
    };
    const onExit = () =>
      finish(() => reject(new Error(`${what} exited before it was ready:\n${output.slice(-2000)}`)));
    const timer = setTimeout(
      () => finish(() => reject(new Error(`${what} not ready after ${ms} ms:\n${output.slice(-2000)}`))),
      ms,
    );
    const finish = (then: () => void) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      then();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

/** A fresh Postgres cluster on a free port, trusting local connections as `postgres`. */
export async function startDedicatedPostgres(): Promise<DedicatedServer> {
  const dir = mkdtempSync(join(tmpdir(), 'bookingkit-pg-'));
  const data = join(dir, 'data');
  if (asRoot)
    chownSync(
      dir,
      Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
      Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
    );
  const [initCmd, initArgs] = asPostgres(pgBin('initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  execFileSync(initCmd, initArgs, { stdio: 'pipe' });
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    if (child) return;
    const [cmd, args] = asPostgres(pgBin('postgres'), [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'max_connections=100',
    ]);
    child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    await waitForOutput(child, /ready to accept connections/, 60_000, 'the dedicated Postgres');
  };
  const stop = async () => {
    if (!child) return;
    const running = child;
    child = null;
    // SIGINT is Postgres's fast shutdown: every session is ended, as when a server restarts.
    const postmaster = Number(
      execFileSync('head', ['-1', join(data, 'postmaster.pid')], { encoding: 'utf8' }).trim(),
    );
    process.kill(postmaster, 'SIGINT');
    await exited(running);
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop,
    start,
    destroy: async () => {
      await stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A Redis server on a free port, without persistence (a restart starts it empty). */
export async function startDedicatedRedis(): Promise<DedicatedServer> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    if (child) return;
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    await waitForOutput(child, /Ready to accept connections/i, 30_000, 'the dedicated Redis');
  };
  const stop = async () => {
    if (!child) return;
    const running = child;
    child = null;
    running.kill('SIGTERM');
    await exited(running);
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, stop, start, destroy: stop };
}
