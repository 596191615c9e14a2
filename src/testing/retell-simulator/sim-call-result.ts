import type { RetellPhoneCall } from '../../retell/webhook-schema.js';
import type { RetellSimExchange } from './sim-exchange.js';
import type { RetellSimFunctionResult } from './sim-function-call.js';

/** What one play of a scripted call sent and got back. */
export interface RetellSimCallResult {
  readonly callId: string;
  /** The call object as it stood after the last step. */
  readonly call: RetellPhoneCall;
  /** Every request sent, in the order sent (duplicates and retries included), with its answer. */
  readonly exchanges: readonly RetellSimExchange[];
  /** The lifecycle webhooks among {@link RetellSimCallResult.exchanges}, in the order sent. */
  readonly webhooks: readonly RetellSimExchange[];
  /** The inbound-call webhook's attempts, in the order sent. */
  readonly inbound: readonly RetellSimExchange[];
  /** One entry per function step, in script order: what the agent got back to speak from. */
  readonly functions: readonly RetellSimFunctionResult[];
}
