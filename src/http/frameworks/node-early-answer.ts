import type { IncomingMessage, ServerResponse } from 'node:http';

/** How much of an unread request body is read and dropped after an early answer. @internal */
export interface EarlyAnswerLimits {
  /** Most body bytes read and dropped; past them, the connection is closed. @default 16 MiB */
  readonly maxBytes?: number;
  /** Longest wait for the rest of the body, in ms; past it, the connection is closed. @default 10_000 */
  readonly maxMs?: number;
}

const MAX_BYTES = 16 * 1024 * 1024;
const MAX_MS = 10_000;
/** An early answer's body up to this size is sent with a `Content-Length`. */
const SIZED_BODY_BYTES = 64 * 1024;

/**
 * Whether the handler answered before the whole request body arrived: a 413 for a body over its
 * limit, a 401 before reading anything. The client is then still sending.
 *
 * @internal
 */
export const answeredEarly = (req: IncomingMessage): boolean =>
  // `complete` is Node's own flag; a request stand-in without it (fastify.inject) is not waited for.
  req.complete === false && !req.destroyed;

/**
 * An early answer whose body fits in {@link SIZED_BODY_BYTES}, read whole and given a
 * `Content-Length`: the client can then read all of it while it still sends its body (a chunked
 * answer ends only with its last chunk, which is written once the body is in). A larger body is
 * passed on as it is.
 *
 * @internal
 */
export async function sizedEarlyAnswer(response: Response): Promise<Response> {
  if (response.body === null || response.headers.has('content-length')) return response;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > SIZED_BODY_BYTES) {
      // Too large to hold: the chunks read so far, then the rest of the stream.
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(chunk);
        },
        async pull(controller) {
          const next = await reader.read();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        },
        cancel: (reason) => reader.cancel(reason),
      });
      return new Response(body, response);
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  const headers = new Headers(response.headers);
  headers.set('content-length', String(size));
  return new Response(bytes, { status: response.status, statusText: response.statusText, headers });
}

/**
 * Ends `res`, an answer given before `req`'s body was read whole, once the rest of the body has
 * been read and dropped (up to `limits`). Node closes a connection whose request said
 * `Connection: close` as soon as the answer is written; body bytes still arriving then make the
 * kernel reset it, and a client still writing its body loses the answer it had not read yet
 * (`EPIPE`). Reading the rest first lets the connection close cleanly (or serve the next request,
 * when kept alive). Past `limits` (or a declared length over them), the answer is ended and the
 * connection closed: the client may then miss the answer.
 *
 * @internal
 */
export function endAfterBody(
  req: IncomingMessage,
  res: ServerResponse,
  limits: EarlyAnswerLimits = {},
): void {
  const maxBytes = limits.maxBytes ?? MAX_BYTES;
  const socket = req.socket;
  const declared = Number(req.headers['content-length']);
  if (!answeredEarly(req)) {
    res.end();
    return;
  }
  let dropped = 0;
  let finished = false;
  const finish = (close: boolean) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    req.off('data', onData).off('end', onEnd).off('error', onEnd).off('close', onEnd);
    // Past the bound: end the answer, then close the connection rather than read on.
    if (close) res.end(() => socket?.destroy());
    else res.end();
  };
  const onData = (chunk: Buffer) => {
    dropped += chunk.byteLength;
    if (dropped > maxBytes) finish(true);
  };
  const onEnd = () => finish(false);
  const timer = setTimeout(() => finish(true), limits.maxMs ?? MAX_MS);
  timer.unref();
  if (Number.isFinite(declared) && declared > maxBytes) {
    finish(true);
    return;
  }
  req.on('data', onData).once('end', onEnd).once('error', onEnd).once('close', onEnd);
  req.resume();
}
