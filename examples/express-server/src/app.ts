import express, { type Express, type Request as ExpressRequest, type RequestHandler } from 'express';
import { admissionGate, toExpress, type ApiHandler, type FetchHandler } from 'bookingkit/http';
import type { Policy } from 'bookingkit';
import type { Logger as PinoLogger } from 'pino';
import { requestLog } from './logging.js';
import { webhookRateLimit, type WebhookRateLimiter } from './rate-limit.js';
import type { Readiness } from './readiness.js';
import type { RetellWorkspaceHandlers } from './retell.js';

export interface AppParts {
  readonly logger: PinoLogger;
  readonly calcomWebhooks: FetchHandler;
  readonly retell: ReadonlyMap<string, RetellWorkspaceHandlers>;
  readonly readiness: Readiness;
  /** The REST API (`/api`) and the admin API (`/admin`), by tenant API key. */
  readonly api: ApiHandler;
  readonly admin: ApiHandler;
  /** The booking service's admission control (`kit.admission`): full, the API's commands get 503 at once. */
  readonly admission: Policy | undefined;
  /** Limits the webhook routes per route key and client address; null: no limit. */
  readonly webhookLimiter: WebhookRateLimiter | null;
  /** `GET /metrics`: OpenTelemetry metrics in the Prometheus text format (see metrics.ts). */
  readonly metrics?: FetchHandler;
}

/** An RFC 9457 problem response. */
const problem = (status: number, title: string, detail: string) =>
  new Response(JSON.stringify({ type: 'about:blank', title, status, detail }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
const notFound = (detail: string) => problem(404, 'Not Found', detail);

/**
 * The Express app. No body parser runs before the webhook and function routes: their handlers read
 * the raw body themselves (size-limited) and verify signatures over its exact bytes.
 */
export function createApp(parts: AppParts): Express {
  const { logger, retell } = parts;
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLog(logger));

  // Webhooks are limited per route key and client address before their bodies are read.
  const limited = (routeOf: (params: Record<string, string | undefined>) => string): RequestHandler =>
    parts.webhookLimiter
      ? webhookRateLimit(parts.webhookLimiter, routeOf, logger)
      : (_req, _res, next) => next();
  app.post(
    '/webhooks/calcom/:routeKey',
    limited((params) => `calcom:${params.routeKey ?? ''}`),
    toExpress(parts.calcomWebhooks),
  );
  // `Authorization: Bearer <tenant API key>`; one tenant's key never reaches another's data.
  // Under overload a command is refused (503) before its request is built, read or authenticated.
  app.use(
    parts.api.basePath,
    admissionGate(parts.admission),
    toExpress((request) => parts.api.handle(request)),
  );
  app.use(
    parts.admin.basePath,
    toExpress((request) => parts.admin.handle(request)),
  );

  // Retell: one workspace is reached without a name; several each under `/:workspace`.
  // The call webhooks are rate-limited; inbound and functions answer a caller on the line.
  const retellRoute = (
    path: string,
    pick: (handlers: RetellWorkspaceHandlers) => FetchHandler,
    limit = false,
  ) => {
    const route = (req: ExpressRequest, res: express.Response, next: express.NextFunction) =>
      toExpress(workspaceRoute(req, pick))(req, res, next);
    if (limit)
      app.post(
        path,
        limited((params) => `retell:${params.workspace ?? ''}`),
        route,
      );
    else app.post(path, route);
  };
  const workspaceRoute =
    (req: ExpressRequest, pick: (handlers: RetellWorkspaceHandlers) => FetchHandler): FetchHandler =>
    (request) => {
      const named = (req.params as { workspace?: string }).workspace;
      const handlers =
        named === undefined ? (retell.size === 1 ? [...retell.values()][0] : undefined) : retell.get(named);
      return handlers ? pick(handlers)(request) : Promise.resolve(notFound('Unknown Retell workspace'));
    };
  retellRoute('/webhooks/retell{/:workspace}', (h) => h.webhook, true);
  retellRoute('/retell/inbound{/:workspace}', (h) => h.inbound);
  // The router dispatches on the body's `name`; the name in the path is for logs and dashboards.
  retellRoute('/retell/functions/:name', (h) => h.functions);
  retellRoute('/retell/functions/:workspace/:name', (h) => h.functions);

  // Liveness and readiness (storage, Redis, the calendar breaker, the outbox lag).
  app.get(
    ['/health', '/ready'],
    toExpress((request) => parts.readiness.handle(request)),
  );

  if (parts.metrics) app.get('/metrics', toExpress(parts.metrics));

  // Answered through toExpress like every route, so a body left unread is drained before the
  // connection closes and a client still sending reads the answer.
  app.use((req, res, next) => {
    toExpress(async () => notFound(`No route for ${req.method} ${req.path}`))(req, res, next);
  });
  app.use((error: unknown, req: ExpressRequest, res: express.Response, next: express.NextFunction) => {
    logger.error({ err: error }, 'unhandled error');
    if (res.headersSent) return void res.destroy();
    toExpress(async () => problem(500, 'Internal Server Error', 'The server could not answer.'))(
      req,
      res,
      next,
    );
  });
  return app;
}
