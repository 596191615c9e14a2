import type { Page } from '../ports/page.js';
import { ReconciliationAbortedError } from './errors.js';

/** Where an item sits in a listing's order. @internal */
export interface ListingKey {
  readonly time: number;
  readonly id: string;
}

/** What {@link orderedListing} reads. @internal */
export interface OrderedListingSource<T> {
  readonly tenantId: string;
  readonly side: 'local' | 'remote';
  /** Reads one page (the first when `cursor` is undefined). */
  readonly page: (cursor: string | undefined) => Promise<Page<T>>;
  /** The item's place in the listing's order. */
  readonly keyOf: (item: T) => ListingKey;
}

/**
 * A listing read one page at a time, holding one page: `peek` shows the next item, `take` consumes
 * it. Items must arrive in strictly increasing key order across pages; an item that repeats or
 * goes back means the listing moved under the reader (offset paging shifted by an insert), and a
 * page that cannot be read leaves the listing partial. Either aborts with a
 * {@link ReconciliationAbortedError}, so that nothing unseen is taken for gone.
 *
 * @internal
 */
export interface OrderedListing<T> {
  peek(): Promise<T | undefined>;
  take(): T;
  /** The key of the last item taken, or `undefined`. */
  readonly lastKey: ListingKey | undefined;
  /** Items taken so far. */
  readonly count: number;
  /** Pages read so far. */
  readonly pages: number;
}

const compare = (a: ListingKey, b: ListingKey): number =>
  a.time !== b.time ? a.time - b.time : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** Creates an {@link OrderedListing}. @internal */
export function orderedListing<T>(source: OrderedListingSource<T>): OrderedListing<T> {
  const { tenantId, side } = source;
  let items: readonly T[] = [];
  let index = 0;
  let cursor: string | undefined;
  let started = false;
  let done = false;
  let lastKey: ListingKey | undefined;
  let previousPageEnd: ListingKey | undefined;
  let count = 0;
  let pages = 0;

  const abort = (reason: 'listing_incomplete' | 'listing_shifted', detail: string, cause?: unknown) =>
    new ReconciliationAbortedError({ tenantId, side, reason, detail }, cause === undefined ? {} : { cause });

  async function load(): Promise<void> {
    while (index >= items.length && !done) {
      if (started && cursor === undefined) {
        done = true;
        return;
      }
      let page: Page<T>;
      try {
        page = await source.page(cursor);
      } catch (error) {
        throw abort('listing_incomplete', `page ${pages + 1} failed`, error);
      }
      started = true;
      pages += 1;
      if (page.items.length === 0 && page.nextCursor !== null)
        throw abort('listing_incomplete', `page ${pages} is empty but names a next page`);
      const keys = page.items.map(source.keyOf);
      for (let i = 0; i < keys.length; i += 1) {
        const before = i === 0 ? previousPageEnd : keys[i - 1];
        const key = keys[i]!;
        if (before !== undefined && compare(key, before) <= 0) {
          throw abort(
            'listing_shifted',
            `page ${pages} item ${i + 1} (${key.id}) ${compare(key, before) === 0 ? 'repeats' : 'comes before'} ${before.id}`,
          );
        }
      }
      previousPageEnd = keys[keys.length - 1] ?? previousPageEnd;
      items = page.items;
      index = 0;
      cursor = page.nextCursor ?? undefined;
      if (page.nextCursor === null) done = index >= items.length;
    }
  }

  return {
    async peek() {
      await load();
      return items[index];
    },
    take() {
      const item = items[index];
      if (item === undefined) throw new Error('take() without an item: call peek() first');
      index += 1;
      count += 1;
      lastKey = source.keyOf(item);
      return item;
    },
    get lastKey() {
      return lastKey;
    },
    get count() {
      return count;
    },
    get pages() {
      return pages;
    },
  };
}
