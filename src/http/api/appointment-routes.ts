import { z } from 'zod';
import { AppointmentStatus } from '../../domain/appointment.js';
import { Id, Instant, Metadata, TimeZone } from '../../domain/common.js';
import type { BookingResult } from '../../booking/service/booking-service.js';
import { CustomerInput } from '../../booking/service/commands.js';
import { NotFoundError } from '../../errors/store-errors.js';
import { parseWith } from '../../errors/validation-error.js';
import { jsonResponse } from '../json-response.js';
import type { ApiRouteContext } from './booking-api-options.js';
import { idempotencyKeyOf, idempotentResponse } from './http-idempotency.js';
import { parseQuery, readJsonObject } from './json-request.js';

/** Body of `POST /appointments`. Unknown fields are refused, so a misspelt one is not lost. */
const BookBody = z.strictObject({
  eventTypeId: Id,
  resourceId: Id.optional(),
  start: Instant,
  end: Instant,
  timeZone: TimeZone,
  customer: CustomerInput,
  metadata: Metadata.optional(),
});
/** Body of `POST /appointments/:id/reschedule`. */
const RescheduleBody = z.strictObject({
  start: Instant,
  end: Instant,
  reason: z.string().max(1000).optional(),
});
/** Body of `POST /appointments/:id/cancel` (may be empty). */
const CancelBody = z.strictObject({ reason: z.string().max(1000).optional() });

const Statuses = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((status) => status.trim())
      .filter(Boolean),
  )
  .pipe(z.array(AppointmentStatus).min(1));
/** Query of `GET /appointments`. */
const ListQuery = z.strictObject({
  from: Instant.optional(),
  to: Instant.optional(),
  status: Statuses.optional(),
  eventTypeId: Id.optional(),
  cursor: z.string().min(1).max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** What a command answers: 201 (book) or 200, 202 when the calendar change was queued. */
function commandResponse(result: BookingResult, created: boolean, location?: string): Response {
  const status = result.calendar === 'queued' ? 202 : created ? 201 : 200;
  const headers: Record<string, string> = location ? { location } : {};
  return jsonResponse(status, { appointment: result.appointment, calendar: result.calendar }, { headers });
}

/**
 * Reads, validates and runs a POST under its `Idempotency-Key`, admitted by the service's
 * admission control first.
 *
 * The order is what makes overload cheap: a request is authenticated (the tenant lookup), refused
 * at once if the admission is full (`throwIfFull`, which reserves nothing), read and validated,
 * then admitted, and only then does it claim its key in the store.
 * A request refused for overload has written nothing, so its 503 costs no round trip and leaves
 * the key free for the retry; and a burst far beyond the limit costs the database nothing for the
 * requests it refuses, instead of a claim and a release each that the admitted requests would
 * queue behind for connections. The admission is the service's own and re-entrant, so the command
 * the request sends runs in the request's slot: no second slot, hence no deadlock when every slot
 * is held by a request. The price: a replay or a duplicate of a request in flight is admitted
 * like a new request (it may be refused with 503 under overload, and a duplicate waits for its
 * twin in its slot, as the service's own duplicates wait in theirs).
 */
async function idempotentCommand<S extends z.ZodType>(
  request: Request,
  context: ApiRouteContext,
  schema: S,
  emptyAsObject: boolean,
  run: (body: z.output<S>, idempotencyKey: string) => Promise<Response>,
): Promise<Response> {
  const key = idempotencyKeyOf(request);
  const { admission } = context.deps;
  // Refused at once while full, before the body is read; admitted (or refused) for good below.
  admission?.throwIfFull();
  const raw = await readJsonObject(request, { limitBytes: context.deps.limitBytes, emptyAsObject });
  const body = parseWith(schema, raw, 'request body');
  const respond = (): Promise<Response> =>
    idempotentResponse(
      context.deps.idempotency,
      { tenantId: context.caller.tenant.id, method: request.method, path: context.path, key },
      raw,
      () => run(body, key),
      context.signal,
    );
  return admission ? admission.execute(respond, { signal: context.signal }) : respond();
}

/** The fields every command from the API carries. */
function commandBase(context: ApiRouteContext, idempotencyKey: string) {
  return {
    tenantId: context.caller.tenant.id,
    origin: 'api' as const,
    actor: context.caller.actor,
    idempotencyKey,
  };
}

/** `POST /appointments` (Idempotency-Key required): books; 201 with `Location`, 202 when queued. */
export function postAppointment(request: Request, context: ApiRouteContext): Promise<Response> {
  return idempotentCommand(request, context, BookBody, false, async (body, key) => {
    const result = await context.deps.service.book(
      { ...commandBase(context, key), ...body },
      { signal: context.signal },
    );
    const location = `${context.deps.basePath}/appointments/${encodeURIComponent(result.appointment.id)}`;
    return commandResponse(result, true, location);
  });
}

/** `POST /appointments/:id/reschedule` (Idempotency-Key required). */
export function postReschedule(request: Request, id: string, context: ApiRouteContext): Promise<Response> {
  return idempotentCommand(request, context, RescheduleBody, false, async (body, key) => {
    const result = await context.deps.service.reschedule(
      { ...commandBase(context, key), target: { appointmentId: id }, ...body },
      { signal: context.signal },
    );
    return commandResponse(result, false);
  });
}

/** `POST /appointments/:id/cancel` (Idempotency-Key required; the body may be empty). */
export function postCancel(request: Request, id: string, context: ApiRouteContext): Promise<Response> {
  return idempotentCommand(request, context, CancelBody, true, async (body, key) => {
    const result = await context.deps.service.cancel(
      { ...commandBase(context, key), target: { appointmentId: id }, ...body },
      { signal: context.signal },
    );
    return commandResponse(result, false);
  });
}

/** `GET /appointments/:id`: the tenant's appointment; another tenant's is 404 like a missing one. */
export async function getAppointment(id: string, context: ApiRouteContext): Promise<Response> {
  const appointment = await context.deps.appointments.get(context.caller.tenant.id, id, {
    signal: context.signal,
  });
  if (!appointment) throw new NotFoundError({ entity: 'appointment', id });
  return jsonResponse(200, appointment);
}

/** `GET /appointments?from=&to=&status=&eventTypeId=&cursor=&limit=`: a page by start time. */
export async function listAppointments(request: Request, context: ApiRouteContext): Promise<Response> {
  const query = parseQuery(request, ListQuery);
  const page = await context.deps.appointments.list(
    context.caller.tenant.id,
    {
      limit: query.limit,
      ...(query.from ? { from: query.from } : {}),
      ...(query.to ? { to: query.to } : {}),
      ...(query.status ? { statuses: query.status } : {}),
      ...(query.eventTypeId ? { eventTypeId: query.eventTypeId } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    },
    { signal: context.signal },
  );
  return jsonResponse(200, { items: page.items, nextCursor: page.nextCursor });
}
