import { randomUUID } from 'node:crypto';

// The example's REST and admin API as the suites drive it: a tenant's key, JSON in and out.

/** The demo tenants' API keys and their first services (tenants.demo.json, the simulator's ids). */
export const DEMO = {
  praxis: {
    key: 'bk_demo_praxis_key',
    routeKey: 'rk_praxis_demo_0001',
    webhookSecret: 'whsec_sim_praxis',
    calcomKey: 'cal_sim_praxis',
    timeZone: 'Europe/Berlin',
    service: { id: '1001', slug: 'beratung', minutes: 30 },
  },
  clinic: {
    key: 'bk_demo_clinic_key',
    routeKey: 'rk_clinic_demo_0001',
    webhookSecret: 'whsec_sim_clinic',
    calcomKey: 'cal_sim_clinic',
    timeZone: 'America/New_York',
    service: { id: '1003', slug: 'consultation', minutes: 30 },
  },
} as const;

export type DemoTenant = (typeof DEMO)[keyof typeof DEMO];

/** An answer: status, headers and the body parsed as JSON (null when empty or not JSON). */
export interface Answer<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/** A tenant's view of the example's /api and /admin. */
export interface TenantClient {
  get<T = Record<string, unknown>>(path: string): Promise<Answer<T>>;
  post<T = Record<string, unknown>>(
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Answer<T>>;
  del<T = Record<string, unknown>>(path: string): Promise<Answer<T>>;
}

async function answer<T>(response: Response): Promise<Answer<T>> {
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, body: body as T };
}

/** A client for `url` with `key` as its bearer token. */
export function tenantClient(url: string, key: string): TenantClient {
  const auth = { authorization: `Bearer ${key}` };
  return {
    get: async (path) => answer(await fetch(`${url}${path}`, { headers: auth })),
    post: async (path, body, headers = {}) =>
      answer(
        await fetch(`${url}${path}`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body ?? {}),
        }),
      ),
    del: async (path) => answer(await fetch(`${url}${path}`, { method: 'DELETE', headers: auth })),
  };
}

/** A free slot of a tenant's service. */
export interface Slot {
  readonly start: string;
  readonly end: string;
}

/** The tenant's free slots of its first service over the next `days` days. */
export async function freeSlots(client: TenantClient, tenant: DemoTenant, days = 7): Promise<Slot[]> {
  const start = new Date(Date.now() + 3_600_000).toISOString();
  const end = new Date(Date.now() + days * 86_400_000).toISOString();
  const { status, body } = await client.get<{ slots?: Slot[] }>(
    `/api/availability?eventTypeId=${tenant.service.id}&start=${start}&end=${end}`,
  );
  if (status !== 200) throw new Error(`availability answered ${status}: ${JSON.stringify(body)}`);
  return body.slots ?? [];
}

/** An appointment as the REST API answers it (the fields the suites look at). */
export interface AppointmentView {
  readonly id: string;
  readonly status: string;
  readonly start: string;
  readonly end: string;
  readonly version: number;
  readonly external: { readonly calendarBookingUid: string | null };
  readonly [field: string]: unknown;
}

/** Books `slot` for the tenant through `POST /api/appointments` under `idempotencyKey`. */
export function bookSlot(
  client: TenantClient,
  tenant: DemoTenant,
  slot: Slot,
  idempotencyKey: string = randomUUID(),
  customer = { name: 'Anna Schmidt', email: 'anna@example.com' },
): Promise<Answer<{ appointment: AppointmentView; calendar: string }>> {
  return client.post(
    '/api/appointments',
    {
      eventTypeId: tenant.service.id,
      start: slot.start,
      end: slot.end,
      timeZone: tenant.timeZone,
      customer,
    },
    { 'idempotency-key': idempotencyKey },
  );
}

/**
 * Books the first of the tenant's free slots that is still free. Availability is cached, and a
 * booking made a moment ago reaches the cache through the relay: until then its slot is still
 * listed, and booking it answers 409 (the slot conflict the API promises), so the next is tried.
 */
export async function bookFirstFree(
  client: TenantClient,
  tenant: DemoTenant,
): Promise<Answer<{ appointment: AppointmentView; calendar: string }>> {
  const slots = (await freeSlots(client, tenant)).slice(0, 5);
  let answer: Answer<{ appointment: AppointmentView; calendar: string }> | undefined;
  for (const slot of slots) {
    answer = await bookSlot(client, tenant, slot);
    if (answer.status !== 409) return answer;
  }
  if (!answer) throw new Error(`no free slot of ${tenant.service.id} to book`);
  return answer;
}

/** Every appointment of the tenant starting in `[from, to)`, all pages. */
export async function listAppointments(
  client: TenantClient,
  from: string,
  to: string,
): Promise<AppointmentView[]> {
  const items: AppointmentView[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `from=${from}&to=${to}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await client.get<{ items: AppointmentView[]; nextCursor: string | null }>(
      `/api/appointments?${query}`,
    );
    if (page.status !== 200) throw new Error(`listing answered ${page.status}: ${JSON.stringify(page.body)}`);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}

/** A wide window around now that holds every appointment the suites make. */
export const WINDOW = {
  from: new Date(Date.now() - 86_400_000).toISOString(),
  to: new Date(Date.now() + 60 * 86_400_000).toISOString(),
};
