import { signRetellBody } from '../../../src/retell/signature.js';
import type { TestTenant } from '../../support/processes/tenants.js';
import { send, type Answer } from './api.js';

/** A Retell function-call body: `name` with `args`, in a call from `from` to the tenant's number. */
export function functionCallBody(
  tenant: TestTenant,
  name: string,
  args: unknown,
  options: { readonly from?: string; readonly callId?: string } = {},
): string {
  return JSON.stringify({
    name,
    call: {
      call_id: options.callId ?? `call_rel_${name}_${Math.random().toString(36).slice(2, 10)}`,
      agent_id: 'agent_rel',
      call_type: 'phone_call',
      direction: 'inbound',
      from_number: options.from ?? '+4915100000001',
      to_number: tenant.phoneNumbers[0],
    },
    args,
  });
}

/** Posts a function-call `body` to `/retell/functions/:name`, signed with the workspace key. */
export function callFunction(
  baseUrl: string,
  tenant: TestTenant,
  name: string,
  body: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<Answer> {
  return send(`${baseUrl}/retell/functions/${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-retell-signature': signRetellBody(body, tenant.retell.apiKey),
      ...headers,
    },
    body,
  });
}
