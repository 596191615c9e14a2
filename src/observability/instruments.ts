import type { Counter, Histogram, Meter } from '@opentelemetry/api';
import { reportBreakerStates } from './breaker-states.js';
import { currentMeter } from './telemetry.js';

/**
 * Bucket boundaries of bookingkit's duration histograms, in seconds (the semantic conventions'
 * advice for HTTP durations): from 5 ms to 10 s.
 */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
/** Outbox lag, in seconds: from 10 ms to an hour (retries wait up to 10 minutes by default). */
const LAG_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

/**
 * Every instrument bookingkit records to. Names follow the OpenTelemetry conventions (dotted,
 * durations as histograms in seconds, unit `s`; counts with unit `{thing}`); the attributes each
 * takes are listed with it (names in {@link TelemetryAttributes}).
 */
export interface BookingkitInstruments {
  /** `bookingkit.booking.duration` (s): each booking command; command, outcome (`ok`/`error`), error.type, calendar_sync, replayed, tenant. */
  readonly bookingDuration: Histogram;
  /** `bookingkit.calendar.duration` (s): each calendar provider call; operation, outcome (`ok`/`refused`/`error`), error.type. */
  readonly calendarDuration: Histogram;
  /** `bookingkit.breaker.transitions` ({transition}): state changes a breaker observed; breaker, state (the new one). */
  readonly breakerTransitions: Counter;
  /** `bookingkit.breaker.rejections` ({call}): calls a breaker refused without running; breaker, state. */
  readonly breakerRejections: Counter;
  /** `bookingkit.cache.lookups` ({lookup}): cache reads; cache, result (`hit`/`miss`). */
  readonly cacheLookups: Counter;
  /** `bookingkit.webhook.duration` (s): each webhook request; source, outcome (`accepted`/`rejected`/`failed`), http.response.status_code. */
  readonly webhookDuration: Histogram;
  /** `bookingkit.outbox.lag` (s): from when a message was due to when a relay began delivering it; listener. */
  readonly outboxLag: Histogram;
  /** `bookingkit.outbox.deliveries` ({delivery}): delivery attempts; listener, outcome (`delivered`/`retried`/`dead_lettered`/`lost_lease`). */
  readonly outboxDeliveries: Counter;
  /** `bookingkit.saga.outcomes` ({saga}): sagas that ended; saga, outcome (`completed`/`compensated`/`failed`). */
  readonly sagaOutcomes: Counter;
  /** `bookingkit.reconcile.pairs` ({pair}): pairs a reconciliation compared, by drift class (`in_sync` included); tenant, mode, drift_class. */
  readonly reconcilePairs: Counter;
  /** `bookingkit.reconcile.actions` ({action}): actions a reconciliation took; tenant, action, outcome (`applied`/`failed`). */
  readonly reconcileActions: Counter;
  /** `bookingkit.reconcile.duration` (s): each applied reconciliation plan, planning included; tenant, mode. */
  readonly reconcileDuration: Histogram;
}

function define(meter: Meter): BookingkitInstruments {
  const seconds = (name: string, description: string, buckets = DURATION_BUCKETS): Histogram =>
    meter.createHistogram(name, { description, unit: 's', advice: { explicitBucketBoundaries: buckets } });
  meter
    .createObservableGauge('bookingkit.breaker.state', {
      description: 'Circuit breaker state: 1 for the current state of each breaker, 0 for the others',
      unit: '{state}',
    })
    .addCallback(reportBreakerStates);
  return {
    bookingDuration: seconds('bookingkit.booking.duration', 'Duration of booking commands'),
    calendarDuration: seconds('bookingkit.calendar.duration', 'Duration of calendar provider calls'),
    breakerTransitions: meter.createCounter('bookingkit.breaker.transitions', {
      description: 'Circuit breaker state changes',
      unit: '{transition}',
    }),
    breakerRejections: meter.createCounter('bookingkit.breaker.rejections', {
      description: 'Calls a circuit breaker refused without running them',
      unit: '{call}',
    }),
    cacheLookups: meter.createCounter('bookingkit.cache.lookups', {
      description: 'Cache reads, by hit or miss',
      unit: '{lookup}',
    }),
    webhookDuration: seconds('bookingkit.webhook.duration', 'Duration of webhook requests'),
    outboxLag: seconds(
      'bookingkit.outbox.lag',
      'Time from when an outbox message was due to when a relay began delivering it',
      LAG_BUCKETS,
    ),
    outboxDeliveries: meter.createCounter('bookingkit.outbox.deliveries', {
      description: 'Outbox delivery attempts, by outcome (dead_lettered: failed for the last time)',
      unit: '{delivery}',
    }),
    sagaOutcomes: meter.createCounter('bookingkit.saga.outcomes', {
      description: 'Sagas that ended, by outcome',
      unit: '{saga}',
    }),
    reconcilePairs: meter.createCounter('bookingkit.reconcile.pairs', {
      description: 'Pairs compared by reconciliation, by drift class',
      unit: '{pair}',
    }),
    reconcileActions: meter.createCounter('bookingkit.reconcile.actions', {
      description: 'Actions taken by reconciliation, by outcome',
      unit: '{action}',
    }),
    reconcileDuration: seconds('bookingkit.reconcile.duration', 'Duration of applied reconciliation plans'),
  };
}

let definedOn: { readonly meter: Meter; readonly instruments: BookingkitInstruments } | undefined;

/**
 * bookingkit's instruments on the meter of the provider registered now: defined once per
 * provider, so that recording costs a lookup, and an SDK registered after bookingkit started
 * receives what is recorded from then on. Without an SDK every instrument is the API's no-op.
 *
 * @example
 * ```ts
 * bookingkitInstruments().cacheLookups.add(1, { 'bookingkit.cache': 'availability', 'bookingkit.cache.result': 'hit' });
 * ```
 */
export function bookingkitInstruments(): BookingkitInstruments {
  const meter = currentMeter();
  if (definedOn?.meter !== meter) definedOn = { meter, instruments: define(meter) };
  return definedOn.instruments;
}
