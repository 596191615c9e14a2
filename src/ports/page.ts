/** One page of a listing, with the cursor of the next page (`null` on the last page). */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/** Paging parameters of a listing. */
export interface PageRequest {
  /** Cursor returned by the previous page; omit for the first page. */
  readonly cursor?: string;
  /** Page size. @default 100 */
  readonly limit?: number;
}
