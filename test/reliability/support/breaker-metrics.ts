/**
 * A backend's circuit breakers as its `/metrics` reports them (the `bookingkit.breaker.state`
 * gauge: 1 for each breaker's current state), for scenarios that must see a breaker close, which
 * `/ready` cannot tell from half-open.
 */
import { send } from './api.js';

/**
 * The state each breaker of the backend at `url` reports, by breaker name (empty when `/metrics`
 * does not answer).
 *
 * @example
 * ```ts
 * const states = await breakerStates(backend.url); // Map { 'calendar' => 'closed' }
 * ```
 */
export async function breakerStates(url: string): Promise<Map<string, string>> {
  const answer = await send(`${url}/metrics`, { signal: AbortSignal.timeout(3_000) });
  const states = new Map<string, string>();
  if (answer.status !== 200) return states;
  for (const line of answer.text.split('\n')) {
    const sample = /^bookingkit_breaker_state\w*\{([^}]*)\}\s+(\S+)/.exec(line);
    if (!sample || Number(sample[2]) !== 1) continue;
    const labels = new Map([...sample[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    const name = labels.get('bookingkit_breaker');
    const state = labels.get('bookingkit_breaker_state');
    if (name !== undefined && state !== undefined) states.set(name, state);
  }
  return states;
}

/**
 * The calendar calls of the backend at `url` that failed since it started (the
 * `bookingkit.calendar.duration` histogram's count with outcome `error`), by error type; `null`
 * when `/metrics` does not answer.
 *
 * @example
 * ```ts
 * const failed = await calendarCallErrors(backend.url); // Map { 'CalcomUnavailableError' => 3 }
 * ```
 */
export async function calendarCallErrors(url: string): Promise<Map<string, number> | null> {
  const answer = await send(`${url}/metrics`, { signal: AbortSignal.timeout(3_000) });
  if (answer.status !== 200) return null;
  const errors = new Map<string, number>();
  for (const line of answer.text.split('\n')) {
    const sample = /^bookingkit_calendar_duration_count\{([^}]*)\}\s+(\S+)/.exec(line);
    if (!sample) continue;
    const labels = new Map([...sample[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    if (labels.get('bookingkit_outcome') !== 'error') continue;
    const type = labels.get('error_type') ?? '?';
    errors.set(type, (errors.get(type) ?? 0) + Number(sample[2]));
  }
  return errors;
}
