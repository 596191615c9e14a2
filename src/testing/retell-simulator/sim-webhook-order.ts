import { seededRandom } from '../calcom-simulator/seeded-random.js';
import type { RetellSimWebhookEvent } from './sim-script.js';

/**
 * Puts held webhooks in the order `reorder` asks: the named events first, in that order, then
 * the rest in script order; or a Fisher-Yates shuffle drawn from `seed`.
 *
 * @internal
 */
export function reorderWebhooks<T extends { readonly event: RetellSimWebhookEvent }>(
  held: readonly T[],
  reorder: readonly RetellSimWebhookEvent[] | { readonly seed: number },
): T[] {
  if (Array.isArray(reorder)) {
    const named = reorder as readonly RetellSimWebhookEvent[];
    const first = named.flatMap((event) => held.filter((item) => item.event === event));
    return [...first, ...held.filter((item) => !named.includes(item.event))];
  }
  const random = seededRandom((reorder as { readonly seed: number }).seed);
  const order = [...held];
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
