import { z } from 'zod';
import { Id, Instant } from './common.js';

/** Status of a voice call, following Retell's call lifecycle. */
export const CallStatus = z.enum(['registered', 'ongoing', 'ended', 'error']);
/** @see {@link CallStatus} */
export type CallStatus = z.infer<typeof CallStatus>;

/** A voice call handled by the AI agent (Retell). `id` is Retell's call id. */
export const Call = z.object({
  id: Id,
  tenantId: Id,
  fromNumber: z.string().min(1).nullable(),
  toNumber: z.string().min(1).nullable(),
  direction: z.enum(['inbound', 'outbound', 'web']),
  status: CallStatus,
  agentId: Id.nullable(),
  customerId: Id.nullable(),
  startedAt: Instant.nullable(),
  endedAt: Instant.nullable(),
  disconnectionReason: z.string().nullable(),
  /** Post-call analysis as the voice provider reported it (summary, sentiment, custom fields). */
  analysis: z.record(z.string(), z.unknown()).nullable(),
  costCents: z.number().int().nonnegative().nullable(),
  /** Appointments booked, moved or cancelled during the call. */
  appointmentIds: z.array(Id),
  version: z.number().int().positive(),
  createdAt: Instant,
  updatedAt: Instant,
});
/** @see {@link Call} */
export type Call = z.infer<typeof Call>;
