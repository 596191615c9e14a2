import { z } from 'zod';
import { parseWith } from '../../errors/validation-error.js';
import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import { abortReason, throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { checkClockOption, numberOption, requireOption } from '../../util/options.js';

/**
 * What the client needs to act for one tenant: its Cal.com API key, the secret its webhooks are
 * signed with, and the API's base URL when it is not the client's (e.g. `https://api.cal.eu`, or
 * a self-hosted Cal.diy).
 *
 * @example
 * ```ts
 * const credentials = CalcomCredentials.parse({ apiKey: 'cal_live_abc', webhookSecret: 'whsec', baseUrl: 'https://api.cal.eu' });
 * ```
 */
export const CalcomCredentials = z.object({
  apiKey: z.string().min(1, 'must be a non-empty Cal.com API key'),
  webhookSecret: z.string(),
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
});
/** @see {@link CalcomCredentials} */
export type CalcomCredentials = z.infer<typeof CalcomCredentials>;

/**
 * Looks a tenant's Cal.com credentials up (a database row, a secrets manager). Called at most once
 * per tenant at a time and per `ttlMs` by {@link createCalcomCredentialsResolver}.
 *
 * @example
 * ```ts
 * declare const db: { tenantSecrets(id: string): Promise<{ calcomKey: string; calcomWebhookSecret: string }> };
 * // ---cut---
 * const lookup: CalcomCredentialsLookup = async (tenantId) => {
 *   const row = await db.tenantSecrets(tenantId);
 *   return { apiKey: row.calcomKey, webhookSecret: row.calcomWebhookSecret };
 * };
 * ```
 */
export type CalcomCredentialsLookup = (tenantId: string) => Promise<CalcomCredentials>;

/**
 * A tenant's Cal.com credentials on demand, cached: the one place the client and the webhook
 * verifier read them, so one process serves many tenants and nothing tenant-specific is global.
 *
 * @example
 * ```ts
 * declare const resolver: CalcomCredentialsResolver;
 * // ---cut---
 * const { webhookSecret } = await resolver.resolve('tenant-a');
 * ```
 */
export interface CalcomCredentialsResolver {
  /** The tenant's credentials, from the cache or a lookup shared by every concurrent caller. */
  resolve(tenantId: string, options?: OperationOptions): Promise<CalcomCredentials>;
  /** Forgets the tenant's cached credentials (after a key was rotated, or Cal.com refused it). */
  invalidate(tenantId: string): void;
}

/** Options of {@link createCalcomCredentialsResolver}. */
export interface CalcomCredentialsResolverOptions {
  /** Reads one tenant's credentials. */
  readonly lookup: CalcomCredentialsLookup;
  /** How long a lookup's answer is kept, in ms; `0` asks every time (concurrent callers still share one lookup). @default 300_000 */
  readonly ttlMs?: number;
  /** Most tenants kept; the longest cached go first. @default 10_000 */
  readonly maxTenants?: number;
  /** Time source for the TTL. @default systemClock */
  readonly clock?: Clock;
}

interface Cached {
  readonly credentials: CalcomCredentials;
  readonly expiresAt: number;
}

/**
 * Wraps a lookup in a cache with a TTL: one lookup per tenant per `ttlMs`, and concurrent callers
 * for one tenant share a single lookup in flight. A failed lookup is not cached; its answer is
 * validated, so a missing API key fails with a `ValidationError` naming the tenant and the field
 * (never the values).
 *
 * @throws {@link bookingkit!InvalidOptionError} for a bad option.
 * @example
 * ```ts
 * declare const secrets: { get(name: string): Promise<string> };
 * // ---cut---
 * const credentials = createCalcomCredentialsResolver({
 *   lookup: async (tenantId) => ({
 *     apiKey: await secrets.get(`calcom/${tenantId}/api-key`),
 *     webhookSecret: await secrets.get(`calcom/${tenantId}/webhook-secret`),
 *   }),
 *   ttlMs: 60_000,
 * });
 * ```
 */
export function createCalcomCredentialsResolver(
  options: CalcomCredentialsResolverOptions,
): CalcomCredentialsResolver {
  const factory = 'createCalcomCredentialsResolver';
  const lookup = requireOption(
    factory,
    options,
    'lookup',
    'a function (tenantId) => Promise<{ apiKey, webhookSecret, baseUrl? }>',
    (value) => typeof value === 'function',
  );
  const ttlMs = numberOption('ttlMs', options.ttlMs, 300_000, { integer: true }, { factory });
  const maxTenants = numberOption(
    'maxTenants',
    options.maxTenants,
    10_000,
    { min: 1, integer: true },
    { factory },
  );
  checkClockOption(options.clock, { factory });
  const clock = options.clock ?? systemClock;
  const cache = new Map<string, Cached>();
  const inFlight = new Map<string, Promise<CalcomCredentials>>();

  const load = (tenantId: string): Promise<CalcomCredentials> => {
    // Deferred a tick, so the lookup is in the map before the lookup can settle (even synchronously).
    const entry: { pending?: Promise<CalcomCredentials> } = {};
    entry.pending = (async () => {
      await Promise.resolve();
      try {
        const found = parseWith(
          CalcomCredentials,
          await lookup(tenantId),
          `Cal.com credentials of tenant ${tenantId}`,
        );
        if (ttlMs > 0 && inFlight.get(tenantId) === entry.pending) {
          cache.delete(tenantId);
          cache.set(tenantId, { credentials: found, expiresAt: clock.now() + ttlMs });
          if (cache.size > maxTenants) cache.delete(cache.keys().next().value as string);
        }
        return found;
      } finally {
        if (inFlight.get(tenantId) === entry.pending) inFlight.delete(tenantId);
      }
    })();
    inFlight.set(tenantId, entry.pending);
    return entry.pending;
  };

  return {
    async resolve(tenantId, opts = {}) {
      throwIfAborted(opts.signal);
      if (typeof tenantId !== 'string' || tenantId === '')
        throw new InvalidOptionError('tenantId', tenantId, 'a non-empty tenant id');
      const cached = cache.get(tenantId);
      if (cached !== undefined && cached.expiresAt > clock.now()) return cached.credentials;
      if (cached !== undefined) cache.delete(tenantId);
      const pending = inFlight.get(tenantId) ?? load(tenantId);
      const { signal } = opts;
      if (signal === undefined) return pending;
      // One caller giving up must not abort the lookup the others share.
      return new Promise<CalcomCredentials>((resolve, reject) => {
        const onAbort = (): void => reject(abortReason(signal));
        signal.addEventListener('abort', onAbort, { once: true });
        pending.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });
    },
    invalidate(tenantId) {
      cache.delete(tenantId);
      inFlight.delete(tenantId);
    },
  };
}
