import type { RetellSimDeliveryEvent } from './sim-script.js';

/** A response as the simulator received it. */
export interface RetellSimResponse {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as text (`''` without one). */
  readonly text: string;
  /** The body parsed as JSON; the text when it is not JSON; `undefined` when empty. */
  readonly body: unknown;
}

/** One request the simulator sent, and what came back. */
export interface RetellSimExchange {
  /** Order of sending, from 1, over the whole call. */
  readonly seq: number;
  readonly kind: 'inbound' | 'webhook' | 'function';
  /** The event delivered; `undefined` for a function call. */
  readonly event?: RetellSimDeliveryEvent;
  /** The function called; `undefined` for a webhook. */
  readonly name?: string;
  /** 1 for the first sending; 2 and more for a duplicate or a retry of the same body. */
  readonly attempt: number;
  /** The URL sent to (for a handler target, a placeholder on `retell.simulator.invalid`). */
  readonly url: string;
  /** The simulator's now when it was sent (the signed timestamp). */
  readonly sentAt: number;
  /** Header names in lower case; `x-retell-signature` among them. */
  readonly headers: Readonly<Record<string, string>>;
  /** The exact body sent: verify signatures over this. */
  readonly body: string;
  /** The body, parsed. */
  readonly payload: unknown;
  /** What came back; `null` until answered, or when the target threw or the network failed. */
  readonly response: RetellSimResponse | null;
  /** Why no response came (the thrown error's message); `null` otherwise. */
  readonly error: string | null;
  /** The simulator's now when the answer (or the error) came; `null` while pending. */
  readonly answeredAt: number | null;
}

/** @internal */
export type MutableExchange = { -readonly [K in keyof RetellSimExchange]: RetellSimExchange[K] };

/** Reads a response once into its recorded form. @internal */
export async function recordResponse(response: Response): Promise<RetellSimResponse> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  const text = await response.text();
  let body: unknown = text === '' ? undefined : text;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: Retell passes any body on as text, and so the record keeps the text.
    }
  }
  return { status: response.status, headers, text, body };
}

/** Whether an exchange was answered with a 2xx status. @internal */
export function answeredOk(exchange: RetellSimExchange): boolean {
  return exchange.response !== null && exchange.response.status >= 200 && exchange.response.status < 300;
}
