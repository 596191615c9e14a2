// A scripted stand-in for Cal.com API v2 for the Cal.com client's tests (src/calcom/client), kept
// out of src so it is never built or shipped: routes answer the documented shapes, and every
// request is recorded. The full simulator lives in bookingkit/testing; the client's tests do not
// depend on it.

/** A request as the fake received it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly url: string;
  /** Path parameters of the route that answered (`:uid` → `params.uid`). */
  readonly params: Readonly<Record<string, string>>;
}

/** Answers one request. */
export type FakeRoute = (
  request: RecordedRequest,
  signal: AbortSignal | undefined,
) => Response | Promise<Response>;

/** */
export interface FakeCalcom {
  /** The `fetch` to inject. */
  readonly fetch: typeof fetch;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /**
   * Adds a route, e.g. `GET /v2/bookings/:uid`. Several routes for one pattern answer in turn;
   * the last keeps answering.
   */
  on(pattern: string, route: FakeRoute): FakeCalcom;
}

/** A JSON answer. */
export function answer(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** Cal.com's success envelope. */
export const ok = (data: unknown, status = 200, extra: Record<string, unknown> = {}): Response =>
  answer(status, { status: 'success', data, ...extra });

/** Cal.com's error envelope (Nest HTTP exceptions). */
export const failure = (
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response =>
  answer(
    status,
    {
      status: 'error',
      timestamp: '2026-01-05T09:00:00.000Z',
      path: '/v2/x',
      error: { code, message, details: {} },
    },
    headers,
  );

/** A booking as `BookingOutput_2024_08_13` documents it. */
export function bookingJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 101,
    uid: 'bk_1',
    title: 'Consultation between Dr Lee and Ada Lovelace',
    description: '',
    hosts: [
      { id: 7, name: 'Dr Lee', email: 'lee@example.com', username: 'dr-lee', timeZone: 'Europe/Berlin' },
    ],
    status: 'accepted',
    start: '2026-03-02T09:00:00.000Z',
    end: '2026-03-02T09:30:00.000Z',
    duration: 30,
    eventTypeId: 42,
    eventType: { id: 42, slug: 'consultation' },
    location: 'https://app.cal.com/video/bk_1',
    absentHost: false,
    createdAt: '2026-01-05T09:00:00.000Z',
    updatedAt: '2026-01-05T09:00:00.000Z',
    attendees: [
      {
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        timeZone: 'Europe/London',
        language: 'en',
        absent: false,
      },
    ],
    guests: [],
    bookingFieldsResponses: { name: 'Ada Lovelace', email: 'ada@example.com' },
    metadata: { bookingkitAppointmentId: 'appt_1' },
    ...overrides,
  };
}

/** Cal.com's `PaginationMetaDto` for a page. */
export function paginationJson(
  total: number,
  skip: number,
  returned: number,
  take: number,
): Record<string, unknown> {
  return {
    totalItems: total,
    remainingItems: Math.max(0, total - skip - returned),
    returnedItems: returned,
    itemsPerPage: take,
    currentPage: Math.floor(skip / take) + 1,
    totalPages: Math.ceil(total / take),
    hasNextPage: skip + returned < total,
    hasPreviousPage: skip > 0,
  };
}

function compile(pattern: string): { method: string; regex: RegExp; names: string[] } {
  const [method, path] = pattern.split(' ') as [string, string];
  const names: string[] = [];
  const source = path.replace(/:(\w+)/g, (_match, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { method, regex: new RegExp(`^${source}$`), names };
}

/** Creates the fake. Unknown routes answer 404 as Cal.com does for a path it does not know. */
export function createFakeCalcom(): FakeCalcom {
  const routes: { method: string; regex: RegExp; names: string[]; answers: FakeRoute[] }[] = [];
  const requests: RecordedRequest[] = [];
  const fake: FakeCalcom = {
    requests,
    on(pattern, route) {
      const compiled = compile(pattern);
      const existing = routes.find(
        (r) => r.method === compiled.method && r.regex.source === compiled.regex.source,
      );
      if (existing) existing.answers.push(route);
      else routes.push({ ...compiled, answers: [route] });
      return fake;
    },
    fetch: async (input, init) => {
      const request = input instanceof Request ? input : new Request(input, init);
      const url = new URL(request.url);
      const text = await request.text();
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => (headers[name] = value));
      const base = {
        method: request.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        body: text === '' ? undefined : (JSON.parse(text) as unknown),
        url: request.url,
      };
      for (const route of routes) {
        const match = route.method === request.method ? route.regex.exec(url.pathname) : null;
        if (!match) continue;
        const params = Object.fromEntries(
          route.names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]),
        );
        const recorded: RecordedRequest = { ...base, params };
        requests.push(recorded);
        const next = route.answers.length > 1 ? route.answers.shift()! : route.answers[0]!;
        return next(recorded, request.signal);
      }
      requests.push({ ...base, params: {} });
      return failure(404, 'NotFoundException', `Cannot ${request.method} ${url.pathname}`);
    },
  };
  return fake;
}
