import { z } from 'zod';

/**
 * Where a change came from. Every command and event carries it, so that a listener never pushes
 * a change back to the system it came from (a change with origin `calcom` is not synced to Cal.com).
 */
export const Origin = z.enum(['api', 'voice', 'calcom', 'admin', 'reconciliation']);
/** @see {@link Origin} */
export type Origin = z.infer<typeof Origin>;

/** Who did something: a customer, a staff member, the voice agent, or the system itself. */
export const Actor = z.object({
  type: z.enum(['customer', 'staff', 'agent', 'system']),
  /** Identifier within its type (customer id, staff user id, Retell agent id); absent for `system`. */
  id: z.string().min(1).optional(),
});
/** @see {@link Actor} */
export type Actor = z.infer<typeof Actor>;
