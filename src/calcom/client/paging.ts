import type { CalcomPagination } from './response-schemas.js';

/** One page of a Cal.com listing. */
export interface CalcomPage<T> {
  /** The items of this page, in Cal.com's order. */
  readonly items: readonly T[];
  /** The offset of this page's first item (`skip`). */
  readonly skip: number;
  /** Cal.com's paging facts, when the endpoint answers them. */
  readonly pagination: CalcomPagination | null;
}

/** Fetches the page of `take` items from offset `skip`. @internal */
export type FetchPage<T> = (
  skip: number,
  take: number,
) => Promise<{ readonly items: readonly T[]; readonly pagination: CalcomPagination | null }>;

/**
 * Walks an offset-paged listing (`take`/`skip`; Cal.com has no cursors) one page at a time,
 * fetching the next only when the caller asks for it, so memory stays bounded by the page size.
 * Stops after a page that says it is the last (`hasNextPage: false`), a short page, or an empty
 * one.
 *
 * @internal
 */
export async function* pages<T>(
  fetchPage: FetchPage<T>,
  take: number,
  firstSkip = 0,
): AsyncGenerator<CalcomPage<T>> {
  for (let skip = firstSkip; ;) {
    const { items, pagination } = await fetchPage(skip, take);
    yield { items, skip, pagination };
    const more = pagination?.hasNextPage ?? items.length >= take;
    if (!more || items.length === 0) return;
    skip += items.length;
  }
}
