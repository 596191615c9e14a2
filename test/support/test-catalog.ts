import { z } from 'zod';
import { defineEventCatalog } from '../../src/events/catalog.js';

/**
 * A small catalog for the event block's own tests.
 *
 * Not part of the package.
 */
export const testCatalog = defineEventCatalog({
  'order.placed': z.object({ orderId: z.string(), totalCents: z.number().int().nonnegative() }),
  'order.shipped': z.object({ orderId: z.string(), carrier: z.string().default('post') }),
  'order.cancelled': {
    schema: z.object({ orderId: z.string(), reason: z.string(), refundCents: z.number().int() }),
    version: 3,
    upcasters: {
      1: (data) => ({ ...(data as object), reason: 'unspecified' }),
      2: (data) => ({ ...(data as object), refundCents: 0 }),
    },
  },
});

/** Envelope metadata for order `id` in the test catalog. */
export function orderMeta(id: string, extra: Record<string, unknown> = {}) {
  return { tenantId: 'tenant-a', aggregateType: 'order', aggregateId: id, ...extra };
}
