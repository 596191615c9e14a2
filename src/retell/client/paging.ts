import { throwIfAborted } from '../../util/abort.js';
import type { RetellCall } from '../webhook-schema.js';
import { RetellResponseError } from './errors.js';
import type { RetellListCallsResponse } from './schemas.js';

/** One page of a call listing. */
export interface RetellCallPage {
  /** The calls of this page, in Retell's order (`sort_order`). */
  readonly items: readonly RetellCall[];
  /** Whether Retell has more after this page. */
  readonly hasMore: boolean;
  /** The key that fetches the next page; `null` on the last one. */
  readonly paginationKey: string | null;
  /** Matching calls in all, when `include_total` was asked for; else `null`. */
  readonly total: number | null;
}

/** Fetches the page after `paginationKey` (the first page for `undefined`). @internal */
export type FetchCallPage = (paginationKey: string | undefined) => Promise<RetellListCallsResponse>;

/**
 * Walks a `pagination_key`-paged listing one page at a time, fetching the next only when the
 * caller asks for it, so memory stays bounded by the page size. Loops while `has_more`, passing
 * back `pagination_key` (retell.md §5, `POST /v3/list-calls`). A page that says there is more but
 * gives no new key would loop for ever: it is a {@link RetellResponseError} naming the field.
 * The signal is checked before each page as well as during its request.
 *
 * @internal
 */
export async function* callPages(
  fetchPage: FetchCallPage,
  endpoint: string,
  signal: AbortSignal | undefined,
  firstKey?: string,
): AsyncGenerator<RetellCallPage, void, undefined> {
  let key = firstKey;
  for (;;) {
    throwIfAborted(signal);
    const page = await fetchPage(key);
    const next = page.pagination_key ?? null;
    yield { items: page.items, hasMore: page.has_more, paginationKey: next, total: page.total ?? null };
    if (!page.has_more) return;
    if (next === null || next === key) {
      const message =
        next === null ? 'has_more is true but no pagination_key was given' : 'the same pagination_key again';
      throw new RetellResponseError({ endpoint, status: 200, issues: [{ path: 'pagination_key', message }] });
    }
    key = next;
  }
}
