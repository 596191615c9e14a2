import type { Page, PageRequest } from '../../ports/page.js';
import { ValidationError } from '../../errors/validation-error.js';
import { numberOption } from '../../util/options.js';

/**
 * Collects the conditions and parameters of one `WHERE` clause, numbering placeholders in order.
 *
 * @internal
 */
export class SqlConditions {
  readonly params: unknown[] = [];
  readonly #parts: string[] = [];

  /** Adds `value` as the next parameter and returns its placeholder (`$3`). */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /**
   * Adds an optional filter: a condition built around the placeholder of `value`, or nothing when
   * `value` is `undefined`, so the query then matches every row. Never use it for a scope that
   * must always apply (the tenant): check the value and `add` the condition with {@link param}.
   */
  when<V>(value: V | undefined, build: (placeholder: string, value: V) => string): this {
    if (value !== undefined) this.#parts.push(build(this.param(value), value));
    return this;
  }

  /** Adds a condition as it is. */
  add(condition: string): this {
    this.#parts.push(condition);
    return this;
  }

  /** The conditions joined with `AND` (`TRUE` when there are none). */
  get text(): string {
    return this.#parts.length === 0 ? 'TRUE' : this.#parts.join(' AND ');
  }
}

/**
 * The page size of a listing: 100 by default, an integer from 1 to 1000 otherwise (as the
 * memory adapters).
 *
 * @throws {@link InvalidOptionError} naming `limit` for another value.
 * @internal
 */
export function pageSize(request: PageRequest): number {
  return numberOption('limit', request.limit, 100, { min: 1, max: 1_000, integer: true });
}

/** Where an item sits in a keyset listing: its sort time (ISO), then its id. @internal */
export interface KeysetPosition {
  readonly time: string;
  readonly id: string;
}

/**
 * The cursor after `position`, as opaque base64url text.
 *
 * @internal
 */
export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.time, position.id]), 'utf8').toString('base64url');
}

/**
 * Reads a cursor made by {@link encodeCursor}; `undefined` for no cursor.
 *
 * @throws {@link ValidationError} for a cursor this store did not make.
 * @internal
 */
export function decodeCursor(cursor: string | undefined): KeysetPosition | undefined {
  if (cursor === undefined) return undefined;
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === 2 &&
      typeof values[0] === 'string' &&
      typeof values[1] === 'string'
    ) {
      if (!Number.isNaN(Date.parse(values[0]))) return { time: values[0], id: values[1] };
    }
  } catch {
    // reported below
  }
  throw new ValidationError('page request', [
    { path: 'cursor', message: 'is not a cursor returned by this listing' },
  ]);
}

/**
 * Builds a page from up to `limit + 1` rows: the extra row only tells that another page exists.
 *
 * @internal
 */
export function toPage<T>(
  rows: readonly T[],
  limit: number,
  positionOf: (item: T) => KeysetPosition,
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(positionOf(last)) : null,
  };
}
