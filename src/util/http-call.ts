/** One HTTP exchange with a vendor's API: what {@link httpCall} sends. @internal */
export interface HttpCall {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** The whole URL, query included. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Sent as JSON (`content-type: application/json`) when defined. */
  readonly json?: unknown;
  /** The caller's signal: its abort ends the exchange with the caller's reason. */
  readonly signal?: AbortSignal | undefined;
}

/** The answer of {@link httpCall}: the response and its whole body as text. @internal */
export interface HttpAnswer {
  readonly response: Response;
  readonly text: string;
}

/** How {@link httpCall} sends. @internal */
export interface HttpCallOptions {
  /** The `fetch` to send with; `undefined` reads `globalThis.fetch` at each call. */
  readonly fetch: typeof fetch | undefined;
  /** Time limit of the exchange (the response and its body), ms; `0` for none. */
  readonly timeoutMs: number;
  /** Who did not answer, for the timeout's message (`'Cal.com'`, `'Retell'`). */
  readonly service: string;
}

/** The error a timed-out exchange rejects with: named `TimeoutError`, as `AbortSignal.timeout` names it. */
function timeoutError(service: string, timeoutMs: number): DOMException {
  return new DOMException(`${service} did not answer within ${timeoutMs} ms`, 'TimeoutError');
}

/**
 * Sends one request with `fetch` and reads its body, within the time limit. It builds one
 * `Request` (inside `fetch`), no copy for retries (the transport retries by calling again), and
 * one abort controller only when there is a time limit; a caller's signal is followed with a
 * listener rather than a combined signal. The limit covers the body too, so a response whose body
 * stalls cannot hang the caller.
 *
 * @throws the caller's abort reason; a `TimeoutError`; whatever `fetch` or the body read threw.
 * @internal
 */
export async function httpCall(call: HttpCall, options: HttpCallOptions): Promise<HttpAnswer> {
  const send = options.fetch ?? globalThis.fetch;
  const { signal } = call;
  const init: RequestInit = { method: call.method, headers: call.headers };
  if (call.json !== undefined) {
    init.headers = { ...call.headers, 'content-type': 'application/json' };
    init.body = JSON.stringify(call.json);
  }
  if (options.timeoutMs === 0) {
    if (signal) init.signal = signal;
    const response = await send(call.url, init);
    return { response, text: await response.text() };
  }
  signal?.throwIfAborted();
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(timeoutError(options.service, options.timeoutMs)),
    options.timeoutMs,
  );
  const onAbort = (): void => controller.abort(signal!.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  init.signal = controller.signal;
  try {
    const response = await send(call.url, init);
    return { response, text: await response.text() };
  } catch (error) {
    // Some fetches reject with their own AbortError: the reason the controller was aborted with
    // (the time limit or the caller's) is what happened.
    throw controller.signal.aborted ? controller.signal.reason : error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
