import { signCalcomBody, calcomSignatureHeader, calcomUnsignedMarker } from '../../calcom/signature.js';
import type { CalcomSimWebhookSubscription } from './sim-webhook-subscriptions.js';

// Delivery as Cal.com's default path does it (reference §4.3-4.5): one POST per subscription,
// JSON, signed with HMAC-SHA256 over the exact body (or `no-secret-provided`), redirects not
// followed, one attempt, no delivery id. On demand: duplicates, drops, and holding deliveries to
// release them in another order.

/** One webhook delivery the simulator made (or dropped, or holds). */
export interface CalcomSimDelivery {
  /** Order in which the simulator made it, from 1 (a duplicate shares its original's). */
  readonly seq: number;
  readonly subscriptionId: number;
  readonly url: string;
  readonly triggerEvent: string;
  /** The exact body sent: verify signatures over this. */
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * `held` until released; `dropped` when a drop was asked for; then the subscriber's status, or
   * the network error's message.
   */
  readonly outcome:
    | { readonly kind: 'held' | 'dropped' | 'sending' }
    | { readonly kind: 'answered'; readonly status: number }
    | { readonly kind: 'failed'; readonly error: string };
}

/** Control over the simulator's webhook deliveries. */
export interface CalcomSimWebhookControl {
  /** Every delivery made so far, in order (duplicates included, each as its own entry). */
  readonly deliveries: readonly CalcomSimDelivery[];
  /** The next `count` deliveries are each sent `times` times in a row. @default count 1, times 2 */
  duplicateNext(count?: number, times?: number): void;
  /** The next `count` deliveries are never sent, as a lost delivery. @default 1 */
  dropNext(count?: number): void;
  /** Keeps deliveries back until {@link CalcomSimWebhookControl.release}. */
  hold(): void;
  /**
   * Sends the held deliveries, in the order made, reversed, or in the given order of their
   * positions among the held ones (0-based), and stops holding. Resolves once all were answered.
   */
  release(order?: 'made' | 'reverse' | readonly number[]): Promise<void>;
  /** Resolves once every delivery in flight has been answered or has failed. */
  settled(): Promise<void>;
}

/** @internal */
export interface SimWebhookDeliverer extends CalcomSimWebhookControl {
  /** Delivers `triggerEvent` with `payload` to each subscription. */
  deliver(
    subscriptions: readonly CalcomSimWebhookSubscription[],
    triggerEvent: string,
    payload: unknown,
  ): void;
}

type MutableDelivery = { -readonly [K in keyof CalcomSimDelivery]: CalcomSimDelivery[K] };

/** @internal */
export function createSimWebhookDeliverer(options: {
  readonly fetch: () => typeof fetch;
  readonly now: () => number;
}): SimWebhookDeliverer {
  const deliveries: MutableDelivery[] = [];
  const inFlight = new Set<Promise<void>>();
  let held: MutableDelivery[] | null = null;
  let duplicates: { count: number; times: number } = { count: 0, times: 2 };
  let drops = 0;
  let seq = 0;

  const send = (delivery: MutableDelivery): Promise<void> => {
    delivery.outcome = { kind: 'sending' };
    const sending = (async () => {
      try {
        const response = await options.fetch()(delivery.url, {
          method: 'POST',
          headers: delivery.headers,
          body: delivery.body,
          redirect: 'manual',
        });
        await response.arrayBuffer().catch(() => undefined);
        delivery.outcome = { kind: 'answered', status: response.status };
      } catch (error) {
        delivery.outcome = { kind: 'failed', error: error instanceof Error ? error.message : String(error) };
      }
    })();
    inFlight.add(sending);
    void sending.finally(() => inFlight.delete(sending));
    return sending;
  };

  const control: SimWebhookDeliverer = {
    get deliveries() {
      return deliveries;
    },
    duplicateNext(count = 1, times = 2) {
      duplicates = { count, times };
    },
    dropNext(count = 1) {
      drops = count;
    },
    hold() {
      held ??= [];
    },
    async release(order = 'made') {
      const waiting = held ?? [];
      held = null;
      const sequence =
        order === 'made'
          ? waiting
          : order === 'reverse'
            ? [...waiting].reverse()
            : order.map((at) => waiting[at]!);
      for (const delivery of sequence) await send(delivery);
    },
    async settled() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    deliver(subscriptions, triggerEvent, payload) {
      for (const subscription of subscriptions) {
        seq += 1;
        const body = JSON.stringify({
          triggerEvent,
          createdAt: new Date(options.now()).toISOString(),
          payload,
        });
        const headers = {
          'content-type': 'application/json',
          [calcomSignatureHeader]:
            subscription.secret === undefined || subscription.secret === ''
              ? calcomUnsignedMarker
              : signCalcomBody(body, subscription.secret),
          'x-cal-webhook-version': '2021-10-20',
        };
        let copies = 1;
        if (duplicates.count > 0) {
          duplicates.count -= 1;
          copies = duplicates.times;
        }
        for (let copy = 0; copy < copies; copy += 1) {
          const delivery: MutableDelivery = {
            seq,
            subscriptionId: subscription.id,
            url: subscription.subscriberUrl,
            triggerEvent,
            body,
            headers,
            outcome: { kind: 'held' },
          };
          deliveries.push(delivery);
          if (drops > 0) {
            drops -= 1;
            delivery.outcome = { kind: 'dropped' };
          } else if (held) held.push(delivery);
          else void send(delivery);
        }
      }
    },
  };
  return control;
}
