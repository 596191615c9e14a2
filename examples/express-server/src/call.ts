import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createRetellCallSimulator, type RetellSimFunctionResult } from 'bookingkit/testing';
import { ConfigError, loadConfig } from './config.js';

/**
 * `npm run example:call -- --lang de|en [--url http://127.0.0.1:3000]`: plays a simulated Retell
 * call against the running example server, signed with the tenant's Retell key: the inbound
 * webhook, call_started, check_availability for the next weekday, book_appointment for the first
 * free time, call_ended and call_analyzed. Prints the conversation and the booked appointment.
 */

const CALLERS = {
  de: {
    number: '+4915112345678',
    name: 'Anna Schmidt',
    service: 'Beratung',
    ask: 'Ich hätte gern einen Beratungstermin.',
    take: (time: string) => `Um ${time} passt gut.`,
  },
  en: {
    number: '+12125550123',
    name: 'John Miller',
    service: 'Consultation',
    ask: "I'd like to book a consultation.",
    take: (time: string) => `${time} works for me.`,
  },
} as const;

interface FunctionBody {
  readonly result?: string;
  readonly data?: Record<string, unknown>;
}

/** The next Monday-to-Friday date after today in `timeZone`, as YYYY-MM-DD. */
function nextWeekday(timeZone: string): string {
  for (let days = 1; days < 8; days += 1) {
    const day = new Date(Date.now() + days * 86_400_000);
    const weekday = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short' }).format(day);
    if (weekday !== 'Sat' && weekday !== 'Sun') return day.toLocaleDateString('sv-SE', { timeZone });
  }
  throw new Error('unreachable: a week has weekdays');
}

const localTime = (iso: string, timeZone: string) =>
  new Date(iso).toLocaleTimeString('de-DE', { timeZone, hour: '2-digit', minute: '2-digit' });

