import { describe, expect, it } from 'vitest';
import * as zod from 'zod';
import * as zod3 from 'zod/v3';
import { assertZod4 } from './zod-version.js';

describe('assertZod4', () => {
  it('accepts the zod 4 that bookingkit is built with', () => {
    expect(() => assertZod4(zod)).not.toThrow();
    expect(() => assertZod4()).not.toThrow();
  });

  it('refuses zod 3, naming the installed version and the fix', () => {
    let caught: unknown;
    try {
      assertZod4(zod3, () => '3.25.76');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(Error);
    expect(caught).toMatchObject({ code: 'ZOD_VERSION' });
    expect((caught as Error).message).toMatch(/needs zod 4.*installed zod is 3\.25\.76.*npm install zod@\^4/);
  });

  it('refuses a module that is not zod at all', () => {
    expect(() => assertZod4({}, () => 'unknown')).toThrow(/installed zod is unknown/);
  });
});
