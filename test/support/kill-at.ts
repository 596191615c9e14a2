import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** How a worker killed by {@link runAndKillAt} ended. */
export interface KilledWorker {
  /** Its stdout, line by line (`at:<point>` for every point it reached). */
  readonly lines: string[];
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/**
 * Runs `worker` (a TypeScript file, through tsx) with `env` and SIGKILLs it as soon as it prints
 * `at:<point>`; the worker blocks there, so the kill lands exactly at that point. Rejects when the
 * worker does not reach the point within 20 s.
 */
export function runAndKillAt(
  worker: string,
  env: Record<string, string>,
  point: string,
  label: string,
): Promise<KilledWorker> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker], {
      cwd: ROOT,
      env: { ...process.env, ...env, STOP_AT: point },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let stderr = '';
    const watchdog = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker for ${label} never reached ${point}: ${lines.join(' ')} ${stderr}`));
    }, 20_000);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      if (line === `at:${point}`) child.kill('SIGKILL');
    });
    child.on('exit', (_code, signal) => {
      clearTimeout(watchdog);
      resolve({ lines, signal, stderr });
    });
  });
}