/** Prints one function call: what the agent asked and what it was told to say. */
function printFunction(fn: RetellSimFunctionResult | undefined): FunctionBody {
  if (!fn) throw new Error('the call ended before its function calls were answered');
  const body = (fn.body ?? {}) as FunctionBody;
  const status = fn.attempts.at(-1)?.response?.status;
  process.stdout.write(`  agent  ⟶ ${fn.name}(${JSON.stringify(fn.args)})  [HTTP ${status}]\n`);
  process.stdout.write(`  agent  says: ${body.result ?? fn.result}\n`);
  return body;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      lang: { type: 'string', default: 'de' },
      url: { type: 'string' },
    },
  });
  const lang = values.lang;
  if (lang !== 'de' && lang !== 'en') throw new ConfigError([`--lang: must be de or en, not ${lang}`]);
  const config = loadConfig();
  const url = (values.url ?? process.env.EXAMPLE_URL ?? `http://127.0.0.1:${config.port}`).replace(
    /\/+$/,
    '',
  );
  const entry = config.tenants.find(
    (t) => (t.tenant.locale ?? 'en') === lang && t.tenant.phoneNumbers?.length,
  );
  if (!entry) throw new ConfigError([`TENANTS_FILE: no tenant with locale ${lang} and a phone number`]);
  const { tenant } = entry;
  const caller = CALLERS[lang];
  const date = nextWeekday(tenant.timeZone);
  const workspace = config.tenants.filter((t) => t.retell.workspace === entry.retell.workspace);
  const path = (route: string) =>
    workspace.length === config.tenants.length ? route : `${route}/${entry.retell.workspace}`;

  const retell = createRetellCallSimulator({
    apiKey: entry.retell.apiKey,
    webhook: `${url}${path('/webhooks/retell')}`,
    inbound: `${url}${path('/retell/inbound')}`,
    functions: {
      byName: (name) =>
        workspace.length === config.tenants.length
          ? `${url}/retell/functions/${name}`
          : `${url}/retell/functions/${entry.retell.workspace}/${name}`,
    },
  });
  const spec = {
    from: caller.number,
    to: tenant.phoneNumbers[0]!,
    agentId: `agent_example_${lang}`,
    callId: `call_example_${randomUUID().slice(0, 8)}`,
  };

  await expectServer(url);
  process.stdout.write(`Calling ${tenant.name} (${spec.to}) from ${caller.number} via ${url}\n\n`);
  process.stdout.write(`  caller says: ${caller.ask}\n`);
  // The first half of the call asks for free times; the second books the first one offered.
  const asked = await retell
    .call(spec)
    .inbound()
    .started()
    .say('user', caller.ask)
    .function('check_availability', { service: caller.service, date })
    .play();
  const inbound = asked.inbound[0]?.response;
  if (inbound?.status !== 200)
    throw new Error(`the inbound webhook answered ${inbound?.status ?? 'nothing'}`);
  const offered = printFunction(asked.functions[0]);
  const slots = (offered.data?.slots ?? []) as { start: string }[];
  if (slots.length === 0) {
    process.stdout.write('\nNo free time that day: nothing was booked.\n');
    return;
  }
  const time = localTime(slots[0]!.start, tenant.timeZone);
  process.stdout.write(`  caller says: ${caller.take(time)}\n`);

  /** The caller takes `at` (HH:MM); the agent books it. */
  const book = async (at: string) => {
    const played = await retell
      .call(spec)
      .say('user', caller.take(at))
      .function('book_appointment', { service: caller.service, date, time: at, name: caller.name })
      .play();
    return printFunction(played.functions[0]);
  };
  let answer = await book(time);
  // Taken meanwhile (e.g. booked before a restart the embedded simulator forgot): take the first alternative.
  const [alternative] = (answer.data?.alternatives ?? []) as { start: string }[];
  if (answer.data?.booked !== true && alternative) {
    const other = localTime(alternative.start, tenant.timeZone);
    process.stdout.write(`  caller says: ${caller.take(other)}\n`);
    answer = await book(other);
  }
  const ended = await retell
    .call(spec)
    .ended({ disconnectionReason: 'agent_hangup' })
    .analyzed({ summary: `${caller.service} ${date}`, successful: answer.data?.booked === true })
    .play();
  const webhooks = [...asked.webhooks, ...ended.webhooks].map(
    (w) => `${w.event ?? '?'} ${w.response?.status ?? '-'}`,
  );
  process.stdout.write(`\n  call webhooks: ${webhooks.join(', ')}\n`);
  if (answer.data?.booked !== true) {
    process.stdout.write('\nNot booked (see the answer above).\n');
    process.exitCode = 1;
    return;
  }
  // The appointment as the REST API has it, read with the tenant's API key.
  const read = await fetch(`${url}/api/appointments/${String(answer.data.appointment_id)}`, {
    headers: { authorization: `Bearer ${entry.apiKey}` },
  });
  const appointment: unknown = read.ok ? await read.json() : answer.data;
  const source = read.ok ? 'GET /api/appointments/:id' : `the function's answer; GET answered ${read.status}`;
  process.stdout.write(`\nAppointment (${source}):\n${JSON.stringify(appointment, null, 2)}\n`);
}

/** Fails with what to do when nothing answers `GET /health` at `url`. */
async function expectServer(url: string): Promise<void> {
  const health = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) }).catch(
    (error: unknown) => error as Error,
  );
  if (health instanceof Response && health.ok) return;
  const why =
    health instanceof Response
      ? `GET /health answered ${health.status}`
      : ((health.cause as { code?: string } | undefined)?.code ?? health.message);
  throw new Error(
    `No example server answers at ${url} (${why}). Start it with \`npm run example\` (with the same PORT), or pass --url.`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  if (error instanceof TypeError && /fetch failed/.test(error.message))
    process.stderr.write('Is the example server running? Start it with `npm run example`.\n');
  process.exit(1);
});
