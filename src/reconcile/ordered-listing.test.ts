import { describe, expect, it } from 'vitest';
import type { Page } from '../ports/page.js';
import { isReconciliationAbortedError } from './errors.js';
import { orderedListing } from './ordered-listing.js';

interface Item {
  readonly id: string;
  readonly at: number;
}

const listing = (pages: readonly (Page<Item> | Error)[]) => {
  let read = 0;
  return orderedListing<Item>({
    tenantId: 'acme',
    side: 'remote',
    page: async (cursor) => {
      expect(cursor).toBe(read === 0 ? undefined : `c${read}`);
      const page = pages[read];
      read += 1;
      if (page instanceof Error) throw page;
      return page!;
    },
    keyOf: (item) => ({ time: item.at, id: item.id }),
  });
};

async function drain(source: ReturnType<typeof listing>): Promise<string[]> {
  const ids: string[] = [];
  while ((await source.peek()) !== undefined) ids.push(source.take().id);
  return ids;
}

describe('ordered listing', () => {
  it('reads page after page in order, holding one page', async () => {
    const source = listing([
      {
        items: [
          { id: 'a', at: 1 },
          { id: 'b', at: 1 },
        ],
        nextCursor: 'c1',
      },
      { items: [{ id: 'c', at: 2 }], nextCursor: null },
    ]);
    expect(await drain(source)).toEqual(['a', 'b', 'c']);
    expect(source.count).toBe(3);
    expect(source.pages).toBe(2);
  });

  it('aborts as shifted when a page repeats the last item of the one before', async () => {
    const source = listing([
      {
        items: [
          { id: 'a', at: 1 },
          { id: 'b', at: 2 },
        ],
        nextCursor: 'c1',
      },
      {
        items: [
          { id: 'b', at: 2 },
          { id: 'c', at: 3 },
        ],
        nextCursor: null,
      },
    ]);
    const error = await drain(source).catch((e: unknown) => e);
    expect(isReconciliationAbortedError(error)).toBe(true);
    expect(error).toMatchObject({ context: { reason: 'listing_shifted', side: 'remote' } });
  });

  it('aborts as shifted when an item comes out of order', async () => {
    const source = listing([
      {
        items: [
          { id: 'b', at: 2 },
          { id: 'a', at: 1 },
        ],
        nextCursor: null,
      },
    ]);
    await expect(drain(source)).rejects.toMatchObject({ context: { reason: 'listing_shifted' } });
  });

  it('aborts as incomplete when a page fails, with the failure as cause', async () => {
    const failure = new Error('503');
    const source = listing([{ items: [{ id: 'a', at: 1 }], nextCursor: 'c1' }, failure]);
    const error = await drain(source).catch((e: unknown) => e);
    expect(error).toMatchObject({ context: { reason: 'listing_incomplete' }, cause: failure });
  });

  it('aborts as incomplete when an empty page names a next page', async () => {
    const source = listing([{ items: [], nextCursor: 'c1' }]);
    await expect(drain(source)).rejects.toMatchObject({ context: { reason: 'listing_incomplete' } });
  });
});
