import { describe, expect, it } from 'vitest';
import { importGuideSnippet } from '../docs/guide-snippet-module.js';

const KEY = 'sk_test_nextjs_route_0123';

/** A Next.js App Router route module: Next calls its exported functions with the Request. */
interface RouteModule {
  GET(request: Request): Promise<Response>;
  POST(request: Request): Promise<Response>;
  runtime: string;
}

process.env.ACME_API_KEY = KEY;
const route = await importGuideSnippet<RouteModule>('frameworks.md', 'app/api/[...path]/route.ts');
const auth = { authorization: `Bearer ${KEY}` };

function nextWeekday(): Date {
  const day = new Date(Date.now() + 86_400_000);
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() + 1);
  return day;
}

describe('the Next.js route module of docs/guides/frameworks.md', () => {
  it('runs on the Node.js runtime', () => {
    expect(route.runtime).toBe('nodejs');
  });

  it('answers GET availability and POST a booking, as Next.js calls the exported functions', async () => {
    const day = nextWeekday().toISOString().slice(0, 10);
    const query = `eventTypeId=checkup&start=${day}T00:00:00Z&end=${day}T23:59:59Z`;
    const slots = await route.GET(
      new Request(`http://localhost:3000/api/availability?${query}`, { headers: auth }),
    );
    expect(slots.status).toBe(200);
    const { slots: list } = (await slots.json()) as { slots: { start: string; end: string }[] };
    expect(list.length).toBeGreaterThan(0);

    const booked = await route.POST(
      new Request('http://localhost:3000/api/appointments', {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'next-1' },
        body: JSON.stringify({
          eventTypeId: 'checkup',
          start: list[0]!.start,
          end: list[0]!.end,
          timeZone: 'Europe/Berlin',
          customer: { name: 'Ana', email: 'ana@example.com' },
        }),
      }),
    );
    expect(booked.status).toBe(201);
    const read = await route.GET(
      new Request(`http://localhost:3000${booked.headers.get('location')}`, { headers: auth }),
    );
    expect(((await read.json()) as { status: string }).status).toBe('confirmed');
  });

  it('refuses another key with 401', async () => {
    const response = await route.GET(
      new Request('http://localhost:3000/api/appointments', {
        headers: { authorization: 'Bearer sk_wrong_key_000' },
      }),
    );
    expect(response.status).toBe(401);
  });
});
