/**
 * The system benchmark's Markdown: one table per benchmark and the goals with the
 * measured value and whether it is met. The same text goes to bench/results/system.md and into
 * docs/benchmarks.md between its markers.
 */
import type { BookingsResult } from './bookings.js';
import type { Latency, LoadResult } from './load.js';

/** One webhook measurement. */
export interface WebhookRow {
  readonly storage: 'hello-world' | 'pglite' | 'postgres+redis';
  readonly source: 'none' | 'calcom' | 'retell';
  readonly load: string;
  readonly result: LoadResult;
}

/** What was stored after the webhook loads (counted in Postgres; PGlite is not counted). */
export interface WebhookCheck {
  readonly storage: string;
  readonly calcomSent: number;
  readonly calcomUnique: number;
  /** Distinct Cal.com deliveries answered 2xx: each must be stored. */
  readonly calcomAnswered: number;
  readonly appointments: number | null;
  readonly retellSent: number;
  readonly retellUnique: number;
  readonly retellAnswered: number;
  readonly calls: number | null;
}

/** Admission limits of the backends for one bookings burst (their environment). */
export interface BookingsSetting {
  readonly label: string;
  readonly env: Readonly<Record<string, string>>;
}

/** One bookings burst: its admission setting, the warm-up bookings before it, and its figures. */
export interface BookingsRun {
  readonly setting: string;
  readonly warmUp: number;
  readonly result: BookingsResult;
  readonly check: BookingsCheck;
}

/** What was stored after the bookings burst. */
export interface BookingsCheck {
  readonly appointmentsActive: number;
  readonly simulatorAccepted: number;
  readonly simulatorDuplicates: number;
  readonly answeredBooked: number;
}

/** Everything one run measured (bench/results/system.json). */
export interface SystemResults {
  readonly machine: {
    readonly date: string;
    readonly node: string;
    readonly cpus: number;
    readonly cpuModel: string;
    readonly loadAverageAtStart: readonly number[];
    readonly loadAverageAtEnd: readonly number[];
  };
  readonly settings: {
    readonly seconds: number;
    readonly connections: number;
    readonly rate: number;
    readonly bookingCount: number;
    readonly tenantCount: number;
  };
  readonly webhooks: {
    readonly rows: readonly WebhookRow[];
    readonly checks: readonly WebhookCheck[];
  } | null;
  /** One burst per admission setting. */
  readonly bookings: readonly BookingsRun[] | null;
  /** Latency of every answer to the same burst sent to two hello-worlds (the connections' cost alone). */
  readonly bookingsFloor?: Latency | null;
}

export const DOC_START = '<!-- bench:system:start (written by npm run bench:system) -->';
export const DOC_END = '<!-- bench:system:end -->';

const ok = (met: boolean) => (met ? 'met' : '**not met**');
const ms = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '-' : v.toFixed(1));

