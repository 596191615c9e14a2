import { describe, expect, it } from 'vitest';
import { fallback } from './fallback.js';
import { BrokenCircuitError, isBrokenCircuitError } from './errors.js';

const open = new BrokenCircuitError({
  breaker: 'calcom',
  state: 'open',
  retryAt: null,
  retryAfterMs: null,
  reason: null,
});

describe('fallback', () => {
  it('answers a failed call with the fallback value', async () => {
    const cached = fallback((error) => (isBrokenCircuitError(error) ? ['cached slot'] : []));
    await expect(cached.execute(() => Promise.reject(open))).resolves.toEqual(['cached slot']);
    await expect(cached.execute(() => ['live slot'])).resolves.toEqual(['live slot']);
  });

  it('throws the errors that `when` does not accept', async () => {
    const onlyOpen = fallback(() => 'later', { when: isBrokenCircuitError });
    await expect(onlyOpen.execute(() => Promise.reject(open))).resolves.toBe('later');
    await expect(onlyOpen.execute(() => Promise.reject(new Error('bug')))).rejects.toThrow('bug');
  });

  it('never answers a call the caller aborted', async () => {
    const controller = new AbortController();
    const anything = fallback(() => 'fallback');
    const call = anything.execute(
      ({ signal }) =>
        new Promise((_, reject) => {
          signal.addEventListener('abort', () => reject(new Error('aborted inside')));
          controller.abort(new Error('caller left'));
        }),
      { signal: controller.signal },
    );
    await expect(call).rejects.toThrow('caller left');
  });

  it('requires a function', () => {
    expect(() => fallback('value' as never)).toThrow(/"value"/);
  });
});
