import type { BookingKit, BookingKitStores, CalendarProvider } from 'bookingkit';
import {
  createRetellFunctionRouter,
  createRetellInboundHandler,
  createRetellWebhookHandler,
  retellTenantsFromNumbers,
  type RetellFunctionRouter,
} from 'bookingkit/retell';
import type { Config } from './config.js';

type Handler = (request: Request) => Promise<Response>;

/** Retell's three endpoints for one workspace. */
export interface RetellWorkspaceHandlers {
  readonly workspace: string;
  readonly webhook: Handler;
  readonly inbound: Handler;
  readonly functions: RetellFunctionRouter;
}

/**
 * The call webhooks, the inbound webhook and the function router of every Retell workspace the
 * tenants name. Each verifies with its own workspace's key and serves only that workspace's
 * tenants: a key of one workspace never records calls for, or books for, another's tenant.
 */
export function createRetellHandlers(
  kit: BookingKit<CalendarProvider, BookingKitStores>,
  config: Config,
): Map<string, RetellWorkspaceHandlers> {
  const workspaces = new Map<string, { apiKey: string; tenantIds: string[] }>();
  for (const { tenant, retell } of config.tenants) {
    const entry = workspaces.get(retell.workspace) ?? { apiKey: retell.apiKey, tenantIds: [] };
    entry.tenantIds.push(tenant.id);
    workspaces.set(retell.workspace, entry);
  }
  const handlers = new Map<string, RetellWorkspaceHandlers>();
  for (const [workspace, { apiKey, tenantIds }] of workspaces) {
    // The workspace comes from the route (one resolver per workspace), so the key names its tenants.
    const key = { apiKey: () => ({ apiKey, tenantIds }), routeKey: () => workspace };
    handlers.set(workspace, {
      workspace,
      webhook: createRetellWebhookHandler({ ...kit, ...key }),
      inbound: createRetellInboundHandler({ ...kit, ...key }),
      functions: createRetellFunctionRouter({
        ...kit,
        apiKey,
        resolveTenant: retellTenantsFromNumbers(kit.tenants, { tenantIds }),
      }),
    });
  }
  return handlers;
}
