import { observeWebhook } from '../../observability/webhook-request.js';
import { LRUCache } from 'lru-cache';
import { isBookingKitError } from '../../errors/booking-kit-error.js';
import { problemResponse } from '../../http/problem.js';
import { createWebhookHandler, type WebhookContext } from '../../http/webhook-handler.js';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import { UnknownTenantError } from '../../tenancy/errors.js';
import { checkFunctionOption, numberOption, requireOption } from '../../util/options.js';
import { defaultRetellToleranceMs } from '../signature.js';
import { retellWebhookVerifier } from '../verifier.js';
import { parseRetellWebhook, type RetellWebhook } from '../webhook.js';
import {
  createKeySource,
  lastPathSegment,
  type ResolvedWorkspace,
  type RetellApiKey,
} from './workspace-keys.js';

/** Options every Retell endpoint takes: where its key comes from, limits, clock and logger. */
export interface RetellEndpointOptions {
  /**
   * The API key with the webhook badge of the one workspace that serves every tenant, or a
   * resolver from the route key in the URL to the key of its workspace (several workspaces), or to
   * a `RetellWorkspace` that also names the tenants it carries (workspaces of different parties).
   */
  readonly apiKey: RetellApiKey;
  /**
   * Reads the route key from a request; used only with a resolver as `apiKey`.
   * @default the last segment of the URL path (`/webhooks/retell/:routeKey`)
   */
  readonly routeKey?: (request: Request) => string | null | undefined;
  /** How long a resolved workspace key is cached, ms; `0` resolves every request. @default 60_000 */
  readonly keyCacheTtlMs?: number;
  /** Largest accepted distance between now and the signed timestamp, ms. @default 300_000 */
  readonly toleranceMs?: number;
  /** Largest body accepted, bytes. @default 4_194_304 (4 MiB: transcripts with word timings) */
  readonly limitBytes?: number;
}

/** The checked common options and what the endpoint is made of. @internal */
export interface RetellEndpointParts {
  readonly factory: string;
  /** The endpoint in metrics and spans (`bookingkit.webhook.source`). */
  readonly source: 'retell' | 'retell_inbound';
  readonly clock: Clock;
  readonly logger: Logger;
  readonly handle: (
    webhook: RetellWebhook,
    context: WebhookContext & { readonly workspace: ResolvedWorkspace },
  ) => Promise<Response>;
}

const KEY_HANDLERS = 100;

/**
 * Builds a Retell endpoint: finds the workspace key (an unknown route key: 404, before the body
 * is read), then through `createWebhookHandler` reads the body under the limit (413), verifies
 * `x-retell-signature` with that key (401), parses with `parseRetellWebhook` (400) and calls
 * `handle`.
 *
 * @throws {@link bookingkit!InvalidOptionError} naming the factory and the option.
 * @internal
 */
export function createRetellEndpoint(
  options: RetellEndpointOptions,
  parts: RetellEndpointParts,
): (request: Request) => Promise<Response> {
  const { factory, clock, logger, handle } = parts;
  const details = { factory };
  const apiKey = requireOption(
    factory,
    options,
    'apiKey',
    'the Retell API key with the webhook badge, or a function from route key to it',
    (value) => (typeof value === 'string' && value !== '') || typeof value === 'function',
  );
  checkFunctionOption('routeKey', options.routeKey, false, details);
  const whole = { integer: true };
  const ttlMs = numberOption('keyCacheTtlMs', options.keyCacheTtlMs, 60_000, whole, details);
  const toleranceMs = numberOption(
    'toleranceMs',
    options.toleranceMs,
    defaultRetellToleranceMs,
    whole,
    details,
  );
  const limitBytes = numberOption('limitBytes', options.limitBytes, 4 * 1024 * 1024, whole, details);
  const keyOf = createKeySource({
    apiKey,
    routeKey: options.routeKey ?? lastPathSegment,
    ttlMs,
    max: 1_000,
    clock,
  });

  // The workspace each request came through, for `handle` (which the generic handler calls with
  // the request only).
  const workspaces = new WeakMap<Request, ResolvedWorkspace>();
  const handleIn = (webhook: RetellWebhook, context: WebhookContext): Promise<Response> =>
    handle(webhook, { ...context, workspace: workspaces.get(context.request)! });

  // One generic handler per workspace key: its verifier holds the key.
  const handlers = new LRUCache<string, (request: Request) => Promise<Response>>({ max: KEY_HANDLERS });
  const handlerFor = (key: string) => {
    let handler = handlers.get(key);
    if (!handler) {
      handler = createWebhookHandler({
        verify: retellWebhookVerifier(key, { clock, toleranceMs }),
        parse: parseRetellWebhook,
        limitBytes,
        logger,
        handle: handleIn,
      });
      handlers.set(key, handler);
    }
    return handler;
  };

  return (request) => observeWebhook(parts.source, request, () => respond(request));
  async function respond(request: Request): Promise<Response> {
    let found: Awaited<ReturnType<typeof keyOf>>;
    try {
      found = await keyOf(request);
    } catch (error) {
      const response = problemResponse(error);
      const code = isBookingKitError(error) ? error.code : undefined;
      logger.error({ err: error, stage: 'route', code }, 'Retell workspace key lookup failed');
      return response;
    }
    if ('unknownRoute' in found) {
      logger.warn(
        { stage: 'route', routeKey: found.unknownRoute },
        'Retell webhook for an unknown route refused',
      );
      return problemResponse(new UnknownTenantError({ by: 'routeKey', value: found.unknownRoute }));
    }
    workspaces.set(request, found.workspace);
    return handlerFor(found.workspace.apiKey)(request);
  }
}
