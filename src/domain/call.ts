import { z } from 'zod';
import { Id, Instant } from './common.js';

/**
 * The call statuses Retell documents: `registered` (created, not connected yet), `not_connected`
 * (never connected: dial failed, busy, no answer), `ongoing`, `ended` and `error`.
 */
export const KnownCallStatus = z.enum(['registered', 'not_connected', 'ongoing', 'ended', 'error']);
/** @see {@link KnownCallStatus} */
export type KnownCallStatus = z.infer<typeof KnownCallStatus>;

/**
 * Status of a voice call, following Retell's call lifecycle. Open: a status Retell adds later is
 * stored as it came, never rejected; the known ones ({@link KnownCallStatus}) are typed.
 *
 * @example
 * ```ts
 * CallStatus.parse('not_connected'); // 'not_connected'
 * CallStatus.parse('voicemail'); // 'voicemail': unknown, kept
 * ```
 */
export const CallStatus: z.ZodType<CallStatus> = z.union([KnownCallStatus, z.string().min(1)]);
/** @see {@link CallStatus} */
export type CallStatus = KnownCallStatus | (string & {});

/** Directions of a call: phone calls are `inbound` or `outbound`; browser calls are `web`. */
export const KnownCallDirection = z.enum(['inbound', 'outbound', 'web']);
/** @see {@link KnownCallDirection} */
export type KnownCallDirection = z.infer<typeof KnownCallDirection>;

/**
 * Direction of a call. Open like {@link CallStatus}: unknown values are kept.
 *
 * @example
 * ```ts
 * CallDirection.parse('inbound'); // 'inbound'
 * ```
 */
export const CallDirection: z.ZodType<CallDirection> = z.union([KnownCallDirection, z.string().min(1)]);
/** @see {@link CallDirection} */
export type CallDirection = KnownCallDirection | (string & {});

/** Retell's call types: a phone call or a web (browser) call. */
export const KnownCallType = z.enum(['phone_call', 'web_call']);
/** @see {@link KnownCallType} */
export type KnownCallType = z.infer<typeof KnownCallType>;

/**
 * Type of a call (Retell's `call_type`). Open like {@link CallStatus}: unknown values are kept.
 *
 * @example
 * ```ts
 * CallType.parse('web_call'); // 'web_call'
 * ```
 */
export const CallType: z.ZodType<CallType> = z.union([KnownCallType, z.string().min(1)]);
/** @see {@link CallType} */
export type CallType = KnownCallType | (string & {});

/**
 * A voice call handled by the AI agent (Retell). `id` is Retell's call id. A call is assembled
 * from webhooks that arrive out of order and more than once (see `CallRepository.upsert`), so
 * everything but the keys may still be unknown (`null`) on a record.
 */
export const Call = z.object({
  id: Id,
  tenantId: Id,
  fromNumber: z.string().min(1).nullable(),
  toNumber: z.string().min(1).nullable(),
  /** `null` while unknown (a call known only from a linked appointment). */
  direction: CallDirection.nullable(),
  /** Retell's `call_type`; `null` while unknown. */
  callType: CallType.nullable(),
  status: CallStatus,
  agentId: Id.nullable(),
  customerId: Id.nullable(),
  startedAt: Instant.nullable(),
  endedAt: Instant.nullable(),
  durationMs: z.number().int().nonnegative().nullable(),
  disconnectionReason: z.string().nullable(),
  /** The call's transcript as text, when the provider sent one and the tenant keeps it. */
  transcript: z.string().nullable(),
  /** Post-call analysis as the voice provider reported it (summary, sentiment, custom fields). */
  analysis: z.record(z.string(), z.unknown()).nullable(),
  costCents: z.number().int().nonnegative().nullable(),
  /** Appointments booked, moved or cancelled during the call. */
  appointmentIds: z.array(Id),
  /** Provider events applied to this record (`call_started`, `call_ended`, ...), each once. */
  events: z.array(z.string().min(1)),
  version: z.number().int().positive(),
  createdAt: Instant,
  updatedAt: Instant,
});
/** @see {@link Call} */
export type Call = z.infer<typeof Call>;
