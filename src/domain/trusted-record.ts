/**
 * Records that bookingkit's own domain code built from input it had already checked, which the
 * repositories then store without parsing them through their schema a second time. Validation
 * stays where untrusted input enters (commands, webhooks, a repository called with a record of
 * the caller's own); a record built by the booking service from a parsed command, a stored
 * record and its saga log is not such an entry.
 *
 * The mark belongs to the object: a copy (a spread, a JSON round trip) is not marked, so a record
 * a caller made or changed is always parsed. Mark a record only right before handing it to a
 * repository, with no code of anyone else's running in between.
 */
const trusted = new WeakSet<object>();

/**
 * Marks `record` as built by bookingkit's domain code from checked parts and returns it.
 *
 * @internal
 * @example
 * ```ts
 * declare const held: Appointment;
 * // ---cut---
 * const confirmed = trustedRecord({ ...held, status: 'confirmed', version: held.version + 1 });
 * ```
 */
export function trustedRecord<T extends object>(record: T): T {
  trusted.add(record);
  return record;
}

/**
 * Whether `record` was marked by {@link trustedRecord}: a repository may store it without
 * parsing it.
 *
 * @internal
 * @example
 * ```ts
 * declare const record: Appointment;
 * // ---cut---
 * const checked = isTrustedRecord(record) ? record : Appointment.parse(record);
 * ```
 */
export function isTrustedRecord(record: unknown): boolean {
  return typeof record === 'object' && record !== null && trusted.has(record);
}