function webhookTable(results: SystemResults): string[] {
  const web = results.webhooks;
  if (!web) return [];
  const hello =
    web.rows.find((r) => r.storage === 'hello-world' && r.load === 'full speed')?.result.rps ?? NaN;
  const lines = [
    '### Webhook ingestion',
    '',
    `Load from a second process. Full speed = autocannon, ${results.settings.connections} connections for ${results.settings.seconds} s (a closed loop). Fixed = an open loop at the rate shown for ${results.settings.seconds} s: requests evenly spaced, each latency counted from the moment its request was due. Latency of every response, ms. Ratio = full-speed throughput / the hello-world's.`,
    '',
    '| storage | webhook | load | req/s | ratio to hello-world | p50 | p95 | p99 | max | answers | errors |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
  ];
  for (const row of web.rows) {
    const r = row.result;
    const ratio = row.load === 'full speed' ? (r.rps / hello).toFixed(2) : '';
    const statuses = Object.entries(r.statuses)
      .map(([status, n]) => `${n} × ${status}`)
      .join(', ');
    lines.push(
      `| ${row.storage} | ${row.source === 'none' ? '-' : row.source === 'calcom' ? 'Cal.com' : 'Retell'} | ${row.load} | ${r.rps} | ${ratio} | ${ms(r.latencyMs.p50)} | ${ms(r.latencyMs.p95)} | ${ms(r.latencyMs.p99)} | ${ms(r.latencyMs.max)} | ${statuses} | ${r.errors} |`,
    );
  }
  lines.push(
    '',
    'Stored afterwards. One delivery in ten is a redelivery. Made counts what the load generators built, including those a load stopped at its deadline never sent or cut off unanswered; each distinct delivery answered 2xx must be one row, and no row may be a duplicate, so answered <= stored <= distinct made:',
    '',
  );
  lines.push(
    '| storage | Cal.com made | distinct | answered 2xx (distinct) | appointments | Retell made | distinct | answered 2xx (distinct) | calls | nothing answered lost, no duplicate |',
  );
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const c of web.checks) {
    lines.push(
      `| ${c.storage} | ${c.calcomSent} | ${c.calcomUnique} | ${c.calcomAnswered} | ${c.appointments ?? 'not counted'} | ${c.retellSent} | ${c.retellUnique} | ${c.retellAnswered} | ${c.calls ?? 'not counted'} | ${storedVerdict(c)} |`,
    );
  }
  lines.push('');
  return lines;
}

function bookingsTable(results: SystemResults): string[] {
  const runs = results.bookings;
  if (!runs || runs.length === 0) return [];
  const first = runs[0]!.result;
  return [
    '### Bookings',
    '',
    `${first.requests} booking requests sent at once (REST, one Idempotency-Key each, each on a connection of its own) over ${results.settings.tenantCount} tenants, round-robin to two backend processes on one Postgres and Redis, against one Cal.com simulator process answering after 20 ms; each tenant's requests ask for 8 distinct half hours, so some collide. Before the burst each backend made ${runs[0]!.warmUp / 2} bookings on another day, 16 at a time (warm-up). One burst per admission setting, each on fresh processes and a fresh database.`,
    '',
    '| admission | wall time | throughput | admitted p50 | admitted p95 | admitted p99 | booked | 409 (with alternatives) | 503 (with Retry-After) | 503 p95 | other | no answer |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...runs.map(
      ({ setting, result: r }) =>
        `| ${setting} | ${r.wallSec.toFixed(2)} s | ${r.throughput}/s | ${ms(r.admittedLatencyMs.p50)} ms | ${ms(r.admittedLatencyMs.p95)} ms | ${ms(r.admittedLatencyMs.p99)} ms | ${r.booked} (${(r.shareBooked * 100).toFixed(1)}%) | ${r.conflicts} (${r.conflictsWithAlternatives}) | ${r.refused} (${r.refusedWithRetryAfter}), ${(r.shareRefused * 100).toFixed(1)}% | ${ms(r.refusedLatencyMs?.p95)} ms | ${r.other} | ${r.lost} |`,
    ),
    '',
    ...(results.bookingsFloor
      ? [
          `The same burst sent to two Express hello-worlds that only read each body and answer (what accepting and answering ${first.requests} connections at once costs this machine before any work): p50 ${ms(results.bookingsFloor.p50)} ms, p95 ${ms(results.bookingsFloor.p95)} ms, p99 ${ms(results.bookingsFloor.p99)} ms.`,
          '',
        ]
      : []),
    ...runs.map(
      ({ setting, check }) =>
        `Stored afterwards (${setting}): ${check.appointmentsActive} active appointments in Postgres on the burst's day, ${check.simulatorAccepted} accepted bookings in the simulator (${check.simulatorDuplicates} duplicates), ${check.answeredBooked} answered as booked.`,
    ),
    '',
  ];
}

