import type { ServerResponse } from 'node:http';

/**
 * Writes a fetch `Response` to a Node response: status, headers (each `Set-Cookie` on its own),
 * and the body streamed chunk by chunk, waiting for `drain` when the socket is full. A body that
 * fails mid-stream destroys the response, so the client sees a broken answer rather than a
 * truncated one that looks complete. `end` ends the response once its body is written (by default
 * `res.end()`; an early answer waits for the rest of the request body first).
 *
 * @internal
 */
export async function writeFetchResponse(
  response: Response,
  res: ServerResponse,
  method: string,
  end: () => void = () => res.end(),
): Promise<void> {
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);

  if (response.body === null || method === 'HEAD') {
    await response.body?.cancel();
    end();
    return;
  }
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) {
        await reader.cancel();
        return;
      }
      if (!res.write(value))
        await new Promise<void>((resolve) => res.once('drain', resolve).once('close', resolve));
    }
    end();
  } catch (error) {
    res.destroy(error instanceof Error ? error : new Error(String(error)));
  }
  // The reader is not released: nothing reads the body after this, and on Node 20 a release makes
  // a TypeError (and its stack trace) per response to reject the reader's `closed` promise with.
}
