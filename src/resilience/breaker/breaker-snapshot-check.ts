import type { ValidationIssue } from '../../errors/validation-error.js';
import type { BreakerSnapshot, CircuitState } from './breaker-snapshot.js';

const STATES: readonly CircuitState[] = ['closed', 'open', 'half-open', 'isolated', 'disabled'];
const MAX_REASON = 500;

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** What {@link checkBreakerSnapshot} found: the snapshot (known fields only) or what is wrong. */
export type BreakerSnapshotCheck =
  | { readonly ok: true; readonly snapshot: BreakerSnapshot }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/**
 * Checks that `value` is a {@link BreakerSnapshot}, as the zod schema of that name would, without
 * zod: the circuit breaker runs this on its `initialState`, and a consumer that bundles only
 * `circuitBreaker` then bundles no zod (docs/decisions/0008-bundle-boundaries.md). A test keeps
 * this check and the schema in agreement; unknown keys are dropped, as the schema drops them.
 *
 * @internal
 */
export function checkBreakerSnapshot(value: unknown): BreakerSnapshotCheck {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, issues: [{ path: '', message: 'Expected a breaker snapshot object' }] };
  const given = value as Record<keyof BreakerSnapshot, unknown>;
  const issues: ValidationIssue[] = [];
  const expect = (path: keyof BreakerSnapshot, valid: boolean, message: string): void => {
    if (!valid) issues.push({ path, message });
  };
  expect('state', STATES.includes(given.state as CircuitState), `Expected one of ${STATES.join(', ')}`);
  expect('generation', isCount(given.generation), 'Expected a non-negative integer');
  expect('since', isFiniteNumber(given.since), 'Expected a finite number');
  expect('until', given.until === null || isFiniteNumber(given.until), 'Expected a finite number or null');
  for (const count of ['opens', 'probes', 'probeSuccesses'] as const)
    expect(count, isCount(given[count]), 'Expected a non-negative integer');
  expect(
    'reason',
    given.reason === null || (typeof given.reason === 'string' && given.reason.length <= MAX_REASON),
    `Expected a string of at most ${MAX_REASON} characters, or null`,
  );
  if (issues.length > 0) return { ok: false, issues };
  const { state, generation, since, until, opens, probes, probeSuccesses, reason } = given as BreakerSnapshot;
  return { ok: true, snapshot: { state, generation, since, until, opens, probes, probeSuccesses, reason } };
}
