import type { CalcomRecordedRequest } from './sim-exchange.js';
import { badRequest } from './sim-error.js';

/**
 * Reads a request once into the form handlers and the `validate` hook see. A body that is not
 * JSON is Cal.com's 400.
 *
 * @internal
 */
export async function recordRequest(
  request: Request,
): Promise<{ recorded: CalcomRecordedRequest; bodyError?: Error }> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
  let body: unknown;
  let bodyError: Error | undefined;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      bodyError = badRequest('Unexpected token in JSON body');
    }
  }
  return {
    recorded: {
      method: request.method.toUpperCase(),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
    },
    ...(bodyError ? { bodyError } : {}),
  };
}
