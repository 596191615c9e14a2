/**
 * What bookingkit's OpenTelemetry instrumentation costs a booking (`BookingService.book` on the
 * memory stores and calendar, a full hold → calendar → confirm saga).
 *
 * - `booking`: the same booking loop with no SDK installed (the API's no-op meter and tracer, as
 *   in an application that does not use OpenTelemetry) and with an SDK registered (metrics read
 *   by a reader that never exports, every span recorded and dropped by a no-op processor).
 * - `no-op telemetry of one booking`: the instrumentation calls one booking makes (found by
 *   counting what a real booking records under the SDK), made on their own with no SDK, against
 *   one booking. The ratio of their rates is the share of a booking's time the no-op
 *   instrumentation takes.
 *
 * `no SDK, again` repeats the first case last: the spread between the two is the run's noise,
 * against which the SDK's cost is read.
 */
import { metrics, trace } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  NoopSpanProcessor,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { sequentialBooker } from './booking-fixtures.js';
import { measureGroup, type BenchCase } from './harness.js';
import { observeCommand } from '../src/booking/service/command-telemetry.js';
import { observeCalendarCall } from '../src/observability/calendar-call.js';
import { recordSagaEvent, traceAttempt } from '../src/saga/saga-telemetry.js';
import type { SagaEvent } from '../src/saga/saga-events.js';

class SilentReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Registers an SDK; the returned function unregisters it. */
function installSdk(spanProcessor = new NoopSpanProcessor()): () => Promise<void> {
  const meterProvider = new MeterProvider({ readers: [new SilentReader()] });
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [spanProcessor] });
  metrics.setGlobalMeterProvider(meterProvider);
  trace.setGlobalTracerProvider(tracerProvider);
  return async () => {
    metrics.disable();
    trace.disable();
    await meterProvider.shutdown();
    await tracerProvider.shutdown();
  };
}

/** The spans of one booking, by name, as a real SDK records them. */
async function spansOfOneBooking(): Promise<string[]> {
  const exporter = new InMemorySpanExporter();
  const uninstall = installSdk(new SimpleSpanProcessor(exporter));
  try {
    await sequentialBooker()();
    return exporter.getFinishedSpans().map((span) => span.name);
  } finally {
    await uninstall();
  }
}

const RESULT = { calendar: 'synced', replayed: false } as const;
const SAGA = { id: 'saga-1', name: 'book-appointment', input: { correlationId: 'bench-1' } };
const OK = { ok: true, value: null } as const;
const sagaEvent = (type: SagaEvent['type']) =>
  ({ type, sagaId: 'saga-1', saga: 'book-appointment', tenantId: 'acme', time: 0 }) as unknown as SagaEvent;
/** The events a three-step saga emits: started, three steps started and completed, completed. */
const SAGA_EVENTS: SagaEvent['type'][] = [
  'started',
  'step_started',
  'step_completed',
  'step_started',
  'step_completed',
  'step_started',
  'step_completed',
  'completed',
];

export async function run(): Promise<BenchCase[]> {
  const spans = await spansOfOneBooking();
  const steps = spans.filter((name) => name.startsWith('saga.')).length;
  const calendarCalls = spans.filter((name) => name.startsWith('calendar.')).length;
  console.log(`one booking records ${spans.length} spans: ${spans.join(', ')}`);

  /** The instrumentation calls of one booking, with nothing else around them. */
  const telemetryOfOneBooking = async (): Promise<void> => {
    await observeCommand('book', async (telemetry) => {
      telemetry.correlate('bench-1');
      telemetry.tenant('acme');
      for (let i = 0; i < calendarCalls; i += 1)
        await observeCalendarCall('createBooking', 'acme', () => Promise.resolve(null));
      for (let i = 0; i < steps; i += 1)
        await traceAttempt(SAGA, 'step', false, 1, () => Promise.resolve(OK));
      for (const type of SAGA_EVENTS) recordSagaEvent(sagaEvent(type));
      return RESULT;
    });
  };

  // Warm the booking path up first (JIT), so that the first case measured is not the cold one.
  const warmUp = sequentialBooker();
  for (let i = 0; i < 500; i += 1) await warmUp();
  for (let i = 0; i < 2_000; i += 1) await telemetryOfOneBooking();

  const group = 'observability: BookingService.book (memory stores and calendar)';
  const options = { batch: 1, time: 2_000 };
  const cases: BenchCase[] = [];
  cases.push(
    ...(await measureGroup(
      group,
      'no SDK',
      [
        { name: 'no SDK', op: sequentialBooker(), async: true },
        { name: 'no-op telemetry of one booking', op: telemetryOfOneBooking, async: true },
      ],
      options,
    )),
  );
  const uninstall = installSdk();
  try {
    cases.push(
      ...(await measureGroup(
        group,
        'no SDK',
        [{ name: 'SDK registered (metrics, spans recorded)', op: sequentialBooker(), async: true }],
        options,
      )),
    );
  } finally {
    await uninstall();
  }
  // The first case again, after the others: the spread between the two is the run's noise.
  cases.push(
    ...(await measureGroup(
      group,
      'no SDK',
      [{ name: 'no SDK, again', op: sequentialBooker(), async: true }],
      options,
    )),
  );
  const booking = cases.find((c) => c.name === 'no SDK')!.opsPerSec;
  const noop = cases.find((c) => c.name === 'no-op telemetry of one booking')!.opsPerSec;
  console.log(
    `no-op telemetry of one booking: ${(1e6 / noop).toFixed(2)} µs; one booking: ${(1e6 / booking).toFixed(1)} µs; ` +
      `share: ${((100 * booking) / noop).toFixed(2)} %`,
  );
  return cases;
}
