import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import { checkNumberOption } from '../../util/options.js';
import type { RetellSimDeliveryEvent, RetellSimWebhookEvent } from './sim-script.js';

/** How often an event is delivered: a count, or a count and whether the copies overlap. */
export type RetellSimDuplicates = number | { readonly times: number; readonly concurrent?: boolean };

/** Options of one play of a scripted call: Retell's delivery quirks, on demand. */
export interface RetellSimPlayOptions {
  /**
   * Delivers an event this many times (each copy signed anew at its sending), one after another,
   * or all at once with `concurrent: true`. Applies to the lifecycle webhooks and `call_inbound`.
   * @default each event once
   */
  readonly duplicates?: Partial<Record<RetellSimDeliveryEvent, RetellSimDuplicates>>;
  /**
   * Lifecycle webhooks never delivered (Retell sends no `call_started` for a call that never
   * connected, and a failed one is not resent). The call still changes as the step says.
   * @default none
   */
  readonly drop?: readonly RetellSimWebhookEvent[];
  /**
   * Holds every lifecycle webhook until the script has run (function calls included), then sends
   * them one by one: the named events first, in this order, then the rest in script order; or in
   * an order shuffled from `seed` (the same seed, the same order).
   * @default script order, each sent at its step
   */
  readonly reorder?: readonly RetellSimWebhookEvent[] | { readonly seed: number };
  /**
   * Delivers a lifecycle webhook this many milliseconds (on the simulator's clock) after its step,
   * while the script goes on, as Retell's deliveries do not block the call. Not with `reorder`.
   * @default none
   */
  readonly delays?: Partial<Record<RetellSimWebhookEvent, number>>;
  /** Waits this long on the simulator's clock before each step after the first. @default 0 */
  readonly stepDelayMs?: number;
}

const webhookEvents: readonly RetellSimWebhookEvent[] = [
  'call_started',
  'call_ended',
  'call_analyzed',
  'transcript_updated',
];
const deliveryEvents: readonly RetellSimDeliveryEvent[] = [...webhookEvents, 'call_inbound'];

/** Copies and overlap of an event's delivery. @internal */
export function copiesOf(
  options: RetellSimPlayOptions,
  event: RetellSimDeliveryEvent,
): { times: number; concurrent: boolean } {
  const value = options.duplicates?.[event];
  if (value === undefined) return { times: 1, concurrent: false };
  return typeof value === 'number'
    ? { times: value, concurrent: false }
    : { times: value.times, concurrent: value.concurrent === true };
}

/** Checks play options eagerly, naming the bad one. @internal */
export function checkPlayOptions(options: RetellSimPlayOptions): void {
  const details = { factory: 'RetellSimCallScript.play' };
  if (typeof options !== 'object' || options === null)
    throw new InvalidOptionError('options', options, 'an options object', details);
  const checkEvent = (option: string, event: unknown, allowed: readonly string[]): void => {
    if (!allowed.includes(event as string))
      throw new InvalidOptionError(option, event, `one of ${allowed.join(', ')}`, details);
  };
  for (const [event, value] of Object.entries(options.duplicates ?? {})) {
    checkEvent('duplicates', event, deliveryEvents);
    const times = typeof value === 'number' ? value : (value as { times?: unknown } | undefined)?.times;
    checkNumberOption(`duplicates.${event}`, times, { min: 1, max: 100, integer: true }, details);
  }
  for (const event of options.drop ?? []) checkEvent('drop', event, webhookEvents);
  const { reorder } = options;
  if (Array.isArray(reorder)) {
    for (const event of reorder as readonly unknown[]) checkEvent('reorder', event, webhookEvents);
  } else if (reorder !== undefined) {
    checkNumberOption('reorder.seed', (reorder as { seed?: unknown }).seed, { integer: true }, details);
  }
  for (const [event, ms] of Object.entries(options.delays ?? {})) {
    checkEvent('delays', event, webhookEvents);
    checkNumberOption(`delays.${event}`, ms, {}, details);
  }
  if (reorder !== undefined && Object.keys(options.delays ?? {}).length > 0)
    throw new InvalidOptionError('delays', options.delays, 'no delays together with reorder', details);
  if (options.stepDelayMs !== undefined) checkNumberOption('stepDelayMs', options.stepDelayMs, {}, details);
}
