/**
 * The bookings benchmark: `count` booking requests sent at once through the REST API, spread over
 * several backends and the fleet's tenants, some of them for the same slot. Every answer is
 * classified; the invariants (no request lost, only bookings, 409s and fast 503s with
 * Retry-After) are checked here, the stored bookings against Postgres and the simulator by the
 * caller.
 */
import { randomUUID } from 'node:crypto';
import { request, type IncomingHttpHeaders } from 'node:http';
import type { Fleet, FleetTenant } from './fleet.js';
import { latencyOf, type Latency } from './load.js';

/** One booking request's outcome. */
export interface BookingAnswer {
  readonly tenant: string;
  readonly start: string;
  /** HTTP status, or 0 when no answer came (network error, timeout). */
  readonly status: number;
  readonly ms: number;
  readonly retryAfter: string | null;
  /** How many alternatives a 409 offered. */
  readonly alternatives: number;
  /** The problem type or the appointment id, for the report. */
  readonly detail: string;
}

/** The measured figures of one bookings run. */
export interface BookingsResult {
  readonly requests: number;
  readonly wallSec: number;
  /** Answers per second over the whole burst. */
  readonly throughput: number;
  /** Latency of the admitted requests (every answer but 503). */
  readonly admittedLatencyMs: Latency;
  /** Latency of the 503s. */
  readonly refusedLatencyMs: Latency | null;
  readonly booked: number;
  readonly conflicts: number;
  readonly conflictsWithAlternatives: number;
  readonly refused: number;
  readonly refusedWithRetryAfter: number;
  /** Answers that are none of the above (including no answer at all). */
  readonly other: number;
  readonly lost: number;
  readonly statuses: Record<string, number>;
  readonly shareRefused: number;
  readonly shareBooked: number;
}

/** The first weekday at least two days after `now`, at 00:00 UTC. */
export function bookingDay(now = Date.now()): number {
  const day = new Date(now + 2 * 86_400_000);
  day.setUTCHours(0, 0, 0, 0);
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() + 1);
  return day.getTime();
}

/** The plan: request `j` of a tenant asks for the `(j % distinctSlots)`-th half hour from 09:00. */
export function bookingPlan(fleetSpec: Fleet, count: number, distinctSlots: number, day: number) {
  const perTenant = Math.ceil(count / fleetSpec.tenants.length);
  const plan: { tenant: FleetTenant; start: string; end: string }[] = [];
  for (let j = 0; j < perTenant; j += 1) {
    for (const tenant of fleetSpec.tenants) {
      if (plan.length === count) break;
      const start = day + 9 * 3_600_000 + (j % distinctSlots) * 1_800_000;
      plan.push({
        tenant,
        start: new Date(start).toISOString(),
        end: new Date(start + 1_800_000).toISOString(),
      });
    }
  }
  return plan;
}

/**
 * One POST over a connection of its own, with `node:http` rather than `fetch`: the load generator
 * shares the machine's cores with the backends, and `fetch` costs it about twice the CPU per
 * request (measured: 1,000 requests at once to a hello-world, 0.9 s of client CPU against 0.45 s).
 */
function post(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port,
        method: 'POST',
        path,
        agent: false,
        timeout: 60_000,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out after 60 s')));
    req.on('error', reject);
    req.end(body);
  });
}

async function book(
  baseUrl: string,
  item: { tenant: FleetTenant; start: string; end: string },
  index: number,
): Promise<BookingAnswer> {
  const began = performance.now();
  try {
    const response = await post(
      baseUrl,
      '/api/appointments',
      {
        authorization: `Bearer ${item.tenant.apiKey}`,
        'idempotency-key': randomUUID(),
        'content-type': 'application/json',
      },
      JSON.stringify({
        eventTypeId: String(item.tenant.eventTypeId),
        start: item.start,
        end: item.end,
        timeZone: 'UTC',
        customer: { name: `Caller ${index}`, email: `caller${index}@example.com` },
      }),
    );
    const { text } = response;
    const ms = performance.now() - began;
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      /* not JSON */
    }
    const alternatives = Array.isArray(body.alternatives) ? body.alternatives.length : 0;
    const retryAfter = response.headers['retry-after'];
    return {
      tenant: item.tenant.id,
      start: item.start,
      status: response.status,
      ms,
      retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
      alternatives,
      detail: [body.id, body.type, body.title].find((v): v is string => typeof v === 'string') ?? '',
    };
  } catch (error) {
    return {
      tenant: item.tenant.id,
      start: item.start,
      status: 0,
      ms: performance.now() - began,
      retryAfter: null,
      alternatives: 0,
      detail: (error as Error).message,
    };
  }
}

/** Sends every request of `plan` at once, round-robin over `backends`, and waits for every answer. */
export async function bookAll(
  backends: readonly string[],
  plan: readonly { tenant: FleetTenant; start: string; end: string }[],
): Promise<{ answers: BookingAnswer[]; wallSec: number }> {
  const began = performance.now();
  const answers = await Promise.all(plan.map((item, i) => book(backends[i % backends.length]!, item, i)));
  return { answers, wallSec: (performance.now() - began) / 1000 };
}

/** Classifies the answers. */
export function summarise(answers: readonly BookingAnswer[], wallSec: number): BookingsResult {
  const statuses: Record<string, number> = {};
  for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
  const booked = answers.filter((a) => a.status === 201 || a.status === 202);
  const conflicts = answers.filter((a) => a.status === 409);
  const refused = answers.filter((a) => a.status === 503);
  const admitted = answers.filter((a) => a.status !== 503 && a.status !== 0);
  const lost = answers.filter((a) => a.status === 0).length;
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return {
    requests: answers.length,
    wallSec: round(wallSec),
    throughput: Math.round(answers.length / wallSec),
    admittedLatencyMs: latencyOf(admitted.map((a) => a.ms)),
    refusedLatencyMs: refused.length > 0 ? latencyOf(refused.map((a) => a.ms)) : null,
    booked: booked.length,
    conflicts: conflicts.length,
    conflictsWithAlternatives: conflicts.filter((a) => a.alternatives > 0).length,
    refused: refused.length,
    refusedWithRetryAfter: refused.filter((a) => a.retryAfter !== null).length,
    other: answers.length - booked.length - conflicts.length - refused.length,
    lost,
    statuses,
    shareRefused: round(refused.length / answers.length),
    shareBooked: round(booked.length / answers.length),
  };
}
