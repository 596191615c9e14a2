import { metrics } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

/** The `/metrics` endpoint: bookingkit's OpenTelemetry metrics in the Prometheus text format. */
export interface MetricsEndpoint {
  /** Answers a scrape: every metric recorded so far, as Prometheus text. */
  handle(request: Request): Promise<Response>;
  /** Unregisters the meter provider (bookingkit records to the no-op again) and shuts it down. */
  close(): Promise<void>;
}

/**
 * Registers an OpenTelemetry meter provider read by the Prometheus exporter, as the global one
 * that bookingkit records to through `@opentelemetry/api`. The exporter starts no server of its
 * own: the app serves its text on `GET /metrics`. Call it before the kit is created, so the
 * first commands are measured too (bookingkit would pick a later one up as well).
 */
export function createMetricsEndpoint(): MetricsEndpoint {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const provider = new MeterProvider({ readers: [exporter] });
  if (!metrics.setGlobalMeterProvider(provider))
    throw new Error('A global OpenTelemetry meter provider is registered already');
  const serializer = new PrometheusSerializer();
  return {
    async handle() {
      const { resourceMetrics, errors } = await exporter.collect();
      if (errors.length > 0) throw errors[0];
      return new Response(serializer.serialize(resourceMetrics), {
        headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
      });
    },
    async close() {
      metrics.disable();
      await provider.shutdown();
    },
  };
}
