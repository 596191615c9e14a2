import type { Page, PageRequest } from '../../ports/page.js';
import { compareKeys, encodeCursor, pageRequestOf, type SortKey } from '../../util/keyset-cursor.js';

// The keyset cursor is shared with every adapter that pages (src/util/keyset-cursor.ts).
export { compareKeys, pageRequestOf, type SortKey };

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
