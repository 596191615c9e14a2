import { describe, expect, it } from 'vitest';
import { bulkhead } from '../../resilience/bulkhead.js';
import { isBulkheadRejectedError } from '../../resilience/errors.js';
import type { Policy } from '../../resilience/policy.js';
import { admissionPolicy } from './admission.js';

/** Settles with the outcome of `promise`, whatever it is, without an unhandled rejection. */
function outcomeOf<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  return Promise.allSettled([promise]).then(([outcome]) => outcome as PromiseSettledResult<T>);
}

const oneSlot = () => admissionPolicy({ maxConcurrent: 1, maxQueue: 0 }, 'test') as Policy;

describe('admissionPolicy', () => {
  it('runs a command started inside an admitted call in the caller’s slot, so a full admission cannot deadlock it', async () => {
    const admission = oneSlot();
    const inner = await admission.execute(() => admission.execute(() => 'inner'));
    expect(inner).toBe('inner');
  });

  it('still refuses a call from outside while the one slot is taken', async () => {
    const admission = oneSlot();
    let release!: () => void;
    const running = admission.execute(() => new Promise<void>((resolve) => (release = resolve)));
    const refused = await outcomeOf(admission.execute(() => 'other'));
    expect(refused.status === 'rejected' && isBulkheadRejectedError(refused.reason)).toBe(true);
    release();
    await running;
  });

  it('is one admission for one policy: wrapped twice, a call inside either passes the other', async () => {
    const limit = bulkhead({ maxConcurrent: 1, maxQueue: 0 });
    const outer = admissionPolicy(limit, 'test') as Policy;
    const inner = admissionPolicy(limit, 'test') as Policy;
    expect(inner).toBe(outer);
    expect(admissionPolicy(outer, 'test')).toBe(outer);
    await expect(outer.execute(() => inner.execute(() => 'nested'))).resolves.toBe('nested');
  });

  it('admits again work that an admitted call left behind once that call has ended', async () => {
    const admission = oneSlot();
    let late!: Promise<PromiseSettledResult<string>>;
    await admission.execute(() => {
      // Carries the admitted call's async context past its end.
      late = new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
        outcomeOf(admission.execute(() => 'late')),
      );
    });
    let release!: () => void;
    const holder = admission.execute(() => new Promise<void>((resolve) => (release = resolve)));
    const outcome = await late;
    expect(outcome.status === 'rejected' && isBulkheadRejectedError(outcome.reason)).toBe(true);
    release();
    await holder;
  });

  it('is undefined for false', () => {
    expect(admissionPolicy(false, 'test')).toBeUndefined();
  });
});
