/**
 * Headers every REST answer carries: no MIME sniffing, no caching (answers hold tenant data), no
 * framing and no active content should a browser ever render one, no referrer.
 */
export const apiSecurityHeaders: Readonly<Record<string, string>> = Object.freeze({
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
});

/**
 * Adds {@link apiSecurityHeaders} to a response, keeping any of them it already sets. Answers the
 * same `Response` when its headers can be changed, a copy when they are immutable (e.g. a
 * `Response` from `fetch`).
 *
 * @example
 * ```ts
 * const answer = withSecurityHeaders(Response.json({ ok: true }));
 * answer.headers.get('x-content-type-options'); // 'nosniff'
 * ```
 */
export function withSecurityHeaders(response: Response): Response {
  let target = response;
  try {
    setMissing(target.headers);
  } catch {
    target = new Response(response.body, response);
    setMissing(target.headers);
  }
  return target;
}

function setMissing(headers: Headers): void {
  for (const [name, value] of Object.entries(apiSecurityHeaders)) {
    if (!headers.has(name)) headers.set(name, value);
  }
}
