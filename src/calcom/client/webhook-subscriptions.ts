import { z } from 'zod';
import { parseWith } from '../../errors/validation-error.js';
import type { OperationOptions } from '../../util/abort.js';
import type { CalcomCredentialsResolver } from './credentials.js';
import { CalcomWebhookSubscription, envelope } from './response-schemas.js';
import type { Transport } from './transport.js';

/** A trigger name as Cal.com spells them (`BOOKING_CREATED`); new ones pass. */
const Trigger = z.string().regex(/^[A-Z][A-Z_]*$/, 'must be a Cal.com trigger name, e.g. BOOKING_CREATED');
const Triggers = z
  .array(Trigger)
  .min(1)
  .refine((triggers) => !triggers.includes('PING'), {
    message: 'PING is sent by the dashboard, not subscribed to',
  });
const SubscriberUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/**
 * `POST /v2/webhooks`: a subscription of the API key's user. `triggers` is a list (the OpenAPI
 * document says a string; Cal.com takes an array). Leave `payloadTemplate` out: a template
 * changes the body Cal.com signs and sends.
 *
 * @example
 * ```ts
 * const subscription: CalcomCreateWebhookInput = {
 *   subscriberUrl: 'https://api.example.com/webhooks/calcom/tenant-a',
 *   triggers: ['BOOKING_CREATED', 'BOOKING_CANCELLED'],
 *   secret: 'whsec',
 * };
 * ```
 */
export const CalcomCreateWebhookInput = z.object({
  subscriberUrl: SubscriberUrl,
  triggers: Triggers,
  /** @default true */
  active: z.boolean().default(true),
  secret: z.string().min(1).optional(),
  payloadTemplate: z.string().optional(),
});
/** @see {@link CalcomCreateWebhookInput} */
export type CalcomCreateWebhookInput = z.input<typeof CalcomCreateWebhookInput>;

/**
 * `PATCH /v2/webhooks/{id}`: the fields to change.
 *
 * @example
 * ```ts
 * const change: CalcomUpdateWebhookInput = { active: false };
 * ```
 */
export const CalcomUpdateWebhookInput = z
  .object({
    subscriberUrl: SubscriberUrl.optional(),
    triggers: Triggers.optional(),
    active: z.boolean().optional(),
    secret: z.string().min(1).optional(),
    payloadTemplate: z.string().optional(),
  })
  .refine((change) => Object.keys(change).length > 0, { message: 'name at least one field to change' });
/** @see {@link CalcomUpdateWebhookInput} */
export type CalcomUpdateWebhookInput = z.input<typeof CalcomUpdateWebhookInput>;

/**
 * What {@link CalcomClient.ensureWebhookSubscription} makes true: Cal.com posts `triggers` to
 * `url`, signed with `secret` (by default the tenant's `webhookSecret` from its credentials).
 *
 * @example
 * ```ts
 * const wanted: CalcomWebhookTarget = { url: 'https://api.example.com/webhooks/calcom/rk_7f3a', triggers: ['BOOKING_CREATED', 'BOOKING_CANCELLED'] };
 * ```
 */
export const CalcomWebhookTarget = z.object({
  url: SubscriberUrl,
  triggers: Triggers,
  secret: z.string().min(1).optional(),
});
/** @see {@link CalcomWebhookTarget} */
export type CalcomWebhookTarget = z.input<typeof CalcomWebhookTarget>;

/** What {@link CalcomClient.ensureWebhookSubscription} did. */
export interface EnsuredWebhookSubscription {
  /** `created`: there was none for the URL; `updated`: one differed; `unchanged`: it was right. */
  readonly action: 'created' | 'updated' | 'unchanged';
  /** The subscription as Cal.com answered it. */
  readonly subscription: CalcomWebhookSubscription;
  /** Ids of other subscriptions to the same URL that were deleted, so nothing is delivered twice. */
  readonly removed: readonly string[];
}

/**
 * The user-level webhook subscription endpoints (`/v2/webhooks`, no `cal-api-version`).
 *
 * @example
 * ```ts
 * declare const calcom: CalcomClient;
 * // ---cut---
 * for (const subscription of await calcom.webhooks.list('tenant-a')) console.log(subscription.id, subscription.subscriberUrl);
 * ```
 */
export interface CalcomWebhookSubscriptions {
  /** `GET /v2/webhooks`, every page. */
  list(tenantId: string, options?: OperationOptions): Promise<CalcomWebhookSubscription[]>;
  /** `POST /v2/webhooks`. */
  create(
    tenantId: string,
    input: CalcomCreateWebhookInput,
    options?: OperationOptions,
  ): Promise<CalcomWebhookSubscription>;
  /** `PATCH /v2/webhooks/{id}`. */
  update(
    tenantId: string,
    id: string,
    change: CalcomUpdateWebhookInput,
    options?: OperationOptions,
  ): Promise<CalcomWebhookSubscription>;
  /** `DELETE /v2/webhooks/{id}`. */
  delete(tenantId: string, id: string, options?: OperationOptions): Promise<void>;
}

