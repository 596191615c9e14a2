import { describe, expect, it, vi } from 'vitest';
import { isPayloadTooLargeError, type PayloadTooLargeError } from './errors.js';
import { readBodyLimited } from './read-body.js';

const url = 'http://localhost/hook';

/** A body stream that produces `chunkSize`-byte chunks only when read, forever (or `chunks` times). */
function countingStream(chunkSize: number, chunks = Number.POSITIVE_INFINITY) {
  const state = { pulls: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (state.pulls >= chunks) {
          controller.close();
          return;
        }
        state.pulls += 1;
        controller.enqueue(new Uint8Array(chunkSize).fill(0x61));
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

function streamedRequest(stream: ReadableStream<Uint8Array>, headers: HeadersInit = {}): Request {
  return new Request(url, { method: 'POST', body: stream, headers, duplex: 'half' } as RequestInit);
}

async function rejection(promise: Promise<unknown>): Promise<PayloadTooLargeError> {
  try {
    await promise;
  } catch (error) {
    if (isPayloadTooLargeError(error)) return error;
    throw error;
  }
  throw new Error('expected a PayloadTooLargeError');
}

describe('readBodyLimited', () => {
  it('returns the exact bytes and their UTF-8 text', async () => {
    const bytes = new TextEncoder().encode('{"name":"José ☕"}');
    const body = await readBodyLimited(new Request(url, { method: 'POST', body: bytes }), {
      limitBytes: 100,
    });
    expect(body.bytes).toEqual(bytes);
    expect(body.text).toBe('{"name":"José ☕"}');
  });

  it('leaves the reader locked once the body is read: releasing it built an error with a stack each time', async () => {
    // On Node 20 releaseLock() rejects the reader's closed promise with a new TypeError, whose
    // stack (source-mapped, in a bundled server) cost more than the rest of a small request.
    const proto = Object.getPrototypeOf(new ReadableStream().getReader()) as ReadableStreamDefaultReader;
    const release = vi.spyOn(proto, 'releaseLock');
    try {
      const request = new Request(url, { method: 'POST', body: 'hello' });
      expect((await readBodyLimited(request, { limitBytes: 100 })).text).toBe('hello');
      expect(request.bodyUsed).toBe(true);
      expect(release).not.toHaveBeenCalled();
    } finally {
      release.mockRestore();
    }
  });

  it('accepts a body of exactly limitBytes', async () => {
    const { stream } = countingStream(10, 3);
    const body = await readBodyLimited(streamedRequest(stream), { limitBytes: 30 });
    expect(body.bytes.byteLength).toBe(30);
  });

  it('reassembles a body that arrives in many chunks', async () => {
    const { stream } = countingStream(7, 5);
    const body = await readBodyLimited(streamedRequest(stream), { limitBytes: 1_000 });
    expect(body.text).toBe('a'.repeat(35));
  });

  it('returns an empty body for a request without one', async () => {
    const body = await readBodyLimited(new Request(url), { limitBytes: 0 });
    expect(body).toEqual({ bytes: new Uint8Array(0), text: '' });
  });

  it('stops reading an endless stream without Content-Length as soon as it passes the limit', async () => {
    const { stream, state } = countingStream(100);
    const error = await rejection(readBodyLimited(streamedRequest(stream), { limitBytes: 1_000 }));
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.context).toEqual({ limitBytes: 1_000, contentLength: null, receivedBytes: 1_100 });
    expect(state.pulls).toBe(11);
    expect(state.cancelled).toBe(true);
  });

  it('refuses a declared Content-Length over the limit before reading anything', async () => {
    const { stream, state } = countingStream(100);
    const request = streamedRequest(stream, { 'content-length': '5000' });
    const error = await rejection(readBodyLimited(request, { limitBytes: 1_000 }));
    expect(error.context).toEqual({ limitBytes: 1_000, contentLength: 5_000, receivedBytes: 0 });
    expect(state.pulls).toBe(0);
    expect(state.cancelled).toBe(true);
  });

  it('does not trust an understated Content-Length', async () => {
    const { stream, state } = countingStream(100);
    const request = streamedRequest(stream, { 'content-length': '10' });
    const error = await rejection(readBodyLimited(request, { limitBytes: 250 }));
    expect(error.context).toMatchObject({ contentLength: 10, receivedBytes: 300 });
    expect(state.pulls).toBe(3);
  });

  it('refuses a fixed body over the limit', async () => {
    const request = new Request(url, { method: 'POST', body: 'x'.repeat(11) });
    const error = await rejection(readBodyLimited(request, { limitBytes: 10 }));
    expect(error.message).toBe('Request body exceeds the limit of 10 bytes: more than 10 bytes were sent');
  });

  it('refuses a body that was already read', async () => {
    const request = new Request(url, { method: 'POST', body: '{}' });
    await request.text();
    await expect(readBodyLimited(request, { limitBytes: 10 })).rejects.toThrow(TypeError);
  });

  it('stops and rejects with the reason when the signal aborts mid-body', async () => {
    const controller = new AbortController();
    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(streamController) {
          pulls += 1;
          if (pulls === 2) controller.abort(new Error('client went away'));
          else streamController.enqueue(new Uint8Array(10));
        },
      },
      { highWaterMark: 0 },
    );
    await expect(
      readBodyLimited(streamedRequest(stream), { limitBytes: 1_000, signal: controller.signal }),
    ).rejects.toThrow('client went away');
  });

  it('rejects at once for an already aborted signal', async () => {
    const request = new Request(url, { method: 'POST', body: '{}' });
    await expect(
      readBodyLimited(request, { limitBytes: 10, signal: AbortSignal.abort(new Error('gone')) }),
    ).rejects.toThrow('gone');
    expect(request.bodyUsed).toBe(false);
  });

  it.each([-1, 1.5, Number.NaN, undefined, '10'])('refuses limitBytes = %j', async (limitBytes) => {
    const request = new Request(url, { method: 'POST', body: '{}' });
    await expect(readBodyLimited(request, { limitBytes: limitBytes as number })).rejects.toThrow(
      /Option "limitBytes"/,
    );
  });
});
