import { z } from 'zod';
import { isCalendarUnavailableError } from '../../booking/service/errors.js';
import type { IdempotencyStore } from '../../idempotency/idempotency-store.js';
import { sleep, type Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import type { Speech } from '../speech/speech.js';
import type { RetellFunctionAnswer } from './define-function.js';

/** How the runner keeps answers and waits. @internal */
export interface FunctionRunnerOptions {
  readonly store: IdempotencyStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long a changing function's answer is replayed. */
  readonly replayTtlMs: number;
  /** How long a read's answer is replayed. */
  readonly readReplayMs: number;
  /** How long a claim is held while the work runs; after it, a repeat may run the work again. */
  readonly lockTtlMs: number;
}

/** One function call to answer once. @internal */
export interface FunctionRun {
  readonly scope: { readonly tenantId: string; readonly key: string };
  readonly fingerprint: string;
  readonly mutates: boolean;
  /** How long the caller may wait for the answer, ms from now. */
  readonly budgetMs: number;
  readonly speech: Speech;
  readonly work: () => Promise<RetellFunctionAnswer>;
}

const StoredAnswer = z.object({ say: z.string(), data: z.json().optional() });

/**
 * Answers a function call once across its retries, within its time budget.
 *
 * The first request claims the key and starts the work. If the work finishes within the budget,
 * its answer is stored and returned; if not, the caller hears "still working" while the work goes
 * on and stores its answer when done. A repeat that finds the key claimed waits (within its own
 * budget) for the stored answer; one that comes later replays it. A failure is not stored: the
 * claim is released, so asking again runs the work again (the booking service's own idempotency
 * on the same key keeps a booking that did get made from being made twice).
 *
 * `track` receives each background completion, so a host can wait for them (shutdown, tests).
 * @internal
 */
export function createFunctionRunner(
  options: FunctionRunnerOptions,
  track: (work: Promise<unknown>) => void,
): (run: FunctionRun) => Promise<RetellFunctionAnswer> {
  const { store, clock, logger } = options;
  const now = (): number => Math.floor(clock.now());

  async function finish(run: FunctionRun, token: string): Promise<RetellFunctionAnswer> {
    let answer: RetellFunctionAnswer;
    try {
      answer = await run.work();
    } catch (error) {
      await store.release(run.scope, { token, now: now() }).catch((releaseError: unknown) => {
        logger.warn({ err: releaseError, key: run.scope.key }, 'could not release a function call claim');
      });
      if (isCalendarUnavailableError(error)) return { say: run.speech.phrases.calendarUnavailable() };
      logger.error({ err: error, key: run.scope.key }, 'a Retell function failed');
      return { say: run.speech.phrases.failed() };
    }
    try {
      await store.complete(run.scope, { token, result: toStored(answer), now: now() });
    } catch (error) {
      // The answer stands; a repeat after the claim's lock runs out runs the work again.
      logger.warn({ err: error, key: run.scope.key }, 'could not store a function call answer');
    }
    return answer;
  }

  function withinBudget(
    work: Promise<RetellFunctionAnswer>,
    deadline: number,
    speech: Speech,
  ): Promise<RetellFunctionAnswer> {
    return new Promise((resolve) => {
      const timer = clock.setTimer(
        () => resolve({ say: speech.phrases.stillWorking(), data: { status: 'in_progress' } }),
        Math.max(0, deadline - now()),
      );
      void work.then((answer) => {
        timer.clear();
        resolve(answer);
      });
    });
  }

  return async (run) => {
    const deadline = now() + run.budgetMs;
    const ttlMs = run.mutates ? options.replayTtlMs : options.readReplayMs;
    const lockTtlMs = Math.min(options.lockTtlMs, ttlMs);
    let delay = 50;
    for (;;) {
      const polledAt = now();
      const claim = await store.begin(run.scope, {
        fingerprint: run.fingerprint,
        ttlMs,
        lockTtlMs,
        now: polledAt,
      });
      switch (claim.status) {
        case 'replay': {
          const stored = StoredAnswer.safeParse(claim.result);
          if (stored.success) return stored.data as RetellFunctionAnswer;
          logger.warn({ key: run.scope.key }, 'a stored function call answer could not be read');
          return { say: run.speech.phrases.failed() };
        }
        case 'mismatch':
          // The key carries the arguments' fingerprint, so only a foreign write gets here.
          logger.warn({ key: run.scope.key }, 'a function call key is held by another request');
          return { say: run.speech.phrases.failed() };
        case 'in_progress': {
          const remaining = deadline - now();
          if (remaining <= 0)
            return { say: run.speech.phrases.stillWorking(), data: { status: 'in_progress' } };
          await sleep(clock, Math.max(1, Math.min(delay, remaining, claim.lockExpiresAt - polledAt)));
          delay = Math.min(delay * 2, 500);
          continue;
        }
        case 'new': {
          const work = finish(run, claim.token);
          track(work);
          return withinBudget(work, deadline, run.speech);
        }
      }
    }
  };
}

function toStored(answer: RetellFunctionAnswer): { say: string; data?: never } {
  return (answer.data === undefined ? { say: answer.say } : { say: answer.say, data: answer.data }) as never;
}
