import { z } from 'zod';
import { Id, Instant } from './common.js';
import { PhoneNumber } from './phone-number.js';

/** Counters kept per customer, maintained by the customer-statistics listener. */
export const CustomerStats = z.object({
  bookings: z.number().int().nonnegative(),
  cancellations: z.number().int().nonnegative(),
  noShows: z.number().int().nonnegative(),
});
/** @see {@link CustomerStats} */
export type CustomerStats = z.infer<typeof CustomerStats>;

/**
 * A customer of a tenant. Phone numbers are E.164 and emails lower-case, so that lookups match
 * however they were typed. Within a tenant, phone and email are unique among customers that have
 * not been merged into another.
 */
export const Customer = z.object({
  id: Id,
  tenantId: Id,
  name: z.string().min(1).max(200).nullable(),
  email: z.email().nullable(),
  phone: PhoneNumber.nullable(),
  /** BCP 47 language tag, e.g. `de-DE`. */
  locale: z.string().min(2).max(35).nullable(),
  /** Set when this customer was merged into another; the survivor's id. */
  mergedInto: Id.nullable(),
  stats: CustomerStats,
  version: z.number().int().positive(),
  createdAt: Instant,
  updatedAt: Instant,
});
/** @see {@link Customer} */
export type Customer = z.infer<typeof Customer>;
