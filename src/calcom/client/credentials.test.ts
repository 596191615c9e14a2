import { describe, expect, it } from 'vitest';
import { isValidationError } from '../../errors/validation-error.js';
import { createFakeClock } from '../../testing/fake-clock.js';
import { createCalcomCredentialsResolver, type CalcomCredentials } from './credentials.js';

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const credentialsOf = (tenantId: string): CalcomCredentials => ({
  apiKey: `cal_live_${tenantId}`,
  webhookSecret: `whsec_${tenantId}`,
});

describe('createCalcomCredentialsResolver', () => {
  it('looks a tenant up once per ttlMs', async () => {
    const clock = createFakeClock();
    const lookups: string[] = [];
    const resolver = createCalcomCredentialsResolver({
      lookup: async (tenantId) => (lookups.push(tenantId), credentialsOf(tenantId)),
      ttlMs: 60_000,
      clock,
    });
    expect(await resolver.resolve('a')).toEqual(credentialsOf('a'));
    await clock.advance(59_999);
    await resolver.resolve('a');
    await resolver.resolve('b');
    expect(lookups).toEqual(['a', 'b']);
    await clock.advance(1);
    await resolver.resolve('a');
    expect(lookups).toEqual(['a', 'b', 'a']);
  });

  it('shares one lookup among concurrent callers for a tenant', async () => {
    const pending = deferred<CalcomCredentials>();
    let calls = 0;
    const resolver = createCalcomCredentialsResolver({ lookup: () => ((calls += 1), pending.promise) });
    const answers = Promise.all([resolver.resolve('a'), resolver.resolve('a'), resolver.resolve('a')]);
    pending.resolve(credentialsOf('a'));
    expect(await answers).toEqual([credentialsOf('a'), credentialsOf('a'), credentialsOf('a')]);
    expect(calls).toBe(1);
  });

  it('does not cache a failed lookup', async () => {
    let calls = 0;
    const resolver = createCalcomCredentialsResolver({
      lookup: async (tenantId) => {
        calls += 1;
        if (calls === 1) throw new Error('secrets manager down');
        return credentialsOf(tenantId);
      },
    });
    await expect(resolver.resolve('a')).rejects.toThrow('secrets manager down');
    expect(await resolver.resolve('a')).toEqual(credentialsOf('a'));
  });

  it('forgets a tenant on invalidate', async () => {
    let key = 'cal_live_old';
    const resolver = createCalcomCredentialsResolver({
      lookup: async () => ({ apiKey: key, webhookSecret: 's' }),
    });
    expect((await resolver.resolve('a')).apiKey).toBe('cal_live_old');
    key = 'cal_live_new';
    expect((await resolver.resolve('a')).apiKey).toBe('cal_live_old');
    resolver.invalidate('a');
    expect((await resolver.resolve('a')).apiKey).toBe('cal_live_new');
  });

  it('refuses credentials without an API key, naming the tenant and the field but not the values', async () => {
    const resolver = createCalcomCredentialsResolver({
      lookup: async () => ({ apiKey: '', webhookSecret: 'whsec_secret', baseUrl: 'not a url' }),
    });
    const error = await resolver.resolve('tenant-a').catch((e: unknown) => e);
    expect(isValidationError(error)).toBe(true);
    expect(String((error as Error).message)).toMatch(
      /Cal\.com credentials of tenant tenant-a: apiKey: .*baseUrl: must be an http\(s\) URL/,
    );
    expect(String((error as Error).message)).not.toMatch(/whsec_secret/);
  });

  it('lets one caller give up without failing the others', async () => {
    const pending = deferred<CalcomCredentials>();
    const resolver = createCalcomCredentialsResolver({ lookup: () => pending.promise });
    const controller = new AbortController();
    const impatient = resolver.resolve('a', { signal: controller.signal }).catch((e: unknown) => e);
    const patient = resolver.resolve('a');
    const reason = new Error('gave up');
    controller.abort(reason);
    expect(await impatient).toBe(reason);
    pending.resolve(credentialsOf('a'));
    expect(await patient).toEqual(credentialsOf('a'));
  });

  it('refuses bad options and tenant ids', async () => {
    expect(() => createCalcomCredentialsResolver({} as never)).toThrow(/option "lookup" is required/);
    expect(() =>
      createCalcomCredentialsResolver({ lookup: async () => credentialsOf('a'), ttlMs: -1 }),
    ).toThrow(/ttlMs/);
    const resolver = createCalcomCredentialsResolver({ lookup: async () => credentialsOf('a') });
    await expect(resolver.resolve('')).rejects.toThrow(/tenantId/);
  });
});