function goals(results: SystemResults): string[] {
  const lines = ['### Goals', '', '| goal | measured | |', '| --- | --- | --- |'];
  const web = results.webhooks;
  if (web) {
    const hello =
      web.rows.find((r) => r.storage === 'hello-world' && r.load === 'full speed')?.result.rps ?? NaN;
    for (const source of ['calcom', 'retell'] as const) {
      const name = source === 'calcom' ? 'Cal.com' : 'Retell';
      const fixed = web.rows.find(
        (r) => r.storage === 'postgres+redis' && r.source === source && r.load !== 'full speed',
      );
      const full = web.rows.find(
        (r) => r.storage === 'postgres+redis' && r.source === source && r.load === 'full speed',
      );
      if (fixed)
        lines.push(
          `| ${name} webhooks, Postgres: p95 < 50 ms at ${fixed.load} | p95 ${ms(fixed.result.latencyMs.p95)} ms | ${ok(fixed.result.latencyMs.p95 < 50)} |`,
        );
      if (full) {
        const ratio = full.result.rps / hello;
        lines.push(
          `| ${name} webhooks, Postgres: >= 0.3 of hello-world throughput | ${ratio.toFixed(2)} (${full.result.rps} vs ${hello} req/s) | ${ok(ratio >= 0.3)} |`,
        );
      }
    }
  }
  for (const { setting, result: r, check } of results.bookings ?? []) {
    lines.push(
      `| Bookings (${setting}): p95 of admitted requests < 1 s | ${ms(r.admittedLatencyMs.p95)} ms | ${ok(r.admittedLatencyMs.p95 < 1000)} |`,
      `| Bookings (${setting}): no request lost | ${r.lost} without an answer; ${check.appointmentsActive} stored / ${check.simulatorAccepted} in Cal.com / ${r.booked} answered booked | ${ok(r.lost === 0 && check.appointmentsActive === r.booked && check.simulatorAccepted === r.booked && check.simulatorDuplicates === 0)} |`,
      `| Bookings (${setting}): every answer a booking, a 409 (with alternatives) or a 503 with Retry-After | ${r.other} other; ${r.conflicts - r.conflictsWithAlternatives} 409 without alternatives; ${r.refused - r.refusedWithRetryAfter} 503 without Retry-After | ${ok(r.other === 0 && r.refused === r.refusedWithRetryAfter && r.conflicts === r.conflictsWithAlternatives)} |`,
    );
  }
  lines.push('');
  return lines;
}

/** The run's Markdown. */
export function renderMarkdown(results: SystemResults): string {
  const m = results.machine;
  return [
    `Measured ${m.date.slice(0, 16).replace('T', ' ')} UTC on ${m.cpus} × ${m.cpuModel}, Node ${m.node}; load average (1, 5, 15 min) ${m.loadAverageAtStart.join(', ')} at the start and ${m.loadAverageAtEnd.join(', ')} at the end (the machine is shared: other work ran beside the benchmark).`,
    '',
    ...goals(results),
    ...webhookTable(results),
    ...bookingsTable(results),
  ].join('\n');
}

/** `doc` with the text between its markers replaced by `markdown` (markers added at the end when missing). */
export function spliceIntoDoc(doc: string, markdown: string): string {
  const block = `${DOC_START}\n\n${markdown.trim()}\n\n${DOC_END}`;
  const start = doc.indexOf(DOC_START);
  const end = doc.indexOf(DOC_END);
  if (start === -1 || end === -1) return `${doc.trimEnd()}\n\n${block}\n`;
  return `${doc.slice(0, start)}${block}${doc.slice(end + DOC_END.length)}`;
}

/** Whether what was stored accounts for every delivery answered 2xx, without duplicates. */
export function storedVerdict(check: WebhookCheck): string {
  if (check.appointments === null || check.calls === null) return 'not counted';
  const holds = (answered: number, stored: number, distinct: number) =>
    answered <= stored && stored <= distinct;
  return holds(check.calcomAnswered, check.appointments, check.calcomUnique) &&
    holds(check.retellAnswered, check.calls, check.retellUnique)
    ? 'yes'
    : '**no**';
}