const SubscriptionAnswer = envelope(CalcomWebhookSubscription);
const SubscriptionsAnswer = envelope(z.array(CalcomWebhookSubscription));
const WebhookId = z.string().min(1).max(100);
const PAGE = 250;

/** @internal */
export function createWebhookSubscriptions(transport: Transport): CalcomWebhookSubscriptions {
  const one = (
    tenantId: string,
    operation: string,
    method: 'POST' | 'PATCH' | 'DELETE',
    id: string | null,
    body: unknown,
    options: OperationOptions,
  ): Promise<CalcomWebhookSubscription> => {
    const path =
      id === null
        ? '/v2/webhooks'
        : `/v2/webhooks/${encodeURIComponent(parseWith(WebhookId, id, 'webhook id'))}`;
    const endpoint = `${method} ${id === null ? '/v2/webhooks' : '/v2/webhooks/{webhookId}'}`;
    return transport
      .send({
        tenantId,
        operation,
        method,
        path,
        endpoint,
        group: 'webhooks',
        body,
        schema: SubscriptionAnswer,
        signal: options.signal,
      })
      .then((answer) => answer.data);
  };
  return {
    async list(tenantId, options = {}) {
      const all: CalcomWebhookSubscription[] = [];
      for (let skip = 0; ; skip += PAGE) {
        const answer = await transport.send({
          tenantId,
          operation: 'listWebhookSubscriptions',
          method: 'GET',
          path: '/v2/webhooks',
          endpoint: 'GET /v2/webhooks',
          group: 'webhooks',
          query: { take: PAGE, skip },
          schema: SubscriptionsAnswer,
          signal: options.signal,
        });
        all.push(...answer.data);
        if (answer.data.length < PAGE) return all;
      }
    },
    async create(tenantId, input, options = {}) {
      const body = parseWith(CalcomCreateWebhookInput, input, 'Cal.com webhook subscription');
      return one(tenantId, 'createWebhookSubscription', 'POST', null, body, options);
    },
    async update(tenantId, id, change, options = {}) {
      const body = parseWith(CalcomUpdateWebhookInput, change, 'Cal.com webhook subscription change');
      return one(tenantId, 'updateWebhookSubscription', 'PATCH', id, body, options);
    },
    async delete(tenantId, id, options = {}) {
      await one(tenantId, 'deleteWebhookSubscription', 'DELETE', id, undefined, options);
    },
  };
}

const sameTriggers = (a: readonly string[], b: readonly string[]): boolean => {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((trigger) => right.has(trigger));
};

/**
 * Makes a tenant's Cal.com post `triggers` to `url` with the tenant's secret: creates the
 * subscription when none points at the URL, updates it when its triggers, secret, activity or
 * template differ, and leaves it alone otherwise; further subscriptions to the same URL are
 * deleted. Running it again changes nothing. When Cal.com does not echo secrets, the secret
 * cannot be compared and is set again (a harmless update).
 *
 * @internal
 */
export async function ensureWebhookSubscription(
  webhooks: CalcomWebhookSubscriptions,
  credentials: CalcomCredentialsResolver,
  tenantId: string,
  target: CalcomWebhookTarget,
  options: OperationOptions = {},
): Promise<EnsuredWebhookSubscription> {
  const wanted = parseWith(CalcomWebhookTarget, target, 'Cal.com webhook target');
  const secret = wanted.secret ?? (await credentials.resolve(tenantId, options)).webhookSecret;
  const matching = (await webhooks.list(tenantId, options)).filter((s) => s.subscriberUrl === wanted.url);
  const [current, ...extra] = matching;
  const removed: string[] = [];
  for (const duplicate of extra) {
    await webhooks.delete(tenantId, duplicate.id, options);
    removed.push(duplicate.id);
  }
  const secretPart = secret === '' ? {} : { secret };
  if (current === undefined) {
    const subscription = await webhooks.create(
      tenantId,
      { subscriberUrl: wanted.url, triggers: wanted.triggers, active: true, ...secretPart },
      options,
    );
    return { action: 'created', subscription, removed };
  }
  const secretKnown = current.secret !== undefined && current.secret !== null;
  const right =
    current.active &&
    sameTriggers(current.triggers, wanted.triggers) &&
    (current.payloadTemplate ?? '') === '' &&
    (secret === '' ? !secretKnown || current.secret === '' : secretKnown && current.secret === secret);
  if (right) return { action: 'unchanged', subscription: current, removed };
  const subscription = await webhooks.update(
    tenantId,
    current.id,
    {
      triggers: wanted.triggers,
      active: true,
      ...(current.payloadTemplate ? { payloadTemplate: '' } : {}),
      ...secretPart,
    },
    options,
  );
  return { action: 'updated', subscription, removed };
}
