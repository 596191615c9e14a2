import type { RequestHandler } from 'express';
import type { RateLimiter } from 'bookingkit/calcom';
import { toExpress } from 'bookingkit/http';
import type { Logger as PinoLogger } from 'pino';

/** A sliding-window limiter (`createMemoryRateLimiter`, or `createRedisRateLimiter` shared by instances). */
export type WebhookRateLimiter = Pick<RateLimiter, 'take'>;

/**
 * Limits the webhook routes per route key (the Cal.com route key, or `retell`) and client address:
 * a sender over the limit gets 429 with `Retry-After` (whole seconds) before its body is read, and
 * other route keys and addresses are not held back by it. A limiter that fails (Redis down) lets the
 * request through: losing a webhook costs more than serving a burst.
 */
export function webhookRateLimit(
  limiter: WebhookRateLimiter,
  routeOf: (params: Record<string, string | undefined>) => string,
  logger: PinoLogger,
): RequestHandler {
  return (req, res, next) => {
    const key = `${routeOf(req.params as Record<string, string | undefined>)}:${req.ip ?? req.socket.remoteAddress ?? '?'}`;
    limiter.take(key).then(
      ({ allowed, retryAfterMs }) => {
        if (allowed) return next();
        const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
        const tooMany = new Response(
          JSON.stringify({
            type: 'about:blank',
            title: 'Too Many Requests',
            status: 429,
            detail: `Too many webhook requests from this address for this route; retry in ${seconds} s.`,
          }),
          {
            status: 429,
            headers: { 'content-type': 'application/problem+json', 'retry-after': String(seconds) },
          },
        );
        // Through toExpress, which drains the unread body before closing, so the sender reads the 429.
        toExpress(async () => tooMany)(req, res, next);
      },
      (error: unknown) => {
        logger.warn({ err: error }, 'webhook rate limiter failed; request let through');
        next();
      },
    );
  };
}
