import type { Clock } from '../ports/clock.js';
import { abortReason, onAbort } from '../util/abort.js';

/** How one run of a step (or compensation) ended. @internal */
export type AttemptOutcome =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** A run's signal, with a promise that rejects with its reason when it aborts. @internal */
export interface RunSignal {
  readonly signal: AbortSignal;
  readonly aborted: Promise<never>;
}

/**
 * A {@link RunSignal} for `signal`: one listener for the whole run, however many attempts it
 * makes (listeners on an `AbortSignal` are not cheap).
 *
 * @internal
 */
export function runSignal(signal: AbortSignal): RunSignal {
  const aborted = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(abortReason(signal));
    else signal.addEventListener('abort', () => reject(abortReason(signal)), { once: true });
  });
  aborted.catch(() => undefined); // observed by the attempts that race it; never unhandled
  return { signal, aborted };
}

/**
 * Runs `invoke` once with a signal that aborts when `parent` aborts or after `timeoutMs` (with
 * `timeoutError()`). The attempt ends as soon as the signal aborts, even if `invoke` ignores it:
 * a step that does not honour its signal cannot hold the saga hostage.
 *
 * @internal
 */
export async function runAttempt(
  clock: Clock,
  parent: RunSignal,
  invoke: (signal: AbortSignal) => unknown,
  timeoutMs: number | undefined,
  timeoutError: () => Error,
): Promise<AttemptOutcome> {
  if (timeoutMs === undefined) return settle(parent, invoke);
  const controller = new AbortController();
  const own = runSignal(controller.signal);
  const unlink = onAbort(parent.signal, () => controller.abort(abortReason(parent.signal)));
  const timer = clock.setTimer(() => controller.abort(timeoutError()), timeoutMs);
  try {
    return await settle(own, invoke);
  } finally {
    timer.clear();
    unlink();
  }
}

async function settle(run: RunSignal, invoke: (signal: AbortSignal) => unknown): Promise<AttemptOutcome> {
  try {
    const value = await Promise.race([Promise.resolve().then(() => invoke(run.signal)), run.aborted]);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error };
  }
}
