import { sleep, type Clock } from '../../ports/clock.js';
import { answeredOk, type RetellSimExchange } from './sim-exchange.js';
import type { SimSender } from './sim-sender.js';
import type { RetellSimTarget } from './retell-simulator-options.js';
import type { RetellSimFunctionRetry } from './sim-script.js';

/** Retell caps what a function returns to the LLM at this many characters (reference §4.1). */
const retellFunctionResultLimit = 15_000;

/** A function step of a played call: its attempts and what the agent got back. */
export interface RetellSimFunctionResult {
  readonly name: string;
  readonly args: Readonly<Record<string, unknown>>;
  /** The id of its `tool_call_invocation` / `tool_call_result` entries in the transcript. */
  readonly toolCallId: string;
  /** Every attempt, in the order sent (retries included). */
  readonly attempts: readonly RetellSimExchange[];
  /**
   * What the LLM receives, as text, capped at 15,000 characters: the body of the last attempt
   * answered with a 2xx status; without one, the last attempt's body or error.
   */
  readonly result: string;
  /** Whether an attempt answered with a 2xx status. */
  readonly successful: boolean;
  /** The parsed body behind `result` (`undefined` without one). */
  readonly body: unknown;
}

/** Sends one function call, with the retries asked for. @internal */
export async function callFunction(options: {
  readonly sender: SimSender;
  readonly clock: Clock;
  readonly target: RetellSimTarget;
  readonly name: string;
  readonly body: string;
  readonly retry: RetellSimFunctionRetry;
}): Promise<Pick<RetellSimFunctionResult, 'attempts' | 'result' | 'successful' | 'body'>> {
  const { sender, clock, target, name, body, retry } = options;
  let attempt = 0;
  const sendAttempt = (): Promise<RetellSimExchange> => {
    attempt += 1;
    return sender.send({ kind: 'function', name, attempt, target, handlerPath: `functions/${name}`, body });
  };

  const pending = [sendAttempt()];
  if (retry.whilePending !== undefined && retry.whilePending !== false) {
    const afterMs = retry.whilePending === true ? 0 : retry.whilePending.afterMs;
    // Without a delay, no timer: a fake clock would otherwise have to be advanced by 0.
    if (afterMs > 0) await sleep(clock, afterMs);
    pending.push(sendAttempt());
  }
  const attempts = await Promise.all(pending);
  if (retry.afterAnswer === true) attempts.push(await sendAttempt());

  const answered = [...attempts].reverse().find(answeredOk) ?? attempts[attempts.length - 1]!;
  const result = answered.response?.text ?? answered.error ?? '';
  return {
    attempts,
    result: result.slice(0, retellFunctionResultLimit),
    successful: answeredOk(answered),
    body: answered.response?.body,
  };
}
