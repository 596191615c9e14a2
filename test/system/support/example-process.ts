import { spawn, type ChildProcess } from 'node:child_process';

// The Express example as a real process (`node examples/express-server/run.mjs server`, what
// `npm run example` runs), on a free port, with its output collected.

/** One JSON log line of the example. */
export interface LogLine {
  readonly msg?: string;
  readonly [field: string]: unknown;
}

/** A running example server. */
export interface ExampleProcess {
  /** `http://127.0.0.1:port`. */
  readonly url: string;
  /** The embedded Cal.com simulator's URL, or null when CALCOM_BASE_URL was given. */
  readonly calcomUrl: string | null;
  /** Everything it wrote to stdout so far. */
  output(): string;
  /** Its JSON log lines so far. */
  logLines(): LogLine[];
  /** Sends `signal` (SIGTERM by default) and resolves with the exit code once it has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  readonly child: ChildProcess;
}

/** The variables of this machine the example would otherwise pick up. */
const INHERITED = [
  'DATABASE_URL',
  'REDIS_URL',
  'REDIS_KEY_PREFIX',
  'CALCOM_BASE_URL',
  'TENANTS_FILE',
  'PUBLIC_URL',
  'HOST',
  'DATA_DIR',
  'RECOVERY_INTERVAL_MS',
  'RECONCILE_INTERVAL_MS',
  'RECONCILE_GRACE_MS',
  'WEBHOOK_RATE_LIMIT',
  'WEBHOOK_RATE_WINDOW_MS',
];

/** Waits until `predicate` holds, polling every 100 ms, up to `ms`. */
export async function until(
  predicate: () => boolean | Promise<boolean>,
  ms: number,
  what: string,
  output: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Spawns the example with `env` on top of this process's environment (minus the example's own
 * variables, so nothing leaks in from the machine) and resolves once its start-up banner is out.
 * A process that exits first rejects with its output.
 */
export async function startExample(
  env: Readonly<Record<string, string>>,
  options: { readonly timeoutMs?: number } = {},
): Promise<ExampleProcess> {
  try {
    return await spawnExample(env, options);
  } catch (error) {
    // dist/ rebuilt under a starting process (src/ edited meanwhile, `npm run build` elsewhere):
    // a module it was importing vanished. Not the example's doing; one more start settles it.
    if (!/ERR_MODULE_NOT_FOUND|ENOENT[^\n]*\/dist\//.test(String(error))) throw error;
    return spawnExample(env, options);
  }
}

async function spawnExample(
  env: Readonly<Record<string, string>>,
  options: { readonly timeoutMs?: number },
): Promise<ExampleProcess> {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of INHERITED) delete base[name];
  const child = spawn(process.execPath, ['examples/express-server/run.mjs', 'server'], {
    env: { ...base, PORT: '0', LOG_LEVEL: 'debug', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const banner = /ready in [\d.]+ s at (http:\/\/\S+)/;
  const output = () => `${stdout}\n--- stderr ---\n${stderr}`;
  try {
    await until(
      () => {
        if (child.exitCode !== null)
          throw new Error(`the example exited with ${child.exitCode}:\n${output()}`);
        return banner.test(stdout);
      },
      options.timeoutMs ?? 240_000,
      'the start-up banner',
      output,
    );
  } catch (error) {
    // A start that timed out must not outlive the suite (the launcher passes SIGTERM on).
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    throw error;
  }
  const url = banner.exec(stdout)![1]!;
  const calcomUrl = /simulator at (http:\/\/\S+)/.exec(stdout)?.[1] ?? null;
  return {
    url,
    calcomUrl,
    child,
    output,
    logLines: () =>
      stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as LogLine),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
