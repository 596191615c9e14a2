import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as http from '../http/index.js';
import * as root from '../index.js';
import * as postgres from '../adapters/postgres/index.js';
import * as redis from '../adapters/redis/index.js';
import * as calcom from '../calcom/index.js';
import * as retell from '../retell/index.js';
import * as testing from '../testing/index.js';

type ErrorClass = new (...args: unknown[]) => Error;

const entries = { bookingkit: root, calcom, retell, postgres, redis, http, testing };

/** Every error class that a public entry exports, by its export name. */
const errorClasses = Object.entries(entries).flatMap(([entry, module]) =>
  Object.entries(module as Record<string, unknown>)
    .filter(([, value]) => typeof value === 'function' && value.prototype instanceof Error)
    .map(([name, value]) => ({ entry, name, Class: value as ErrorClass })),
);

/**
 * An argument that any error constructor accepts without knowing its shape: every property read,
 * call or iteration yields another such value; it is `'x'` as a string and `1` otherwise (a number, a
 * time for `new Date`).
 */
function anything(): unknown {
  const proxy: unknown = new Proxy(() => undefined, {
    get: (_target, key) => {
      if (key === Symbol.toPrimitive) return (hint: string) => (hint === 'string' ? 'x' : 1);
      if (key === Symbol.iterator) return () => [][Symbol.iterator]();
      if (key === 'length') return 0;
      return proxy;
    },
    apply: () => proxy,
  });
  return proxy;
}

describe('error classes print their own name', () => {
  it('finds the error classes of every entry', () => {
    expect(errorClasses.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'SlotConflictError',
        'InvalidOptionError',
        'TimeoutError',
        'WebhookSignatureError',
      ]),
    );
  });

  it.each(errorClasses)(
    '$name ($entry) is named $name in name, constructor, String() and inspect()',
    ({ name, Class }) => {
      const error = new Class(anything(), anything(), anything(), anything());
      expect(Class.name).toBe(name);
      expect(error.name).toBe(name);
      expect(error.constructor.name).toBe(name);
      expect(String(error)).toMatch(new RegExp(`^${name}\\b`));
      expect(inspect(error)).toMatch(new RegExp(`^${name}\\b`));
    },
  );
});
