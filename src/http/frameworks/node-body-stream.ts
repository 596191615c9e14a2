import type { Readable } from 'node:stream';

/**
 * A Node request body as a web stream, read as the handler pulls it. Not `Readable.toWeb`: when a
 * handler stops reading early (a 413 for an oversized body), Node 20's adapter still enqueues the
 * chunks that arrive and throws "Controller is already closed" outside any handler, which ends the
 * process. Once cancelled, this stream drains the rest of the body and drops it.
 *
 * @internal
 */
export function nodeBodyStream(req: Readable): ReadableStream<Uint8Array> {
  let done = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Buffer) => {
        if (done) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 1) <= 0) req.pause();
      });
      req.once('end', () => {
        if (done) return;
        done = true;
        controller.close();
      });
      req.once('error', (error) => {
        if (done) return;
        done = true;
        controller.error(error);
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      done = true;
      req.resume();
    },
  });
}
