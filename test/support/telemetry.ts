import { metrics, trace, type Attributes } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  MetricReader,
  type DataPoint,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';

/** A reader that exports nothing by itself: the test collects when it wants to look. */
class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** One data point of a metric: a counter's or gauge's value, or a histogram's count and sum. */
export interface Point {
  readonly attributes: Attributes;
  readonly value: number;
  /** Histograms: how many values were recorded. */
  readonly count?: number;
}

/** A real OpenTelemetry SDK (metrics and traces) registered globally, with in-memory readers. */
export interface TestTelemetry {
  /** Every data point of the metric named `name` (none when it recorded nothing). */
  points(name: string): Promise<Point[]>;
  /** Units and descriptions by metric name, from a collection. */
  descriptors(): Promise<Map<string, { unit: string; description: string }>>;
  /** The spans that ended so far. */
  spans(): ReadableSpan[];
  /** Unregisters the SDK (the API falls back to its no-op providers) and shuts it down. */
  uninstall(): Promise<void>;
}

/**
 * Registers an in-memory SDK as the global meter and tracer providers. Test files share workers
 * (vitest `isolate: false`): call `uninstall()` in `afterEach`, so later files see no SDK.
 */
export function installTestTelemetry(): TestTelemetry {
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  metrics.setGlobalMeterProvider(meterProvider);
  trace.setGlobalTracerProvider(tracerProvider);

  const collect = async () => {
    const { resourceMetrics, errors } = await reader.collect();
    if (errors.length > 0) throw errors[0];
    return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
  };

  return {
    async points(name) {
      const metric = (await collect()).find((m) => m.descriptor.name === name);
      if (!metric) return [];
      if (metric.dataPointType === DataPointType.HISTOGRAM) {
        return metric.dataPoints.map((p) => ({
          attributes: p.attributes,
          value: p.value.sum ?? 0,
          count: p.value.count,
        }));
      }
      return (metric.dataPoints as DataPoint<number>[]).map((p) => ({
        attributes: p.attributes,
        value: p.value,
      }));
    },
    async descriptors() {
      return new Map(
        (await collect()).map((m) => [
          m.descriptor.name,
          { unit: m.descriptor.unit, description: m.descriptor.description },
        ]),
      );
    },
    spans: () => exporter.getFinishedSpans(),
    async uninstall() {
      metrics.disable();
      trace.disable();
      await meterProvider.shutdown();
      await tracerProvider.shutdown();
    },
  };
}

/** The points whose attributes include every entry of `match`. */
export function pointsWith(points: readonly Point[], match: Attributes): Point[] {
  return points.filter((p) => Object.entries(match).every(([key, value]) => p.attributes[key] === value));
}
