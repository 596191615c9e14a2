import type { RetellPhoneCall } from '../../retell/webhook-schema.js';
import type { RetellSimAnalysis, RetellSimCallSpec } from './sim-script.js';

/** The `call_inbound` answer fields the simulator applies to the call (reference §1.5). */
interface InboundAnswer {
  readonly override_agent_id?: unknown;
  readonly override_agent_version?: unknown;
  readonly dynamic_variables?: unknown;
  readonly metadata?: unknown;
}

/** The call as it changes while a script plays. @internal */
export interface SimCallState {
  /** A copy of the call object now, as a payload carries it. */
  snapshot(): RetellPhoneCall;
  /** The `call_inbound` body: no call id or call object yet. */
  inboundPayload(): { event: 'call_inbound'; call_inbound: Record<string, unknown> };
  applyInboundAnswer(answer: unknown): void;
  start(now: number): void;
  say(role: 'agent' | 'user', content: string): void;
  toolInvocation(toolCallId: string, name: string, args: unknown): void;
  toolResult(toolCallId: string, content: string, successful: boolean): void;
  end(now: number, disconnectionReason: string): void;
  analyze(analysis: RetellSimAnalysis): void;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** @internal */
export function createSimCallState(spec: RetellSimCallSpec, callId: string): SimCallState {
  const call: Record<string, unknown> = {
    call_id: callId,
    call_type: 'phone_call',
    agent_id: spec.agentId,
    agent_version: spec.agentVersion ?? 1,
    ...(spec.agentName === undefined ? {} : { agent_name: spec.agentName }),
    call_status: 'registered',
    direction: spec.direction ?? 'inbound',
    from_number: spec.from,
    to_number: spec.to,
    ...(spec.metadata === undefined ? {} : { metadata: spec.metadata }),
    ...(spec.dynamicVariables === undefined
      ? {}
      : { retell_llm_dynamic_variables: { ...spec.dynamicVariables } }),
  };
  const utterances: { role: string; content: string }[] = [];
  const withTools: Record<string, unknown>[] = [];

  const transcriptFields = (): Record<string, unknown> =>
    utterances.length === 0 && withTools.length === 0
      ? {}
      : {
          transcript: utterances
            .map((u) => `${u.role === 'agent' ? 'Agent' : 'User'}: ${u.content}\n`)
            .join(''),
          transcript_object: utterances.map((u) => ({ ...u, words: [] })),
          transcript_with_tool_calls: withTools.map((item) => ({ ...item })),
        };

  return {
    snapshot: () => structuredClone({ ...call, ...transcriptFields() }) as RetellPhoneCall,
    inboundPayload: () => ({
      event: 'call_inbound',
      call_inbound: {
        agent_id: spec.agentId,
        agent_version: spec.agentVersion ?? 1,
        from_number: spec.from,
        to_number: spec.to,
      },
    }),
    applyInboundAnswer(answer) {
      const fields =
        isRecord(answer) && isRecord(answer.call_inbound) ? (answer.call_inbound as InboundAnswer) : {};
      if (typeof fields.override_agent_id === 'string') call.agent_id = fields.override_agent_id;
      if (typeof fields.override_agent_version === 'number')
        call.agent_version = fields.override_agent_version;
      if (isRecord(fields.dynamic_variables)) {
        const variables = { ...(call.retell_llm_dynamic_variables as Record<string, string> | undefined) };
        for (const [name, value] of Object.entries(fields.dynamic_variables)) variables[name] = String(value);
        call.retell_llm_dynamic_variables = variables;
      }
      if (fields.metadata !== undefined) call.metadata = fields.metadata;
    },
    start(now) {
      call.call_status = 'ongoing';
      call.start_timestamp = now;
    },
    say(role, content) {
      utterances.push({ role, content });
      withTools.push({ role, content });
    },
    toolInvocation(toolCallId, name, args) {
      withTools.push({
        role: 'tool_call_invocation',
        tool_call_id: toolCallId,
        name,
        arguments: JSON.stringify(args),
      });
    },
    toolResult(toolCallId, content, successful) {
      withTools.push({ role: 'tool_call_result', tool_call_id: toolCallId, content, successful });
    },
    end(now, disconnectionReason) {
      call.call_status = 'ended';
      call.end_timestamp = now;
      call.start_timestamp ??= now;
      call.duration_ms = now - (call.start_timestamp as number);
      call.disconnection_reason = disconnectionReason;
    },
    analyze(analysis) {
      call.call_analysis = {
        call_summary: analysis.summary ?? 'The caller spoke with the agent.',
        user_sentiment: analysis.sentiment ?? 'Neutral',
        call_successful: analysis.successful ?? true,
        in_voicemail: analysis.inVoicemail ?? false,
        ...(analysis.customData === undefined ? {} : { custom_analysis_data: analysis.customData }),
      };
    },
  };
}
