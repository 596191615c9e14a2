import assert from 'node:assert/strict';

/**
 * Awaits `promise`, asserts that it rejects with an error recognised by `guard`, and returns
 * that error for further checks.
 *
 * @internal
 */
export async function rejectsWith<E>(
  promise: Promise<unknown>,
  guard: (error: unknown) => error is E,
  what: string,
): Promise<E> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  if (caught === undefined) assert.fail(`expected a ${what}, but the operation succeeded`);
  assert.ok(guard(caught), `expected a ${what}, got ${describe(caught)}`);
  return caught;
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return typeof error === 'string' ? error : (JSON.stringify(error) ?? typeof error);
}

/**
 * Settles all `promises` and splits the outcomes into values and errors.
 *
 * @internal
 */
export async function settleAll<T>(
  promises: readonly Promise<T>[],
): Promise<{ values: T[]; errors: unknown[] }> {
  const results = await Promise.allSettled(promises);
  const values: T[] = [];
  const errors: unknown[] = [];
  for (const result of results) {
    if (result.status === 'fulfilled') values.push(result.value);
    else errors.push(result.reason);
  }
  return { values, errors };
}

/**
 * A signal that has already aborted with `Error('stop')`.
 *
 * @internal
 */
export function abortedSignal(): AbortSignal {
  const controller = new AbortController();
  controller.abort(new Error('stop'));
  return controller.signal;
}
