import { abortReason, onAbort, throwIfAborted, type OperationOptions } from '../util/abort.js';
import { checkNumberOption } from '../util/options.js';
import { PayloadTooLargeError } from './errors.js';

/** Options of {@link readBodyLimited}. */
export interface ReadBodyOptions extends OperationOptions {
  /**
   * Largest body accepted, in bytes (a whole number, 0 or more). Required: the right limit depends
   * on the route, and an unlimited read is what this function exists to prevent.
   */
  readonly limitBytes: number;
}

/** A request body read whole: the exact bytes (what signatures are computed over) and their text. */
export interface RawRequestBody {
  /** The body exactly as received. Verify signatures over these bytes. */
  readonly bytes: Uint8Array;
  /** The bytes decoded as UTF-8 (invalid sequences become U+FFFD, a leading BOM is dropped), as `Request.text()` does. */
  readonly text: string;
}

const decoder = new TextDecoder();
const DIGITS = /^\d+$/;

/**
 * Reads a request's body, refusing bodies over `limitBytes`. A `Content-Length` over the limit is
 * refused before anything is read; otherwise the bytes are counted as they stream in (a sender can
 * omit or understate `Content-Length`) and reading stops, and the stream is cancelled, as soon as
 * the count passes the limit. So an oversized body is never buffered whole.
 *
 * @throws {@link PayloadTooLargeError} when the body (declared or actual) is over the limit.
 * @throws {@link bookingkit!InvalidOptionError} when `limitBytes` is not a whole number of 0 or more.
 * @throws `TypeError` when the body was already read; `signal.reason` when `signal` aborts.
 * @example
 * ```ts
 * declare const request: Request;
 * // ---cut---
 * const { bytes, text } = await readBodyLimited(request, { limitBytes: 256 * 1024 });
 * ```
 */
export async function readBodyLimited(request: Request, options: ReadBodyOptions): Promise<RawRequestBody> {
  const limitBytes = checkNumberOption('limitBytes', options.limitBytes, { integer: true });
  const { signal } = options;
  throwIfAborted(signal);
  if (request.bodyUsed) throw new TypeError('readBodyLimited: the request body has already been read');

  const contentLength = declaredLength(request.headers.get('content-length'));
  if (contentLength !== null && contentLength > limitBytes) {
    discard(request.body);
    throw new PayloadTooLargeError({ limitBytes, contentLength, receivedBytes: 0 });
  }
  if (request.body === null) return { bytes: new Uint8Array(0), text: '' };

  const reader = request.body.getReader();
  const stopListening = onAbort(signal, () => {
    if (signal) reader.cancel(abortReason(signal)).catch(ignore);
  });
  const chunks: Uint8Array[] = [];
  let receivedBytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      throwIfAborted(signal);
      if (done) break;
      receivedBytes += value.byteLength;
      if (receivedBytes > limitBytes) {
        const error = new PayloadTooLargeError({ limitBytes, contentLength, receivedBytes });
        reader.cancel(error).catch(ignore);
        throw error;
      }
      chunks.push(value);
    }
  } finally {
    // The reader keeps its lock: nothing reads the body after this (`bodyUsed` says so). Releasing
    // it would, on Node 20, build a TypeError with a stack trace for the reader's closed promise.
    stopListening();
  }
  const bytes = concat(chunks, receivedBytes);
  return { bytes, text: decoder.decode(bytes) };
}

/** The declared `Content-Length` when it is one plain non-negative integer, else `null`. */
function declaredLength(header: string | null): number | null {
  if (header === null || !DIGITS.test(header)) return null;
  const value = Number(header);
  return Number.isSafeInteger(value) ? value : null;
}

function discard(body: ReadableStream<Uint8Array> | null): void {
  if (body && !body.locked) body.cancel().catch(ignore);
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function ignore(): void {}
