import { z } from 'zod';
import { parseWith } from '../../errors/validation-error.js';
import type { InvalidationMessage } from '../../ports/invalidation-broadcast.js';

/**
 * Wire schema of an invalidation: a tenant and at least one tag.
 *
 * @internal
 */
export const InvalidationMessageSchema = z.object({
  tenantId: z.string().min(1),
  tags: z.array(z.string().min(1)).min(1).max(1000),
});

/**
 * Checks an invalidation before it is published.
 *
 * @throws {@link ValidationError} naming the bad field.
 * @internal
 */
export function checkInvalidation(message: InvalidationMessage): InvalidationMessage {
  return parseWith(InvalidationMessageSchema, message, 'invalidation');
}
