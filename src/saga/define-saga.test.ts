import { describe, expect, it } from 'vitest';
import { isInvalidOptionError } from '../errors/invalid-option-error.js';
import { isValidationError } from '../errors/validation-error.js';
import { z } from 'zod';
import { defineSaga } from './define-saga.js';
import { retryDelay } from './retry-policy.js';
import { NonRetryableError } from './step-errors.js';

function optionOf(make: () => unknown): unknown {
  try {
    make();
  } catch (error) {
    return isInvalidOptionError(error) ? error.context.option : error;
  }
  return null;
}

describe('defineSaga', () => {
  it('returns a new frozen definition from each step, leaving the earlier one unchanged', () => {
    const empty = defineSaga<null>({ name: 'order' });
    const one = empty.step('reserve', { run: () => 1 });
    const two = one.step('charge', {
      run: () => 2,
      compensate: () => undefined,
      idempotent: false,
      timeoutMs: 5_000,
    });
    expect(empty.steps).toEqual([]);
    expect(one.steps.map((s) => s.name)).toEqual(['reserve']);
    expect(two.steps.map((s) => [s.name, s.idempotent, s.timeoutMs, s.compensate !== undefined])).toEqual([
      ['reserve', true, undefined, false],
      ['charge', false, 5_000, true],
    ]);
    expect(Object.isFrozen(two)).toBe(true);
    expect(Object.isFrozen(two.steps)).toBe(true);
  });

  it('fills in the retry defaults of steps and compensations', () => {
    const [step] = defineSaga<null>({ name: 'order' }).step('reserve', {
      run: () => 1,
      retry: { maxAttempts: 7 },
    }).steps;
    expect(step?.retry).toMatchObject({ maxAttempts: 7, initialDelayMs: 100, factor: 2, maxDelayMs: 30_000 });
    expect(step?.compensationRetry).toMatchObject({
      maxAttempts: 5,
      initialDelayMs: 1_000,
      factor: 2,
      maxDelayMs: 30_000,
    });
  });

  it('backs off exponentially up to the cap', () => {
    const [step] = defineSaga<null>({ name: 'order' }).step('reserve', {
      run: () => 1,
      retry: { initialDelayMs: 100, factor: 3, maxDelayMs: 1_000 },
    }).steps;
    expect([1, 2, 3, 4].map((attempt) => retryDelay(step!.retry, attempt))).toEqual([100, 300, 900, 1_000]);
  });

  it('never retries a NonRetryableError, even when shouldRetry says yes', () => {
    const [step] = defineSaga<null>({ name: 'order' }).step('reserve', {
      run: () => 1,
      retry: { shouldRetry: () => true },
    }).steps;
    expect(step?.retry.shouldRetry(new Error('x'), 1)).toBe(true);
    expect(step?.retry.shouldRetry(new NonRetryableError('x'), 1)).toBe(false);
  });

  it('validates names and options eagerly, naming the option', () => {
    const base = defineSaga<null>({ name: 'order' }).step('reserve', { run: () => 1 });
    expect(optionOf(() => defineSaga({ name: '' }))).toBe('name');
    expect(optionOf(() => defineSaga(undefined as never))).toBe('options');
    expect(optionOf(() => defineSaga({ name: 'x', input: {} as never }))).toBe('input');
    expect(
      optionOf(() =>
        (base as { step: (n: string, o: unknown) => unknown }).step('reserve', { run: () => 1 }),
      ),
    ).toBe('steps[1].name');
    expect(optionOf(() => base.step('', { run: () => 1 }))).toBe('steps[1].name');
    expect(optionOf(() => base.step('charge', {} as never))).toBe('steps.charge.run');
    expect(optionOf(() => base.step('charge', { run: () => 1, compensate: 'undo' as never }))).toBe(
      'steps.charge.compensate',
    );
    expect(optionOf(() => base.step('charge', { run: () => 1, timeoutMs: 0 }))).toBe(
      'steps.charge.timeoutMs',
    );
    expect(optionOf(() => base.step('charge', { run: () => 1, retry: { maxAttempts: 0 } }))).toBe(
      'steps.charge.retry.maxAttempts',
    );
    expect(optionOf(() => base.step('charge', { run: () => 1, compensationRetry: { factor: 0.5 } }))).toBe(
      'steps.charge.compensationRetry.factor',
    );
    expect(optionOf(() => base.step('charge', { run: () => 1, retry: { shouldRetry: 1 as never } }))).toBe(
      'steps.charge.retry.shouldRetry',
    );
    expect(optionOf(() => base.step('charge', { run: () => 1, idempotent: 'yes' as never }))).toBe(
      'steps.charge.idempotent',
    );
  });

  it('parses the input with the schema, naming the saga and the field', () => {
    const saga = defineSaga({ name: 'typed', input: z.object({ cents: z.number().int() }) });
    expect(saga.parseInput?.({ cents: 5 })).toEqual({ cents: 5 });
    let error: unknown;
    try {
      saga.parseInput?.({ cents: 1.5 });
    } catch (caught) {
      error = caught;
    }
    expect(isValidationError(error)).toBe(true);
    expect(String(error)).toMatch(/input of saga "typed": cents/);
  });
});
