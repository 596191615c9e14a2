import { compareKeys as compare, type SortKey } from './memory-paging.js';

/** An entry of a {@link SortedList}: its place in the order and the record it stands for. */
export interface SortedEntry<T> extends SortKey {
  readonly value: T;
}

/** Longest chunk before it is split in two: keeps inserts and removals cheap at any size. */
const MAX_CHUNK = 512;

/**
 * Entries ordered by (time, id), held in chunks of at most 512, so that an insert or removal
 * costs a binary search and a short copy, and iterating from a key starts where the key is.
 *
 * @internal
 */
export interface SortedList<T> {
  readonly size: number;
  /** Adds an entry (its (time, id) must not be in the list). */
  insert(entry: SortedEntry<T>): void;
  /** Removes the entry at (time, id); answers whether there was one. */
  remove(key: SortKey): boolean;
  /** Entries at or after `from`, in order. */
  from(from: SortKey): IterableIterator<SortedEntry<T>>;
}

/** Index of the first element of `items` not ordered before `key`. */
function lowerBound(items: readonly SortKey[], key: SortKey): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compare(items[mid]!, key) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** @internal */
export function createSortedList<T>(): SortedList<T> {
  const chunks: SortedEntry<T>[][] = [];
  let size = 0;

  /** The first chunk whose last entry is not before `key` (chunks.length when none is). */
  const chunkOf = (key: SortKey): number => {
    let low = 0;
    let high = chunks.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const chunk = chunks[mid]!;
      if (compare(chunk[chunk.length - 1]!, key) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  };

  return {
    get size() {
      return size;
    },
    insert(entry) {
      size += 1;
      if (chunks.length === 0) {
        chunks.push([entry]);
        return;
      }
      const index = Math.min(chunkOf(entry), chunks.length - 1);
      const chunk = chunks[index]!;
      chunk.splice(lowerBound(chunk, entry), 0, entry);
      if (chunk.length > MAX_CHUNK) chunks.splice(index + 1, 0, chunk.splice(chunk.length >>> 1));
    },
    remove(key) {
      const index = chunkOf(key);
      const chunk = chunks[index];
      if (!chunk) return false;
      const at = lowerBound(chunk, key);
      const found = chunk[at];
      if (!found || compare(found, key) !== 0) return false;
      chunk.splice(at, 1);
      if (chunk.length === 0) chunks.splice(index, 1);
      size -= 1;
      return true;
    },
    *from(from) {
      let index = chunkOf(from);
      const first = chunks[index];
      if (!first) return;
      let at = lowerBound(first, from);
      for (; index < chunks.length; index += 1, at = 0) {
        const chunk = chunks[index]!;
        for (; at < chunk.length; at += 1) yield chunk[at]!;
      }
    },
  };
}
