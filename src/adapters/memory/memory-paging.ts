import { ValidationError } from '../../errors/validation-error.js';
import type { Page, PageRequest } from '../../ports/page.js';
import { numberOption } from '../../util/options.js';

/** Where a record sits in a listing's order: a time (epoch ms), then its id. @internal */
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

function encodeCursor(key: SortKey): string {
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
 * The limit and the key to start after of a page request.
 *
 * @throws {@link ValidationError} for a malformed cursor; {@link InvalidOptionError} for a limit
 * outside 1–1000.
 * @internal
 */
export function pageRequestOf(request: PageRequest): { limit: number; after: SortKey | undefined } {
  const limit = numberOption('limit', request.limit, 100, { min: 1, max: MAX_LIMIT, integer: true });
  return { limit, after: request.cursor === undefined ? undefined : decodeCursor(request.cursor) };
}

/**
 * The first page of `records`, which come already sorted by `keyOf` and start after the
 * request's cursor (as an index yields them): reads `limit + 1` matching records at most.
 *
 * @internal
 */
export function takePage<T>(records: Iterable<T>, keyOf: (record: T) => SortKey, limit: number): Page<T> {
  const items: T[] = [];
  for (const record of records) {
    if (items.length === limit) {
      const last = items[items.length - 1];
      return { items, nextCursor: last === undefined ? null : encodeCursor(keyOf(last)) };
    }
    items.push(record);
  }
  return { items, nextCursor: null };
}

/**
 * Sorts `records` by `keyOf` (ascending or descending) and cuts the page after `request.cursor`
 * (keyset paging: records added or removed between pages neither repeat nor shift the rest).
 *
 * @throws {@link ValidationError} for a malformed cursor; {@link InvalidOptionError} for a limit
 * outside 1–1000.
 * @internal
 */
export function pageOf<T>(
  records: Iterable<T>,
  keyOf: (record: T) => SortKey,
  order: 'asc' | 'desc',
  request: PageRequest,
): Page<T> {
  const { limit, after } = pageRequestOf(request);
  const sign = order === 'asc' ? 1 : -1;
  const keyed: { record: T; key: SortKey }[] = [];
  for (const record of records) {
    const key = keyOf(record);
    if (after === undefined || sign * compareKeys(key, after) > 0) keyed.push({ record, key });
  }
  keyed.sort((a, b) => sign * compareKeys(a.key, b.key));
  const items = keyed.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor = keyed.length > limit && last ? encodeCursor(last.key) : null;
  return { items: items.map((entry) => entry.record), nextCursor };
}
