import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { calcomSignatureHeader, signCalcomBody } from '../../../src/calcom/signature.js';
import type { DemoTenant } from './example-client.js';

// The Cal.com side of the suites: the example's embedded simulator driven over its HTTP API (as a
// web visitor and as the account owner), and a listener that receives the same webhooks the
// example receives, so a suite can send one again, tampered with or unsigned.

/** One webhook the listener received. */
export interface CapturedWebhook {
  readonly body: string;
  readonly trigger: string;
  readonly uid: string | undefined;
}

/** An HTTP server on a free port that keeps every webhook posted to it. */
export interface WebhookListener {
  readonly url: string;
  readonly received: CapturedWebhook[];
  close(): Promise<void>;
}

export async function listenForWebhooks(): Promise<WebhookListener> {
  const received: CapturedWebhook[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const parsed = JSON.parse(body) as { triggerEvent: string; payload?: { uid?: string } };
      received.push({ body, trigger: parsed.triggerEvent, uid: parsed.payload?.uid });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The simulator's API as the tenant's account owner (its Cal.com API key). */
export async function calcomAsOwner(
  calcomUrl: string,
  tenant: DemoTenant,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: { data?: unknown } }> {
  const response = await fetch(`${calcomUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${tenant.calcomKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as { data?: unknown } };
}

/** A booking a web visitor makes on the tenant's booking page (in Cal.com, not through the kit). */
export async function bookInCalcom(
  calcomUrl: string,
  username: string,
  slug: string,
  start: string,
  attendee: { name: string; email: string; timeZone: string },
): Promise<{ uid: string }> {
  const response = await fetch(`${calcomUrl}/v2/bookings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cal-api-version': '2026-02-25' },
    body: JSON.stringify({ start, eventTypeSlug: slug, username, attendee }),
  });
  const text = await response.text();
  if (response.status !== 201)
    throw new Error(`the simulator refused the booking (${response.status}): ${text}`);
  return (JSON.parse(text) as { data: { uid: string } }).data;
}

/** Posts `body` to the example's Cal.com webhook route, signed with `secret` (unsigned when null). */
export async function postCalcomWebhook(
  url: string,
  routeKey: string,
  body: string,
  secret: string | null,
): Promise<number> {
  const response = await fetch(`${url}/webhooks/calcom/${routeKey}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(secret === null ? {} : { [calcomSignatureHeader]: signCalcomBody(body, secret) }),
    },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}
