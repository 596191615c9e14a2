import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import { systemClock } from '../../ports/clock.js';
import { checkClockOption, checkFunctionOption, checkStringOption } from '../../util/options.js';
import type { RetellSimCallResult } from './sim-call-result.js';
import type { RetellSimPlayOptions } from './sim-play-options.js';
import { playScript } from './sim-player.js';
import type { RetellCallSimulatorOptions } from './retell-simulator-options.js';
import {
  scriptBuilder,
  type RetellSimCallSpec,
  type RetellSimScriptBuilder,
  type RetellSimStep,
} from './sim-script.js';

/** A scripted call: build it step by step, then play it (as often as you like). */
export interface RetellSimCallScript extends RetellSimScriptBuilder<RetellSimCallScript> {
  /** The call's id, the same in every play. */
  readonly callId: string;
  /**
   * Sends the steps in order, each request signed at its sending; resolves once every request
   * (delayed and reordered ones too) has been answered. A failing target does not stop the call:
   * its exchange records the error.
   *
   * @throws {@link bookingkit!InvalidOptionError} for a bad play option, or a step whose target
   *   the simulator was not given.
   */
  play(options?: RetellSimPlayOptions): Promise<RetellSimCallResult>;
}

/** Plays scripted Retell calls against your endpoints. */
export interface RetellCallSimulator {
  /** Starts a script for a call. */
  call(spec: RetellSimCallSpec): RetellSimCallScript;
  /** Plays a script given as an array of steps. */
  play(
    spec: RetellSimCallSpec,
    steps: readonly RetellSimStep[],
    options?: RetellSimPlayOptions,
  ): Promise<RetellSimCallResult>;
}

const isTarget = (value: unknown): boolean =>
  typeof value === 'function' || typeof value === 'string' || value instanceof URL;

/**
 * Creates a call simulator that plays Retell's part of a phone call against your handlers or
 * URLs: the inbound-call webhook, `call_started`, custom-function calls, `call_ended` and
 * `call_analyzed`, each signed with the API key the way Retell signs. Play options add Retell's
 * delivery quirks: duplicates, reordering, dropped and delayed webhooks, and retried function
 * calls that overlap the first attempt.
 *
 * @throws {@link bookingkit!InvalidOptionError} for an empty `apiKey` or a bad option (naming it).
 * @example
 * ```ts
 * declare const app: { fetch(request: Request): Promise<Response> };
 * // ---cut---
 * const retell = createRetellCallSimulator({
 *   apiKey: 'key_test',
 *   webhook: (request) => app.fetch(request),
 *   inbound: (request) => app.fetch(request),
 *   functions: { byName: (name) => `http://localhost:3000/retell/functions/${name}` },
 * });
 * const result = await retell
 *   .call({ from: '+14155550100', to: '+14155550199', agentId: 'agent_1' })
 *   .inbound()
 *   .started()
 *   .function('check_availability', { date: '2026-01-06' })
 *   .function('book_appointment', { start: '2026-01-06T10:00:00Z' }, { retry: { whilePending: true } })
 *   .ended({ disconnectionReason: 'agent_hangup' })
 *   .analyzed({ summary: 'Booked a consultation.' })
 *   .play({ duplicates: { call_ended: 2 }, reorder: ['call_analyzed', 'call_ended'] });
 * console.log(result.functions[1]?.result); // what the agent was told
 * ```
 */
export function createRetellCallSimulator(options: RetellCallSimulatorOptions): RetellCallSimulator {
  const details = { factory: 'createRetellCallSimulator' };
  if (typeof options !== 'object' || options === null)
    throw new InvalidOptionError('options', options, 'an options object', details);
  checkStringOption('apiKey', options.apiKey, 1_000, details);
  checkClockOption(options.clock, details);
  checkFunctionOption('fetch', options.fetch, false, details);
  for (const option of ['webhook', 'inbound'] as const) {
    if (options[option] !== undefined && !isTarget(options[option]))
      throw new InvalidOptionError(option, options[option], 'a handler function or a URL', details);
  }
  const { functions } = options;
  const byName = typeof functions === 'object' && !(functions instanceof URL) ? functions.byName : undefined;
  if (functions !== undefined && !isTarget(functions) && typeof byName !== 'function')
    throw new InvalidOptionError('functions', functions, 'a handler function, a URL or { byName }', details);

  const simulator = { ...options, clock: options.clock ?? systemClock };
  let calls = 0;
  const callIdOf = (spec: RetellSimCallSpec): string => {
    calls += 1;
    return spec.callId ?? `sim_call_${calls}`;
  };
  const checkSpec = (spec: RetellSimCallSpec): void => {
    if (typeof spec !== 'object' || spec === null)
      throw new InvalidOptionError('spec', spec, 'a call spec object', details);
    for (const field of ['from', 'to', 'agentId'] as const)
      checkStringOption(field, spec[field], 100, details);
  };

  return {
    call(spec) {
      checkSpec(spec);
      const callId = callIdOf(spec);
      const steps: RetellSimStep[] = [];
      const script: RetellSimCallScript = {
        ...scriptBuilder<RetellSimCallScript>(steps, () => script),
        callId,
        play: (playOptions = {}) => playScript(simulator, spec, callId, steps, playOptions),
      };
      return script;
    },
    play(spec, steps, playOptions = {}) {
      checkSpec(spec);
      return playScript(simulator, spec, callIdOf(spec), [...steps], playOptions);
    },
  };
}
