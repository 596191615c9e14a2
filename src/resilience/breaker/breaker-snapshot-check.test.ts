import { describe, expect, it } from 'vitest';
import { BreakerSnapshot } from './breaker-snapshot.js';
import { checkBreakerSnapshot } from './breaker-snapshot-check.js';

const valid = {
  state: 'open',
  generation: 3,
  since: 1_700_000_000_000,
  until: 1_700_000_060_000,
  opens: 2,
  probes: 0,
  probeSuccesses: 0,
  reason: '5 consecutive failures',
} as const;

/** Values that differ from a valid snapshot in one way each; the schema decides which are valid. */
const cases: [string, unknown][] = [
  ['a valid snapshot', valid],
  ['null until and reason', { ...valid, until: null, reason: null }],
  ['an unknown key (dropped)', { ...valid, extra: 1 }],
  ['a reason of 500 characters', { ...valid, reason: 'x'.repeat(500) }],
  ['a reason of 501 characters', { ...valid, reason: 'x'.repeat(501) }],
  ['an unknown state', { ...valid, state: 'ajar' }],
  ['a missing state', { ...valid, state: undefined }],
  ['a negative generation', { ...valid, generation: -1 }],
  ['a fractional generation', { ...valid, generation: 1.5 }],
  ['an unsafe integer generation', { ...valid, generation: 2 ** 53 }],
  ['a string generation', { ...valid, generation: '3' }],
  ['a NaN since', { ...valid, since: Number.NaN }],
  ['an infinite since', { ...valid, since: Number.POSITIVE_INFINITY }],
  ['a negative since', { ...valid, since: -5 }],
  ['a fractional until', { ...valid, until: 1.25 }],
  ['an undefined until', { ...valid, until: undefined }],
  ['a negative opens', { ...valid, opens: -1 }],
  ['a missing probes', { ...valid, probes: undefined }],
  ['a fractional probeSuccesses', { ...valid, probeSuccesses: 0.5 }],
  ['a numeric reason', { ...valid, reason: 5 }],
  ['an array', [valid]],
  ['null', null],
  ['a string', 'open'],
];

describe('checkBreakerSnapshot', () => {
  it.each(cases)('agrees with the BreakerSnapshot schema on %s', (_name, value) => {
    const schema = BreakerSnapshot.safeParse(value);
    const checked = checkBreakerSnapshot(value);
    expect(checked.ok).toBe(schema.success);
    if (checked.ok && schema.success) expect(checked.snapshot).toStrictEqual(schema.data);
  });

  it.each(['closed', 'open', 'half-open', 'isolated', 'disabled'])('accepts the state %s', (state) => {
    expect(checkBreakerSnapshot({ ...valid, state }).ok).toBe(true);
    expect(BreakerSnapshot.safeParse({ ...valid, state }).success).toBe(true);
  });

  it('names every bad field and what it expects', () => {
    const checked = checkBreakerSnapshot({ ...valid, state: 'ajar', opens: -1, reason: 5 });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.issues).toStrictEqual([
      { path: 'state', message: 'Expected one of closed, open, half-open, isolated, disabled' },
      { path: 'opens', message: 'Expected a non-negative integer' },
      { path: 'reason', message: 'Expected a string of at most 500 characters, or null' },
    ]);
  });

  it('says what it expects of something that is not an object', () => {
    expect(checkBreakerSnapshot('open')).toStrictEqual({
      ok: false,
      issues: [{ path: '', message: 'Expected a breaker snapshot object' }],
    });
  });

  it('returns a copy with the known fields only', () => {
    const checked = checkBreakerSnapshot({ ...valid, extra: 1 });
    expect(checked).toStrictEqual({ ok: true, snapshot: valid });
  });
});
