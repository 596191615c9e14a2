import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import { ValidationError } from '../../errors/validation-error.js';
import type { CacheEntryOptions } from '../../ports/availability-cache.js';
import { checkNumberOption } from '../../util/options.js';

/** A cache entry checked and serialised, ready to store. @internal */
export interface CheckedCacheEntry {
  /** The value as JSON text. */
  readonly json: string;
  readonly ttlMs: number;
  /** The tags, without duplicates. */
  readonly tags: readonly string[];
}

/**
 * Checks what an availability cache is asked to store, the same way for every adapter: the value
 * must be JSON-serialisable, the TTL a positive integer, the tags non-empty strings.
 *
 * @throws {@link ValidationError} for a value JSON cannot represent; {@link InvalidOptionError}
 * for a bad `ttlMs` or `tags`.
 * @internal
 */
export function checkCacheEntry(value: unknown, options: CacheEntryOptions): CheckedCacheEntry {
  const ttlMs = checkNumberOption('ttlMs', options.ttlMs, { min: 1, integer: true });
  if (
    !Array.isArray(options.tags) ||
    !options.tags.every((tag) => typeof tag === 'string' && tag.length > 0)
  ) {
    throw new InvalidOptionError('tags', options.tags, 'an array of non-empty strings');
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new ValidationError(
      'cache value',
      [{ path: '', message: `is not JSON-serialisable: ${(error as Error).message}` }],
      { cause: error },
    );
  }
  if (json === undefined)
    throw new ValidationError('cache value', [
      { path: '', message: `is not JSON-serialisable: got ${typeof value}` },
    ]);
  return { json, ttlMs, tags: [...new Set(options.tags)] };
}
