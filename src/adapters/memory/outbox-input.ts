import type { OutboxMessageInput } from '../../ports/outbox-store.js';
import { requireTenantId } from '../../util/tenant-id.js';

/**
 * Checks a batch of outbox messages before any of it is appended, the same way for every adapter:
 * each message must name its tenant, so a refused batch appends nothing.
 *
 * @throws `ValidationError` naming the message, e.g. `1.tenantId`.
 * @internal
 */
export function checkOutboxInputs(messages: readonly OutboxMessageInput[]): void {
  messages.forEach((message, index) => requireTenantId(message.tenantId, `${index}.tenantId`));
}
