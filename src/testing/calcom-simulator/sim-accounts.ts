import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import { isTimeZone } from '../../util/zoned-time.js';
import type { CalcomSimAccountInput } from './simulator-options.js';

/** A Cal.com user of the simulator, with the API key that acts as them. */
export interface CalcomSimAccount {
  readonly apiKey: string;
  readonly id: number;
  readonly username: string;
  readonly name: string;
  readonly email: string;
  readonly timeZone: string;
}

/** The account the simulator has when none is given. */
export const DEFAULT_SIM_ACCOUNT: CalcomSimAccountInput = Object.freeze({
  apiKey: 'cal_test_simulator',
  username: 'simulator',
});

/**
 * Checks the accounts option and fills in defaults: every key, username and id unique.
 *
 * @internal
 */
export function simAccountsOf(inputs: readonly CalcomSimAccountInput[] | undefined): CalcomSimAccount[] {
  const details = { factory: 'createCalcomSimulator' };
  const given: unknown = inputs ?? [DEFAULT_SIM_ACCOUNT];
  if (!Array.isArray(given) || given.length === 0)
    throw new InvalidOptionError('accounts', inputs, 'a non-empty array of accounts', details);
  const list = given as readonly CalcomSimAccountInput[];
  const seen = new Set<string>();
  return list.map((input, index) => {
    const option = `accounts[${index}]`;
    for (const field of ['apiKey', 'username'] as const) {
      if (typeof input[field] !== 'string' || input[field] === '')
        throw new InvalidOptionError(`${option}.${field}`, input[field], 'a non-empty string', details);
      const key = `${field}:${input[field]}`;
      if (seen.has(key))
        throw new InvalidOptionError(
          `${option}.${field}`,
          input[field],
          `a ${field} no other account has`,
          details,
        );
      seen.add(key);
    }
    const id = input.id ?? index + 1;
    if (!Number.isInteger(id) || id < 1 || seen.has(`id:${id}`))
      throw new InvalidOptionError(`${option}.id`, id, 'a positive integer no other account has', details);
    seen.add(`id:${id}`);
    const timeZone = input.timeZone ?? 'UTC';
    if (!isTimeZone(timeZone))
      throw new InvalidOptionError(`${option}.timeZone`, timeZone, 'an IANA time zone', details);
    return {
      apiKey: input.apiKey,
      id,
      username: input.username,
      name: input.name ?? input.username,
      email: input.email ?? `${input.username}@example.com`,
      timeZone,
    };
  });
}
