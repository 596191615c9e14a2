import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';

// The example's start-up checks of the configuration: a bad value stops it before it opens
// anything, with a message naming each variable.

describe("the Express example's configuration", () => {
  it('refuses to start with bad reconciliation and rate-limit settings, naming each variable', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      RECONCILE_INTERVAL_MS: '-5',
      RECONCILE_GRACE_MS: 'soon',
      WEBHOOK_RATE_LIMIT: '1.5',
      WEBHOOK_RATE_WINDOW_MS: '10',
      REDIS_KEY_PREFIX: 'has space',
    };
    const child = spawn(process.execPath, ['examples/express-server/run.mjs', 'server'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('Invalid configuration');
    expect(stderr).toMatch(/RECONCILE_INTERVAL_MS: must be 0 or more \(0 turns the schedule off\)/);
    expect(stderr).toMatch(/RECONCILE_GRACE_MS: must be a number of milliseconds/);
    expect(stderr).toMatch(/WEBHOOK_RATE_LIMIT: must be a whole number/);
    expect(stderr).toMatch(/WEBHOOK_RATE_WINDOW_MS: must be at least 1000/);
    expect(stderr).toMatch(/REDIS_KEY_PREFIX: must be 1-100 letters/);
  }, 120_000);

  it('tells a simulated call with no server to reach what to start, naming the address', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const child = spawn(
      process.execPath,
      ['examples/express-server/run.mjs', 'call', '--lang', 'en', '--url', `http://127.0.0.1:${port}`],
      { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain(`No example server answers at http://127.0.0.1:${port} (ECONNREFUSED)`);
    expect(stderr).toContain('npm run example');
  }, 120_000);
});
