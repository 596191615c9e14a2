import { expectTypeOf, test } from 'vitest';
import { z } from 'zod';
import { createMemorySagaStore } from '../../src/adapters/memory/memory-saga-store.js';
import { bookingEvents } from '../../src/booking/events.js';
import { defineEventCatalog } from '../../src/events/catalog.js';
import { createEventBus } from '../../src/events/event-bus.js';
import { createSagaCoordinator } from '../../src/saga/coordinator.js';
import { defineSaga, type SagaInput, type SagaResults } from '../../src/saga/define-saga.js';
import { sagaEventsToBus } from '../../src/saga/saga-events-to-bus.js';

const transfer = defineSaga<{ from: string; cents: number }>({ name: 'transfer' })
  .step('debit', {
    run: async ({ input }) => ({ entryId: `e-${input.from}`, cents: input.cents }),
    compensate: ({ output, results }) => {
      expectTypeOf(output).toEqualTypeOf<{ entryId: string; cents: number }>();
      expectTypeOf(results).toEqualTypeOf<Record<never, never>>();
    },
  })
  .step('notify', { run: () => {} })
  .step('credit', {
    run: ({ results, attempt, sagaId, signal }) => {
      expectTypeOf(results.debit.entryId).toEqualTypeOf<string>();
      expectTypeOf(results.notify).toEqualTypeOf<null>();
      expectTypeOf(attempt).toEqualTypeOf<number>();
      expectTypeOf(sagaId).toEqualTypeOf<string>();
      expectTypeOf(signal).toEqualTypeOf<AbortSignal>();
      return 42;
    },
  });

test('each step sees the outputs of the steps before it, typed', () => {
  expectTypeOf<SagaResults<typeof transfer>['debit']>().toEqualTypeOf<{ entryId: string; cents: number }>();
  expectTypeOf<SagaResults<typeof transfer>['credit']>().toEqualTypeOf<number>();
  expectTypeOf<SagaInput<typeof transfer>>().toEqualTypeOf<{ from: string; cents: number }>();
});

test('a later step cannot read the output of a step after it', () => {
  defineSaga<null>({ name: 'order' })
    .step('first', {
      run: ({ results }) => {
        // @ts-expect-error `second` comes later
        const later: unknown = results.second;
        return later;
      },
    })
    .step('second', { run: () => 1 });
});

test('a step name is used once', () => {
  // @ts-expect-error `debit` is already a step
  transfer.step('debit', { run: () => 1 });
});

test('the input type comes from a zod schema when one is given', () => {
  const typed = defineSaga({ name: 'typed', input: z.object({ email: z.string() }) }).step('send', {
    run: ({ input }) => input.email,
  });
  expectTypeOf(typed.parseInput).toEqualTypeOf<((input: unknown) => { email: string }) | undefined>();
  expectTypeOf<SagaInput<typeof typed>>().toEqualTypeOf<{ email: string }>();
  expectTypeOf<SagaResults<typeof typed>>().toEqualTypeOf<{ readonly send: string }>();
});

test('start takes the saga input and resolves with every output', async () => {
  const coordinator = createSagaCoordinator({ store: createMemorySagaStore(), sagas: [transfer] });
  const { output } = await coordinator.start(transfer, { from: 'a', cents: 1 });
  expectTypeOf(output.credit).toEqualTypeOf<number>();
  // @ts-expect-error `cents` must be a number
  await coordinator.start(transfer, { from: 'a', cents: '1' });
});

test('sagaEventsToBus accepts a bus whose catalog has the saga events, and no other', () => {
  sagaEventsToBus(createEventBus({ catalog: bookingEvents }));
  const other = createEventBus({
    catalog: defineEventCatalog({ 'invoice.paid': z.object({ id: z.string() }) }),
  });
  // @ts-expect-error the catalog has no saga events
  sagaEventsToBus(other);
});
