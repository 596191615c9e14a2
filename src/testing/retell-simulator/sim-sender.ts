import type { Clock } from '../../ports/clock.js';
import { retellSignatureHeader, signRetellBody } from '../../retell/signature.js';
import { recordResponse, type MutableExchange, type RetellSimExchange } from './sim-exchange.js';
import type { RetellSimTarget } from './retell-simulator-options.js';
import type { RetellSimDeliveryEvent } from './sim-script.js';

/** Base of the URLs given to in-process handlers, which have no address of their own. */
const handlerBase = 'https://retell.simulator.invalid/';

/** What one sending carries. @internal */
export interface SimSending {
  readonly kind: RetellSimExchange['kind'];
  readonly event?: RetellSimDeliveryEvent;
  readonly name?: string;
  readonly attempt: number;
  readonly target: RetellSimTarget;
  /** Path of the placeholder URL when the target is a handler, e.g. `webhook`. */
  readonly handlerPath: string;
  readonly body: string;
}

/** Signs and sends requests, recording each as an exchange. @internal */
export interface SimSender {
  /** Every exchange, in the order sent. */
  readonly exchanges: readonly RetellSimExchange[];
  /**
   * Sends now: the handler is called (or the fetch started) before this returns, so a later
   * sending overlaps it. Resolves with the exchange once answered; never rejects.
   */
  send(sending: SimSending): Promise<RetellSimExchange>;
}

/** @internal */
export function createSimSender(options: {
  readonly apiKey: string;
  readonly clock: Clock;
  readonly fetch: () => typeof fetch;
}): SimSender {
  const { apiKey, clock } = options;
  const exchanges: MutableExchange[] = [];

  const send = async (sending: SimSending): Promise<RetellSimExchange> => {
    const { target, body } = sending;
    const url =
      typeof target === 'function' ? new URL(sending.handlerPath, handlerBase).href : String(target);
    const sentAt = clock.now();
    const headers = {
      'content-type': 'application/json',
      [retellSignatureHeader]: signRetellBody(body, apiKey, { now: sentAt }),
    };
    const exchange: MutableExchange = {
      seq: exchanges.length + 1,
      kind: sending.kind,
      ...(sending.event === undefined ? {} : { event: sending.event }),
      ...(sending.name === undefined ? {} : { name: sending.name }),
      attempt: sending.attempt,
      url,
      sentAt,
      headers,
      body,
      payload: JSON.parse(body),
      response: null,
      error: null,
      answeredAt: null,
    };
    exchanges.push(exchange);
    const init = { method: 'POST', headers, body };
    try {
      // Called synchronously (no await before it), so the request is under way when send returns.
      const response = await (typeof target === 'function'
        ? target(new Request(url, init))
        : options.fetch()(url, init));
      exchange.response = await recordResponse(response);
    } catch (error) {
      exchange.error = error instanceof Error ? error.message : String(error);
    }
    exchange.answeredAt = clock.now();
    return exchange;
  };

  return { exchanges, send };
}
