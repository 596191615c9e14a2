/** The call a script plays: a phone call between two numbers, answered by an agent. */
export interface RetellSimCallSpec {
  /** The caller's number, E.164. */
  readonly from: string;
  /** The called number, E.164. */
  readonly to: string;
  /** @default 'inbound' */
  readonly direction?: 'inbound' | 'outbound';
  /** The agent that answers (an `inbound()` answer may override it). */
  readonly agentId: string;
  /** @default 1 */
  readonly agentVersion?: number;
  readonly agentName?: string;
  /** @default `sim_call_<n>`, counting the simulator's calls from 1 */
  readonly callId?: string;
  /** The call's `metadata`, as set when it was created (an `inbound()` answer may replace it). */
  readonly metadata?: unknown;
  /** The call's `retell_llm_dynamic_variables` (an `inbound()` answer may add to them). */
  readonly dynamicVariables?: Readonly<Record<string, string>>;
}

/** Call lifecycle webhooks a script sends. */
export type RetellSimWebhookEvent = 'call_started' | 'call_ended' | 'call_analyzed' | 'transcript_updated';

/** Every event the simulator delivers: the lifecycle webhooks and the inbound-call webhook. */
export type RetellSimDeliveryEvent = RetellSimWebhookEvent | 'call_inbound';

/** Post-call analysis of a `call_analyzed` step (sent as the call's `call_analysis`). */
export interface RetellSimAnalysis {
  /** @default 'The caller spoke with the agent.' */
  readonly summary?: string;
  /** `Negative`, `Positive`, `Neutral` or `Unknown`. @default 'Neutral' */
  readonly sentiment?: string;
  /** @default true */
  readonly successful?: boolean;
  /** The agent's custom post-call analysis fields. @default none */
  readonly customData?: unknown;
  /** @default false */
  readonly inVoicemail?: boolean;
}

/** Retell's repeats of a function call (it retries a failed or timed-out call up to twice). */
export interface RetellSimFunctionRetry {
  /**
   * Sends a second attempt `afterMs` (on the simulator's clock) after the first was sent, without
   * waiting for the first to answer: a retry that overlaps it. `true` means `afterMs: 0`.
   * @default false
   */
  readonly whilePending?: boolean | { readonly afterMs: number };
  /** Sends one more attempt once every earlier attempt has answered. @default false */
  readonly afterAnswer?: boolean;
}

/** Options of a function step. */
export interface RetellSimFunctionOptions {
  /** @default no repeats */
  readonly retry?: RetellSimFunctionRetry;
  /** Send only the args object as the body ("Payload: args only"), not `{ name, call, args }`. @default false */
  readonly argsAtRoot?: boolean;
}

/** One step of a scripted call, played in order. */
export type RetellSimStep =
  | { readonly kind: 'inbound' }
  | { readonly kind: 'call_started' }
  | { readonly kind: 'transcript_updated' }
  | { readonly kind: 'call_ended'; readonly disconnectionReason?: string }
  | { readonly kind: 'call_analyzed'; readonly analysis?: RetellSimAnalysis }
  | { readonly kind: 'say'; readonly role: 'agent' | 'user'; readonly content: string }
  | ({
      readonly kind: 'function';
      readonly name: string;
      readonly args: Readonly<Record<string, unknown>>;
    } & RetellSimFunctionOptions)
  | { readonly kind: 'wait'; readonly ms: number };

/**
 * A scripted call, built step by step; every method appends a step and returns the script.
 * `play` (see {@link RetellSimCallScript.play}) sends it.
 */
export interface RetellSimScriptBuilder<Self> {
  /** The steps so far, in order. */
  readonly steps: readonly RetellSimStep[];
  /** The inbound-call webhook; its answer's overrides, variables and metadata apply to the call. */
  inbound(): Self;
  /** `call_started`: the call is `ongoing` from the simulator's now. */
  started(): Self;
  /** An utterance, added to the transcript of every later payload. */
  say(role: 'agent' | 'user', content: string): Self;
  /** A custom-function call with these args; the answer joins the transcript as a tool result. */
  function(name: string, args?: Readonly<Record<string, unknown>>, options?: RetellSimFunctionOptions): Self;
  /** `transcript_updated`, with the transcript so far. */
  transcriptUpdated(): Self;
  /** `call_ended`: the call is `ended`, without `call_analysis`. @default reason 'user_hangup' */
  ended(options?: { readonly disconnectionReason?: string }): Self;
  /** `call_analyzed`: the ended call with `call_analysis`. */
  analyzed(analysis?: RetellSimAnalysis): Self;
  /** Waits `ms` on the simulator's clock before the next step. */
  wait(ms: number): Self;
}

/** Adds the builder methods to `self`, appending to `steps`. @internal */
export function scriptBuilder<Self extends RetellSimScriptBuilder<Self>>(
  steps: RetellSimStep[],
  self: () => Self,
): RetellSimScriptBuilder<Self> {
  const add = (step: RetellSimStep): Self => {
    steps.push(step);
    return self();
  };
  return {
    steps,
    inbound: () => add({ kind: 'inbound' }),
    started: () => add({ kind: 'call_started' }),
    say: (role, content) => add({ kind: 'say', role, content }),
    function: (name, args = {}, options = {}) => add({ kind: 'function', name, args, ...options }),
    transcriptUpdated: () => add({ kind: 'transcript_updated' }),
    ended: (options = {}) => add({ kind: 'call_ended', ...options }),
    analyzed: (analysis) =>
      add(analysis === undefined ? { kind: 'call_analyzed' } : { kind: 'call_analyzed', analysis }),
    wait: (ms) => add({ kind: 'wait', ms }),
  };
}
