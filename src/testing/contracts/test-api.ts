/**
 * The few test-runner functions a contract suite needs. vitest, jest, mocha and `node:test` all
 * provide them, so the suites run under any of those; assertions use `node:assert`.
 *
 * @example
 * ```ts
 * import { describe, it, beforeEach, afterEach } from 'vitest';
 * outboxStoreContract({ describe, it, beforeEach, afterEach }, 'memory', () => createMemoryOutboxStore());
 * ```
 */
export interface ContractTestApi {
  describe(name: string, body: () => void): unknown;
  it(name: string, body: () => Promise<void> | void): unknown;
  beforeEach(body: () => Promise<void> | void): unknown;
  afterEach(body: () => Promise<void> | void): unknown;
}

/** What a contract factory returns: the adapter under test and how to clean up after one test. */
export interface ContractSubject<T> {
  readonly subject: T;
  /** Releases connections, drops temporary schemas, ... */
  readonly cleanup?: () => Promise<void> | void;
}

/** Makes a fresh, empty adapter for each test. */
export type ContractFactory<T> = () => Promise<ContractSubject<T> | T> | ContractSubject<T> | T;

/**
 * Registers hooks that create a fresh subject before each test and clean it up after; returns a
 * getter for the current one.
 *
 * @internal
 */
export function useSubject<T>(api: ContractTestApi, factory: ContractFactory<T>): () => T {
  let current: ContractSubject<T> | undefined;
  api.beforeEach(async () => {
    const made = await factory();
    current = isSubject<T>(made) ? made : { subject: made };
  });
  api.afterEach(async () => {
    await current?.cleanup?.();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('contract subject used outside a test');
    return current.subject;
  };
}

function isSubject<T>(value: unknown): value is ContractSubject<T> {
  return (
    typeof value === 'object' &&
    value !== null &&
    'subject' in value &&
    Object.keys(value).every((k) => k === 'subject' || k === 'cleanup')
  );
}
