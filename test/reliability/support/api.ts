import { request as httpRequest } from 'node:http';
import type { TestTenant } from '../../support/processes/tenants.js';

/** An HTTP answer: status, headers and the parsed JSON body (or the text when it is not JSON). */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly text: string;
}

/** Sends a request and reads the whole answer; a network error comes back as status 0. */
export async function send(url: string, init: RequestInit = {}): Promise<Answer> {
  try {
    const response = await fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(60_000) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body, text };
  } catch (error) {
    return { status: 0, headers: new Headers(), body: null, text: (error as Error).message };
  }
}

/** A booking request for `tenant`'s 30-minute service. */
export interface BookingRequest {
  readonly start: string;
  readonly end: string;
  readonly key: string;
  readonly name?: string;
  readonly eventTypeId?: number;
}

/** `POST /api/appointments` once. */
export function book(baseUrl: string, tenant: TestTenant, request: BookingRequest): Promise<Answer> {
  return send(`${baseUrl}/api/appointments`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${tenant.apiKey}`,
      'content-type': 'application/json',
      'idempotency-key': request.key,
    },
    body: JSON.stringify({
      eventTypeId: String(request.eventTypeId ?? tenant.eventTypes[0]!.id),
      start: request.start,
      end: request.end,
      timeZone: tenant.timeZone,
      customer: { name: request.name ?? `Caller ${request.key}`, email: `${request.key}@example.com` },
    }),
  });
}

/** The Retry-After of an answer in ms (1 s when absent), at most `capMs`. */
export const retryAfterMs = (answer: Answer, capMs = 2_000): number => {
  const seconds = Number(answer.headers.get('retry-after'));
  return Math.min(capMs, Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000);
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `n` consecutive slots of `minutes` from the next whole hour a day ahead. */
export function slots(n: number, minutes = 30, daysAhead = 1): { start: string; end: string }[] {
  const first = Math.ceil(Date.now() / 3_600_000) * 3_600_000 + daysAhead * 86_400_000;
  return Array.from({ length: n }, (_, i) => {
    const start = first + i * minutes * 60_000;
    return { start: new Date(start).toISOString(), end: new Date(start + minutes * 60_000).toISOString() };
  });
}

/**
 * Sends one request on a connection of its own (node:http, no keep-alive), so that a server that
 * answers early and closes (413 before reading a large body) cannot break the next request. The
 * answer counts as soon as it arrives, even when the rest of the body could not be written; only
 * no answer at all is status 0.
 */
export function sendOnce(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
): Promise<Answer> {
  return new Promise((resolve) => {
    let answered = false;
    const request = httpRequest(
      url,
      { method: init.method, headers: init.headers, agent: false },
      (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', () => undefined);
        response.on('close', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers))
            if (typeof value === 'string') headers.set(name, value);
          resolve({ status: response.statusCode ?? 0, headers, body, text });
        });
      },
    );
    request.setTimeout(60_000, () => request.destroy(new Error('timed out after 60 s')));
    request.on('error', (error) => {
      if (!answered) resolve({ status: 0, headers: new Headers(), body: null, text: error.message });
    });
    request.end(init.body);
  });
}

/**
 * Sends one request on a connection of its own whose body the server answers before reading it
 * all (a 413, a 401): the first `firstBytes` of `body`, then, once the answer has arrived, the
 * rest, as a client still sending does. `writeError` is the error the rest met (EPIPE,
 * ECONNRESET: the server reset the connection instead of reading the rest), if any.
 */
export function sendRestAfterAnswer(
  url: string,
  init: { method: string; headers: Record<string, string>; body: string },
  firstBytes = 64 * 1024,
): Promise<Answer & { readonly writeError: string | undefined }> {
  return new Promise((resolve) => {
    const bytes = Buffer.from(init.body, 'utf8');
    let writeError: string | undefined;
    let answer: Answer = { status: 0, headers: new Headers(), body: null, text: '' };
    const chunks: Buffer[] = [];
    const request = httpRequest(
      url,
      {
        method: init.method,
        headers: { ...init.headers, 'content-length': String(bytes.length) },
        agent: false,
      },
      (response) => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(response.headers))
          if (typeof value === 'string') headers.set(name, value);
        answer = { status: response.statusCode ?? 0, headers, body: null, text: '' };
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', () => undefined);
        // The answer has come: the rest of the body goes out now.
        request.end(bytes.subarray(firstBytes));
      },
    );
    request.setTimeout(60_000, () => request.destroy(new Error('timed out after 60 s')));
    request.on('error', (error: NodeJS.ErrnoException) => (writeError ??= error.code ?? error.message));
    // Settled once the connection is gone, so that a reset meeting the rest is seen.
    request.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      resolve({ ...answer, body, text, writeError });
    });
    request.write(bytes.subarray(0, firstBytes));
  });
}
