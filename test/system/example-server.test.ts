import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRetellCallSimulator } from '../../src/testing/retell-simulator/retell-call-simulator.js';

// The Express example as a newcomer runs it (`npm run example`: node examples/express-server/run.mjs),
// a real process on embedded defaults (PGlite in a scratch folder, the Cal.com simulator, the demo
// tenants) on a free port, driven over HTTP.

const RETELL_KEY = 'key_demo_retell_workspace';
const PRAXIS = '+493012345678';
const ANNA = '+4915112345678';

interface LogLine {
  readonly msg?: string;
  readonly [field: string]: unknown;
}

let child: ChildProcess | undefined;
let dataDir: string;
let url: string;
let calcomUrl: string;
let stdout = '';
const logLines = (): LogLine[] =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

/** Waits until `predicate` holds, polling every 100 ms, up to `ms`. */
async function until(predicate: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output:\n${stdout}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The next weekday in Berlin, as YYYY-MM-DD. */
function nextWeekdayInBerlin(): string {
  for (let days = 1; ; days += 1) {
    const day = new Date(Date.now() + days * 86_400_000);
    const weekday = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', weekday: 'short' }).format(
      day,
    );
    if (weekday !== 'Sat' && weekday !== 'Sun')
      return day.toLocaleDateString('sv-SE', { timeZone: 'Europe/Berlin' });
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'bookingkit-example-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'debug' };
  // Embedded defaults, whatever servers this machine's other tests use.
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'CALCOM_BASE_URL', 'TENANTS_FILE', 'PUBLIC_URL', 'HOST'])
    delete env[name];
  child = spawn(process.execPath, ['examples/express-server/run.mjs', 'server'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => (stdout += chunk));
  await until(() => /ready in [\d.]+ s at http:\/\/\S+/.test(stdout), 90_000, 'the start-up banner');
  url = /ready in [\d.]+ s at (http:\/\/\S+)/.exec(stdout)![1]!;
  calcomUrl = /simulator at (http:\/\/\S+)/.exec(stdout)![1]!;
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the Express example on embedded defaults', () => {
  it('is live and ready: storage answers, the kit started, the breaker is closed', async () => {
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      checks: {
        kit: { status: 'ok' },
        pglite: { status: 'ok' },
        calendarBreaker: { status: 'ok' },
        outbox: { status: 'ok' },
      },
    });
  });

  it('books through a simulated Retell call, signed with the demo key, spoken in German', async () => {
    const retell = createRetellCallSimulator({
      apiKey: RETELL_KEY,
      webhook: `${url}/webhooks/retell`,
      inbound: `${url}/retell/inbound`,
      functions: { byName: (name) => `${url}/retell/functions/${name}` },
    });
    const date = nextWeekdayInBerlin();
    const result = await retell
      .call({ from: ANNA, to: PRAXIS, agentId: 'agent_test', callId: 'call_example_test' })
      .inbound()
      .started()
      .function('check_availability', { service: 'Beratung', date })
      .function('book_appointment', { service: 'Beratung', date, time: '14:30', name: 'Anna Schmidt' })
      .ended()
      .analyzed({ summary: 'Termin gebucht.', successful: true })
      .play();

    expect(result.inbound[0]?.response?.body).toMatchObject({
      call_inbound: {
        dynamic_variables: expect.objectContaining({ business_name: 'Praxis Sonnenschein', language: 'de' }),
        metadata: { bookingkitTenantId: 'praxis' },
      },
    });
    const [check, book] = result.functions;
    expect((check?.body as { result: string }).result).toMatch(/habe ich .*frei/);
    expect(book?.body).toMatchObject({
      result: expect.stringContaining('um 14:30 gebucht'),
      data: { booked: true, status: 'confirmed' },
    });
    expect(result.webhooks.map((w) => [w.event, w.response?.status])).toEqual([
      ['call_started', 200],
      ['call_ended', 200],
      ['call_analyzed', 200],
    ]);
    // Cal.com's webhook about the booking the kit made comes back and changes nothing.
    const appointmentId = (book?.body as { data: { appointment_id: string } }).data.appointment_id;
    await until(
      () => logLines().some((l) => l.msg === 'Cal.com webhook applied' && l.appointmentId === appointmentId),
      10_000,
      'the Cal.com webhook of the booking',
    );
    expect(
      logLines().find((l) => l.msg === 'Cal.com webhook applied' && l.appointmentId === appointmentId),
    ).toMatchObject({ tenantId: 'praxis', trigger: 'BOOKING_CREATED', action: 'unchanged' });
  });

  it('records a booking made in Cal.com itself from the simulator webhook', async () => {
    const date = nextWeekdayInBerlin();
    // A web visitor books on the practice's booking page, in Cal.com, not through bookingkit.
    const booked = await fetch(`${calcomUrl}/v2/bookings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cal-api-version': '2026-02-25' },
      body: JSON.stringify({
        start: new Date(`${date}T09:00:00+01:00`).toISOString(),
        eventTypeSlug: 'behandlung',
        username: 'praxis',
        attendee: { name: 'Ben Web', email: 'ben@example.com', timeZone: 'Europe/Berlin' },
      }),
    });
    expect(booked.status).toBe(201);
    const { data } = (await booked.json()) as { data: { uid: string } };
    const imported = () =>
      logLines().find((l) => l.msg === 'Cal.com webhook applied' && l.action === 'imported');
    await until(() => imported() !== undefined, 10_000, 'the Cal.com webhook of the web booking');
    const applied = imported();
    expect(applied).toMatchObject({ tenantId: 'praxis', trigger: 'BOOKING_CREATED' });
    expect(applied?.appointmentId).toEqual(expect.any(String));
    expect(data.uid).toEqual(expect.any(String));
    // No e-mail address or phone number reaches the log in full.
    expect(stdout).not.toContain('ben@example.com');
    expect(stdout).not.toContain(ANNA);
  });

  it('books through the REST API with the tenant API key; a retry with the Idempotency-Key is replayed', async () => {
    const auth = { authorization: 'Bearer bk_demo_clinic_key' };
    const start = new Date(Date.now() + 3_600_000).toISOString();
    const end = new Date(Date.now() + 5 * 86_400_000).toISOString();
    const [service] =
      (
        (await (
          await fetch(`${url}/api/availability?eventTypeId=1003&start=${start}&end=${end}`, { headers: auth })
        ).json()) as { slots?: { start: string; end: string }[] }
      ).slots ?? [];
    expect(service).toBeDefined();
    const book = () =>
      fetch(`${url}/api/appointments`, {
        method: 'POST',
        headers: { ...auth, 'idempotency-key': 'example-test-1', 'content-type': 'application/json' },
        body: JSON.stringify({
          eventTypeId: '1003',
          start: service!.start,
          end: service!.end,
          timeZone: 'America/New_York',
          customer: { name: 'John Miller', email: 'john@example.com' },
        }),
      });
    const first = await book();
    expect(first.status).toBe(201);
    const { appointment } = (await first.json()) as { appointment: { id: string; status: string } };
    expect(appointment.status).toBe('confirmed');
    const again = await book();
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const read = await fetch(`${url}/api/appointments/${appointment.id}`, { headers: auth });
    expect(read.status).toBe(200);
    // Another tenant's key does not see it.
    const other = await fetch(`${url}/api/appointments/${appointment.id}`, {
      headers: { authorization: 'Bearer bk_demo_praxis_key' },
    });
    expect(other.status).toBe(404);
  });

  it('refuses an unsigned Retell webhook and an unknown Cal.com route', async () => {
    const unsigned = await fetch(`${url}/webhooks/retell`, { method: 'POST', body: '{}' });
    expect(unsigned.status).toBe(401);
    const unknown = await fetch(`${url}/webhooks/calcom/rk_nobody_0000`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
  });
});
