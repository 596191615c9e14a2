import type { IdempotencyJoin } from '../../idempotency/idempotent-joined.js';
import type { SagaJoin } from '../../saga/coordinator-types.js';
import type { SagaRecord } from '../../saga/saga-store.js';
import type { Appointment } from '../../domain/appointment.js';
import type { BookingTransaction } from './booking-context.js';
import type { CommandDeps, CommandOutcome } from './command-handlers.js';

/** The idempotency claim of a command that runs in the booking transactions. @internal */
export type CommandJoin = IdempotencyJoin<BookingTransaction>;

/**
 * The saga join of a command: the idempotency claim commits with the saga's creation, and the
 * answer, built from the appointment its last step left (`output.appointment`), with its completion.
 *
 * @internal
 */
export function sagaJoinOf(
  join: CommandJoin | undefined,
  answer: (appointment: Appointment) => CommandOutcome,
): { join?: SagaJoin<BookingTransaction> } {
  if (!join) return {};
  return {
    join: {
      start: (tx) => join.claim(tx),
      end: async (tx: BookingTransaction, record: SagaRecord) => {
        const { appointment } = record.steps.at(-1)!.output as unknown as { appointment: Appointment };
        await join.answer(tx, answer(appointment) as never);
      },
    },
  };
}

/**
 * Claims and answers the key in one transaction, for a command that ends without a saga (a
 * cancel of what is cancelled already): the key is still taken, so a later request with another
 * body under it is refused as with any other answer.
 *
 * @internal
 */
export async function answerAlone(
  deps: CommandDeps,
  join: CommandJoin | undefined,
  outcome: CommandOutcome,
): Promise<CommandOutcome> {
  if (!join) return outcome;
  await deps.context.unitOfWork.run(async (tx) => {
    await join.claim(tx as BookingTransaction);
    await join.answer(tx as BookingTransaction, outcome as never);
  });
  return outcome;
}
