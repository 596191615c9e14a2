import { z } from 'zod';
import { Id, Instant } from '../../domain/common.js';
import { NotFoundError } from '../../errors/store-errors.js';
import { parseWith } from '../../errors/validation-error.js';
import type { OutboxMessage } from '../../ports/outbox-store.js';
import { jsonResponse } from '../json-response.js';
import type { AdminRouteContext } from './admin-api-options.js';
import { parseQuery, readJsonObject } from './json-request.js';

const DeadLetterQuery = z.strictObject({
  listener: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const ReplayBody = z.strictObject({ ids: z.array(Id).min(1).max(100) });
const ReconcileBody = z
  .strictObject({ from: Instant, to: Instant, dryRun: z.boolean().default(true) })
  .refine((body) => Date.parse(body.to) > Date.parse(body.from), {
    message: 'must be after from',
    path: ['to'],
  });

/** A dead letter as the admin API shows it: times as ISO, the event as JSON when it parses. */
function view(message: OutboxMessage) {
  let event: unknown = message.payload;
  try {
    event = JSON.parse(message.payload) as unknown;
  } catch {
    // Shown as stored: a payload that does not parse is what an operator needs to see.
  }
  return {
    id: message.id,
    eventId: message.eventId,
    eventType: message.eventType,
    listener: message.listener,
    attempts: message.attempts,
    lastError: message.lastError,
    createdAt: new Date(message.createdAt).toISOString(),
    event,
  };
}

/** `GET /dead-letters?listener=&limit=`: the tenant's dead-lettered messages, oldest first. */
export async function listDeadLetters(request: Request, context: AdminRouteContext): Promise<Response> {
  const query = parseQuery(request, DeadLetterQuery);
  const messages = await context.deps.outbox.list({
    status: 'dead',
    tenantId: context.caller.tenant.id,
    limit: query.limit,
    ...(query.listener ? { listener: query.listener } : {}),
    signal: context.signal,
  });
  return jsonResponse(200, { items: messages.map(view) });
}

/**
 * `POST /dead-letters/replay` (`{ ids }`) and `POST /dead-letters/:id/replay`: moves the tenant's
 * dead letters back to pending for the relay. All or nothing: an id that is not one of the
 * tenant's dead letters (unknown, another tenant's, or no longer dead) is a 404 and nothing moves.
 */
export async function replayDeadLetters(
  request: Request,
  context: AdminRouteContext,
  id: string | undefined,
): Promise<Response> {
  const ids =
    id === undefined
      ? parseWith(
          ReplayBody,
          await readJsonObject(request, { limitBytes: context.deps.limitBytes }),
          'request body',
        ).ids
      : [id];
  const dead = await context.deps.outbox.list({
    status: 'dead',
    tenantId: context.caller.tenant.id,
    limit: context.deps.replayScanLimit,
    signal: context.signal,
  });
  const owned = new Set(dead.map((message) => message.id));
  const unknown = ids.find((candidate) => !owned.has(candidate));
  if (unknown !== undefined) throw new NotFoundError({ entity: 'dead letter', id: unknown });
  const replayed = await context.deps.outbox.replay([...new Set(ids)], {
    now: context.deps.clock.now(),
    signal: context.signal,
  });
  return jsonResponse(200, { replayed });
}

/** `POST /reconcile` (`{ from, to, dryRun = true }`): runs the reconciliation given in the options. */
export async function postReconcile(request: Request, context: AdminRouteContext): Promise<Response> {
  const reconcile = context.deps.reconcile;
  if (!reconcile) throw new NotFoundError({ entity: 'route', id: `${context.deps.basePath}/reconcile` });
  const body = parseWith(
    ReconcileBody,
    await readJsonObject(request, { limitBytes: context.deps.limitBytes }),
    'request body',
  );
  const report = await reconcile({ tenantId: context.caller.tenant.id, ...body }, { signal: context.signal });
  return jsonResponse(200, report ?? null);
}

/**
 * `DELETE /customers/:id`: erases the personal data of the key's tenant's customer (see
 * `eraseCustomer`) and answers what was erased (counts); 404 for an unknown customer or another
 * tenant's, and when no `eraseCustomer` was given.
 */
export async function deleteCustomer(context: AdminRouteContext, id: string): Promise<Response> {
  const erase = context.deps.eraseCustomer;
  if (!erase) throw new NotFoundError({ entity: 'route', id: `${context.deps.basePath}/customers/:id` });
  const result = await erase(context.caller.tenant.id, id, {
    signal: context.signal,
    origin: 'admin',
    actor: { type: 'staff' },
  });
  return jsonResponse(200, result);
}
