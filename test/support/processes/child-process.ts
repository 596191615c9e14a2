import { spawn, type ChildProcess } from 'node:child_process';

/** How {@link startChild} runs a process. */
export interface ChildOptions {
  /** A name for messages, e.g. `backend-1`. */
  readonly name: string;
  /** Arguments after the node executable, e.g. `['--enable-source-maps', 'bundle.mjs']`. */
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Keep at most this many characters of each stream (the tail). @default 2_000_000 */
  readonly maxOutput?: number;
}

/** A node child process with its output collected. */
export interface Child {
  readonly name: string;
  readonly pid: number;
  readonly process: ChildProcess;
  /** Everything written to stdout so far (the tail, when long). */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  readonly exited: Promise<number | NodeJS.Signals>;
  /** Whether the process is still running. */
  alive(): boolean;
  /** Waits until stdout matches `pattern` and returns the match; rejects when the process exits or `ms` passes. */
  waitFor(pattern: RegExp, ms: number, what: string): Promise<RegExpExecArray>;
  /** Sends `signal` and waits for the exit (SIGKILL: at once; otherwise up to `ms`, then SIGKILL). */
  stop(signal?: NodeJS.Signals, ms?: number): Promise<number | NodeJS.Signals>;
  /** The last lines of both streams, for failure messages. */
  tail(lines?: number): string;
}

const lastLines = (text: string, lines: number) => text.split('\n').slice(-lines).join('\n');

/** Spawns `node ...args` with stdout and stderr collected. */
export function startChild(options: ChildOptions): Child {
  const max = options.maxOutput ?? 2_000_000;
  const child = spawn(process.execPath, [...options.args], {
    env: options.env,
    cwd: options.cwd ?? process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined)
    throw new Error(`${options.name}: could not spawn node ${options.args.join(' ')}`);
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
    if (out.length > max) out = out.slice(-max);
    for (const listener of listeners) listener();
  });
  child.stderr.on('data', (chunk: string) => {
    err += chunk;
    if (err.length > max) err = err.slice(-max);
  });
  let exitedWith: number | NodeJS.Signals | undefined;
  const exited = new Promise<number | NodeJS.Signals>((resolve) => {
    child.once('exit', (code, signal) => {
      exitedWith = code ?? signal ?? -1;
      for (const listener of listeners) listener();
      resolve(exitedWith);
    });
  });

  const handle: Child = {
    name: options.name,
    pid: child.pid,
    process: child,
    stdout: () => out,
    stderr: () => err,
    exited,
    alive: () => exitedWith === undefined,
    tail: (lines = 40) =>
      `--- ${options.name} (pid ${child.pid}) stdout ---\n${lastLines(out, lines)}\n--- stderr ---\n${lastLines(err, lines)}`,
    waitFor: (pattern, ms, what) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(out);
          if (match) return done(() => resolve(match));
          if (exitedWith !== undefined)
            return done(() =>
              reject(new Error(`${options.name} exited (${exitedWith}) before ${what}\n${handle.tail()}`)),
            );
        };
        const timer = setTimeout(
          () =>
            done(() =>
              reject(
                new Error(`${options.name}: timed out after ${ms} ms waiting for ${what}\n${handle.tail()}`),
              ),
            ),
          ms,
        );
        const done = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      }),
    async stop(signal = 'SIGTERM', ms = 10_000) {
      if (exitedWith !== undefined) return exitedWith;
      child.kill(signal);
      if (signal === 'SIGKILL') return exited;
      const timer = setTimeout(() => child.kill('SIGKILL'), ms);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
  return handle;
}
