import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import { sleep, type Clock } from '../../ports/clock.js';
import { checkNumberOption } from '../../util/options.js';
import type { RetellSimCallResult } from './sim-call-result.js';
import { createSimCallState } from './sim-call-state.js';
import { answeredOk, type RetellSimExchange } from './sim-exchange.js';
import { callFunction, type RetellSimFunctionResult } from './sim-function-call.js';
import { checkPlayOptions, copiesOf, type RetellSimPlayOptions } from './sim-play-options.js';
import type { RetellCallSimulatorOptions, RetellSimTarget } from './retell-simulator-options.js';
import type {
  RetellSimCallSpec,
  RetellSimDeliveryEvent,
  RetellSimStep,
  RetellSimWebhookEvent,
} from './sim-script.js';
import { createSimSender, type SimSending } from './sim-sender.js';
import { reorderWebhooks } from './sim-webhook-order.js';

/** Retell's rule for tool names (reference §4.1). */
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const details = { factory: 'RetellSimCallScript.play' };
const stepKinds: ReadonlySet<string> = new Set<RetellSimStep['kind']>([
  'inbound',
  'call_started',
  'transcript_updated',
  'call_ended',
  'call_analyzed',
  'say',
  'function',
  'wait',
]);

/** Refuses a script that cannot be played with these targets, before anything is sent. */
function checkScript(
  simulator: RetellCallSimulatorOptions,
  spec: RetellSimCallSpec,
  steps: readonly RetellSimStep[],
): void {
  const need = (option: 'webhook' | 'inbound' | 'functions', why: string): void => {
    if (simulator[option] === undefined)
      throw new InvalidOptionError(option, undefined, `a handler or URL, for ${why}`, {
        factory: 'createRetellCallSimulator',
      });
  };
  for (const [index, step] of steps.entries()) {
    if (typeof step !== 'object' || step === null || !stepKinds.has(step.kind))
      throw new InvalidOptionError(
        `steps[${index}]`,
        step,
        `a step of kind ${[...stepKinds].join(', ')}`,
        details,
      );
    if (step.kind === 'inbound') {
      need('inbound', 'a script with an inbound() step');
      if (spec.direction === 'outbound')
        throw new InvalidOptionError(
          'direction',
          spec.direction,
          "'inbound', for a script with an inbound() step",
          details,
        );
    } else if (step.kind === 'function') {
      need('functions', 'a script with function steps');
      if (!FUNCTION_NAME.test(step.name))
        throw new InvalidOptionError('function', step.name, 'a name of 1 to 64 of [a-zA-Z0-9_-]', details);
    } else if (step.kind === 'wait') {
      checkNumberOption('wait', step.ms, {}, details);
    } else if (step.kind !== 'say') {
      need('webhook', `a script with a ${step.kind} step`);
    }
  }
}

/** Plays `steps` of the call `spec` against the simulator's targets. @internal */
export async function playScript(
  simulator: RetellCallSimulatorOptions & { readonly clock: Clock },
  spec: RetellSimCallSpec,
  callId: string,
  steps: readonly RetellSimStep[],
  options: RetellSimPlayOptions,
): Promise<RetellSimCallResult> {
  checkPlayOptions(options);
  checkScript(simulator, spec, steps);
  const { clock } = simulator;
  const sender = createSimSender({
    apiKey: simulator.apiKey,
    clock,
    fetch: () => simulator.fetch ?? globalThis.fetch,
  });
  const state = createSimCallState(spec, callId);
  const functions: RetellSimFunctionResult[] = [];
  const held: { event: RetellSimWebhookEvent; body: string }[] = [];
  const delayed: Promise<unknown>[] = [];
  const drop = new Set(options.drop ?? []);

  const sendCopies = async (
    event: RetellSimDeliveryEvent,
    sending: Omit<SimSending, 'attempt' | 'event'>,
  ): Promise<RetellSimExchange[]> => {
    const { times, concurrent } = copiesOf(options, event);
    const copy = (index: number) => sender.send({ ...sending, event, attempt: index + 1 });
    if (concurrent) return Promise.all(Array.from({ length: times }, (_, index) => copy(index)));
    const sent: RetellSimExchange[] = [];
    for (let index = 0; index < times; index += 1) sent.push(await copy(index));
    return sent;
  };
  const webhookTarget = simulator.webhook as RetellSimTarget;
  const sendWebhook = (event: RetellSimWebhookEvent, body: string) =>
    sendCopies(event, { kind: 'webhook', target: webhookTarget, handlerPath: 'webhook', body });
  const deliver = async (event: RetellSimWebhookEvent): Promise<void> => {
    const body = JSON.stringify({ event, call: state.snapshot() });
    if (drop.has(event)) return;
    if (options.reorder !== undefined) held.push({ event, body });
    else if (options.delays?.[event] !== undefined) {
      delayed.push(sleep(clock, options.delays[event]).then(() => sendWebhook(event, body)));
    } else await sendWebhook(event, body);
  };
  const functionTarget = (name: string): RetellSimTarget => {
    const target = simulator.functions as NonNullable<RetellCallSimulatorOptions['functions']>;
    return typeof target === 'object' && 'byName' in target ? target.byName(name) : target;
  };

  for (const [index, step] of steps.entries()) {
    if (index > 0 && (options.stepDelayMs ?? 0) > 0) await sleep(clock, options.stepDelayMs ?? 0);
    switch (step.kind) {
      case 'inbound': {
        const body = JSON.stringify(state.inboundPayload());
        const target = simulator.inbound as RetellSimTarget;
        const attempts = await sendCopies('call_inbound', {
          kind: 'inbound',
          target,
          handlerPath: 'inbound',
          body,
        });
        const answer = attempts.find(answeredOk);
        if (answer) state.applyInboundAnswer(answer.response?.body);
        break;
      }
      case 'call_started':
        state.start(clock.now());
        await deliver('call_started');
        break;
      case 'transcript_updated':
        await deliver('transcript_updated');
        break;
      case 'call_ended':
        state.end(clock.now(), step.disconnectionReason ?? 'user_hangup');
        await deliver('call_ended');
        break;
      case 'call_analyzed':
        state.analyze(step.analysis ?? {});
        await deliver('call_analyzed');
        break;
      case 'say':
        state.say(step.role, step.content);
        break;
      case 'wait':
        if (step.ms > 0) await sleep(clock, step.ms);
        break;
      case 'function': {
        const toolCallId = `${callId}_tool_${functions.length + 1}`;
        const body = JSON.stringify(
          step.argsAtRoot === true ? step.args : { name: step.name, call: state.snapshot(), args: step.args },
        );
        state.toolInvocation(toolCallId, step.name, step.args);
        const outcome = await callFunction({
          sender,
          clock,
          target: functionTarget(step.name),
          name: step.name,
          body,
          retry: step.retry ?? {},
        });
        state.toolResult(toolCallId, outcome.result, outcome.successful);
        functions.push({ name: step.name, args: step.args, toolCallId, ...outcome });
        break;
      }
    }
  }
  if (options.reorder !== undefined) {
    for (const { event, body } of reorderWebhooks(held, options.reorder)) await sendWebhook(event, body);
  }
  await Promise.all(delayed);

  const exchanges = [...sender.exchanges];
  return {
    callId,
    call: state.snapshot(),
    exchanges,
    webhooks: exchanges.filter((exchange) => exchange.kind === 'webhook'),
    inbound: exchanges.filter((exchange) => exchange.kind === 'inbound'),
    functions,
  };
}
