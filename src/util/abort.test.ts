import { describe, expect, it } from 'vitest';
import { onAbort, untilAborted } from './abort.js';

describe('onAbort', () => {
  it('watches one signal for many concurrent operations with no listener-leak warning', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => void warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      const shared = new AbortController();
      const called: number[] = [];
      const unlinks = Array.from({ length: 100 }, (_, n) => onAbort(shared.signal, () => called.push(n)));
      // Half the operations finish first and stop watching.
      for (const unlink of unlinks.slice(0, 50)) unlink();
      shared.abort(new Error('shutting down'));
      await new Promise((resolve) => setImmediate(resolve));
      expect(called).toEqual(Array.from({ length: 50 }, (_, n) => n + 50));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });

  it('calls each registration once, the same function registered twice included', () => {
    const controller = new AbortController();
    let calls = 0;
    const fn = () => void (calls += 1);
    onAbort(controller.signal, fn);
    const second = onAbort(controller.signal, fn);
    second();
    onAbort(controller.signal, fn);
    controller.abort();
    controller.abort();
    expect(calls).toBe(2);
  });

  it('runs at once for a signal already aborted, and does nothing without a signal', () => {
    let calls = 0;
    onAbort(AbortSignal.abort(), () => (calls += 1));
    onAbort(undefined, () => (calls += 1))();
    expect(calls).toBe(1);
  });

  it('untilAborted lets a caller stop waiting for shared work, which goes on for the others', async () => {
    let finish: (value: string) => void = () => undefined;
    const shared = new Promise<string>((resolve) => (finish = resolve));
    const impatient = new AbortController();
    const first = untilAborted(shared, impatient.signal);
    const second = untilAborted(shared, new AbortController().signal);
    impatient.abort(new Error('caller gave up'));
    await expect(first).rejects.toThrow('caller gave up');
    finish('done');
    await expect(second).resolves.toBe('done');
    await expect(untilAborted(shared, undefined)).resolves.toBe('done');
    await expect(untilAborted(shared, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });
});
