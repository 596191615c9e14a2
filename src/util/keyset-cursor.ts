import { ValidationError } from '../errors/validation-error.js';
import { numberOption } from './options.js';

/** Where a record sits in a keyset listing's order: a time (epoch ms), then its id. @internal */
export interface SortKey {
  readonly time: number;
  readonly id: string;
}

/** Largest page a listing returns. */
const MAX_LIMIT = 1000;

/** Orders sort keys by time, then id. @internal */
export function compareKeys(a: SortKey, b: SortKey): number {
  if (a.time !== b.time) return a.time - b.time;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The opaque cursor that resumes a listing after `key`. @internal */
export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify([key.time, key.id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): SortKey {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(decoded) &&
      decoded.length === 2 &&
      Number.isFinite(decoded[0]) &&
      typeof decoded[1] === 'string'
    ) {
      return { time: decoded[0] as number, id: decoded[1] };
    }
  } catch {
    // reported below
  }
  throw new ValidationError('page request', [
    { path: 'cursor', message: 'is not a cursor returned by this listing' },
  ]);
}

/**
 * The limit and the key to start after of a page request (a port's `PageRequest`).
 *
 * @throws {@link ValidationError} for a malformed cursor; {@link InvalidOptionError} for a limit
 * outside 1–1000.
 * @internal
 */
export function pageRequestOf(request: { readonly cursor?: string; readonly limit?: number }): {
  limit: number;
  after: SortKey | undefined;
} {
  const limit = numberOption('limit', request.limit, 100, { min: 1, max: MAX_LIMIT, integer: true });
  return { limit, after: request.cursor === undefined ? undefined : decodeCursor(request.cursor) };
}
