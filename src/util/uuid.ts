import { getRandomValues } from 'node:crypto';

/**
 * Makes UUIDs version 7 that are strictly increasing for this generator. `uuidv7` is the
 * process-wide one; a generator of its own suits code (and tests) that must not share the
 * monotonic state.
 *
 * @internal
 * @example
 * ```ts
 * const next = createUuidV7Generator();
 * const id = next(Date.parse('2026-01-05T09:00:00.000Z'));
 * ```
 */
export function createUuidV7Generator(): (nowMs?: number) => string {
  let lastMs = -1;
  let sequence = 0;
  // Random bytes are drawn from the system in bulk and used 8 per id: one call to the system's
  // generator per 512 ids instead of one per id.
  const pool = new Uint8Array(RANDOM_POOL_BYTES);
  let used = RANDOM_POOL_BYTES;
  return (nowMs = Date.now()) => {
    let ms = Math.max(0, Math.floor(nowMs));
    if (ms <= lastMs) {
      sequence += 1;
      if (sequence > 0xfff) {
        // Counter exhausted in this millisecond: borrow the next one to stay monotonic.
        lastMs += 1;
        sequence = 0;
      }
      ms = lastMs;
    } else {
      lastMs = ms;
      sequence = 0;
    }
    if (used === RANDOM_POOL_BYTES) {
      getRandomValues(pool);
      used = 0;
    }
    const at = used;
    used += 8;
    const hex = ms.toString(16).padStart(12, '0');
    const randA = (0x7000 | sequence).toString(16);
    const variant = HEX[(pool[at]! & 0x3f) | 0x80]!;
    let rest = '';
    for (let i = at + 1; i < at + 8; i += 1) rest += HEX[pool[i]!]!;
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${randA}-${variant}${rest.slice(0, 2)}-${rest.slice(2, 14)}`;
  };
}

/** Bytes of randomness drawn from the system at a time (a multiple of the 8 an id takes). */
const RANDOM_POOL_BYTES = 4_096;
/** Two hex digits of each byte value. */
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

const processGenerator = createUuidV7Generator();

/**
 * Creates a UUID version 7 (RFC 9562): 48 bits of Unix time in milliseconds, then random bits.
 * IDs made by one process are strictly increasing, even within the same millisecond (a 12-bit
 * counter in `rand_a`, as RFC 9562 §6.2 method 1 allows), so they sort by creation time.
 *
 * @param nowMs - Unix time in milliseconds; pass `clock.now()` to make IDs follow a fake clock.
 * @example
 * ```ts
 * const id = uuidv7(); // '01936f4e-8c2a-7000-8000-3f9b1c2d4e5f'
 * ```
 */
export function uuidv7(nowMs: number = Date.now()): string {
  return processGenerator(nowMs);
}

/** Matches any RFC 9562 UUID in canonical form. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
