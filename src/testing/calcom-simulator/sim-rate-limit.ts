// Cal.com's throttler (reference §3, "Rate limits"): per API key (unauthenticated callers share
// a tracker here), a 60 s window, and once the limit is passed the key is blocked for 60 s.
// Every response carries the `X-RateLimit-*-Default` headers; a refusal is a 429 without
// `Retry-After` (the reset header says when to come back, in seconds).

const WINDOW_MS = 60_000;
const BLOCK_MS = 60_000;

/** What the limiter decided about one request. @internal */
export interface RateDecision {
  readonly allowed: boolean;
  readonly headers: Readonly<Record<string, string>>;
}

/** @internal */
export interface SimRateLimiter {
  hit(key: string): RateDecision;
}

/** The headers of a refusal, for a fault that pretends the limit is spent. @internal */
export const exhaustedHeaders = (limit: number, resetSeconds: number): Record<string, string> => ({
  'x-ratelimit-limit-default': String(limit),
  'x-ratelimit-remaining-default': '0',
  'x-ratelimit-reset-default': String(resetSeconds),
});

/** @internal */
export function createSimRateLimiter(limit: number, now: () => number): SimRateLimiter {
  const trackers = new Map<string, { windowStart: number; count: number; blockedUntil: number }>();
  return {
    hit(key) {
      const at = now();
      let tracker = trackers.get(key);
      if (!tracker || (at >= tracker.windowStart + WINDOW_MS && at >= tracker.blockedUntil)) {
        tracker = { windowStart: at, count: 0, blockedUntil: 0 };
        trackers.set(key, tracker);
      }
      if (at < tracker.blockedUntil) {
        return {
          allowed: false,
          headers: exhaustedHeaders(limit, Math.ceil((tracker.blockedUntil - at) / 1000)),
        };
      }
      tracker.count += 1;
      if (tracker.count > limit) {
        tracker.blockedUntil = at + BLOCK_MS;
        return { allowed: false, headers: exhaustedHeaders(limit, Math.ceil(BLOCK_MS / 1000)) };
      }
      return {
        allowed: true,
        headers: {
          'x-ratelimit-limit-default': String(limit),
          'x-ratelimit-remaining-default': String(limit - tracker.count),
          'x-ratelimit-reset-default': String(Math.ceil((tracker.windowStart + WINDOW_MS - at) / 1000)),
        },
      };
    },
  };
}
