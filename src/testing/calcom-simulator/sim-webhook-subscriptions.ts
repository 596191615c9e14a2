import { z } from 'zod';
import { calcomTriggerEvents } from '../../calcom/webhook-schema.js';
import type { CalcomSimAccount } from './sim-accounts.js';
import { notFound, parseOr400 } from './sim-error.js';

// `/v2/webhooks` (reference §2.11): user-level subscriptions. `triggers` is an array, as in
// Cal.com's source, although the OpenAPI document types it as a string.

const Trigger = z.enum(calcomTriggerEvents.filter((trigger) => trigger !== 'PING') as [string, ...string[]]);

const CreateBody = z.object({
  subscriberUrl: z.url(),
  triggers: z.array(Trigger).min(1),
  active: z.boolean(),
  secret: z.string().optional(),
  payloadTemplate: z.string().optional(),
  version: z.literal('2021-10-20').optional(),
});
const UpdateBody = CreateBody.partial();

/** A webhook subscription of the simulated Cal.com. */
export interface CalcomSimWebhookSubscription {
  readonly id: number;
  readonly userId: number;
  readonly subscriberUrl: string;
  readonly triggers: readonly string[];
  readonly active: boolean;
  readonly secret?: string;
  readonly payloadTemplate?: string;
}

/** @internal */
export interface SimWebhookSubscriptions {
  create(account: CalcomSimAccount, body: unknown): CalcomSimWebhookSubscription;
  list(account: CalcomSimAccount, query: Readonly<Record<string, string>>): CalcomSimWebhookSubscription[];
  get(account: CalcomSimAccount, id: string): CalcomSimWebhookSubscription;
  update(account: CalcomSimAccount, id: string, body: unknown): CalcomSimWebhookSubscription;
  remove(account: CalcomSimAccount, id: string): CalcomSimWebhookSubscription;
  /** Active subscriptions of `userId` to `trigger`. */
  subscribers(userId: number, trigger: string): CalcomSimWebhookSubscription[];
  all(): CalcomSimWebhookSubscription[];
}

const PagingQuery = z.object({
  take: z.coerce.number().int().min(1).max(250).default(250),
  skip: z.coerce.number().int().min(0).default(0),
});

/**
 * `UserWebhookOutputDto`. Without a template Cal.com answers `payloadTemplate: null` (the
 * column is optional; the document says string).
 *
 * @internal
 */
export const webhookOutput = (subscription: CalcomSimWebhookSubscription): Record<string, unknown> => ({
  payloadTemplate: subscription.payloadTemplate ?? null,
  userId: subscription.userId,
  id: subscription.id,
  triggers: [...subscription.triggers],
  subscriberUrl: subscription.subscriberUrl,
  active: subscription.active,
  ...(subscription.secret === undefined ? {} : { secret: subscription.secret }),
});

/** @internal */
export function createSimWebhookSubscriptions(): SimWebhookSubscriptions {
  const subscriptions = new Map<number, CalcomSimWebhookSubscription>();
  let nextId = 0;

  const own = (account: CalcomSimAccount, id: string): CalcomSimWebhookSubscription => {
    const found = subscriptions.get(Number(id));
    if (!found || found.userId !== account.id) throw notFound(`Webhook with id ${id} not found`);
    return found;
  };

  return {
    create(account, input) {
      const body = parseOr400(CreateBody, input);
      nextId += 1;
      const subscription: CalcomSimWebhookSubscription = Object.freeze({
        id: nextId,
        userId: account.id,
        subscriberUrl: body.subscriberUrl,
        triggers: Object.freeze([...new Set(body.triggers)]),
        active: body.active,
        ...(body.secret === undefined ? {} : { secret: body.secret }),
        ...(body.payloadTemplate === undefined ? {} : { payloadTemplate: body.payloadTemplate }),
      });
      subscriptions.set(subscription.id, subscription);
      return subscription;
    },
    list(account, rawQuery) {
      const { take, skip } = parseOr400(PagingQuery, rawQuery);
      return [...subscriptions.values()].filter((s) => s.userId === account.id).slice(skip, skip + take);
    },
    get: own,
    update(account, id, input) {
      const current = own(account, id);
      const body = parseOr400(UpdateBody, input);
      const updated: CalcomSimWebhookSubscription = Object.freeze({
        ...current,
        ...Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)),
        ...(body.triggers ? { triggers: Object.freeze([...new Set(body.triggers)]) } : {}),
      });
      subscriptions.set(current.id, updated);
      return updated;
    },
    remove(account, id) {
      const current = own(account, id);
      subscriptions.delete(current.id);
      return current;
    },
    subscribers: (userId, trigger) =>
      [...subscriptions.values()].filter(
        (s) => s.userId === userId && s.active && s.triggers.includes(trigger),
      ),
    all: () => [...subscriptions.values()],
  };
}
