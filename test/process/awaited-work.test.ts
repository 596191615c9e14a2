import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

interface ScriptRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a fixture script in a bare Node process (nothing else on its event loop, as in a cron job,
 * a CLI or a serverless handler), through tsx. A process that exits while a top-level await is
 * still pending ends with code 13 and prints nothing.
 */
function runScript(name: string): Promise<ScriptRun> {
  const file = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', file],
      { timeout: 15_000, env: { ...process.env, NODE_OPTIONS: '' } },
      (error, stdout, stderr) => {
        const failure = error as (Error & { code?: unknown; signal?: NodeJS.Signals | null }) | null;
        resolve({
          code: failure ? (typeof failure.code === 'number' ? failure.code : null) : 0,
          signal: failure?.signal ?? null,
          stdout,
          stderr,
        });
      },
    );
  });
}

/** The JSON line the script printed, after checking that it exited 0. */
async function resultOf(name: string): Promise<unknown> {
  const run = await runScript(name);
  expect({ code: run.code, signal: run.signal, stderr: run.stderr }).toEqual({
    code: 0,
    signal: null,
    stderr: '',
  });
  return JSON.parse(run.stdout.trim()) as unknown;
}

describe.concurrent('awaited work keeps a bare process alive until it settles', () => {
  it('finishes retry() after one 503', async () => {
    expect(await resultOf('retry-after-transient-failure.ts')).toEqual({
      result: 'second attempt succeeded',
      calls: 2,
    });
  });

  it('finishes bookingService.book() when the saga retries the calendar step', async () => {
    expect(await resultOf('book-with-saga-retry.ts')).toEqual({
      result: 'confirmed',
      calendar: 'synced',
      createCalls: 2,
    });
  });

  it('finishes idempotent() waiting for an in-flight twin, with the twin’s result', async () => {
    expect(await resultOf('idempotent-waits-for-twin.ts')).toEqual({
      result: 'booked by the twin',
      replayed: true,
    });
  });

  it('finishes timeout() around a function that only waits on its signal', async () => {
    expect(await resultOf('timeout-slow-function.ts')).toEqual({ result: 'TimeoutError' });
  });

  it('finishes an awaited relay round whose listener hangs until its lease runs out', async () => {
    expect(await resultOf('relay-round-with-hanging-listener.ts')).toEqual({
      result: { claimed: 1, delivered: 0 },
    });
  });
});

describe('background timers do not keep a bare process alive', () => {
  it('lets the process exit while a started relay polls', async () => {
    expect(await resultOf('started-relay-lets-process-exit.ts')).toEqual({ result: 'started' });
  });
});
