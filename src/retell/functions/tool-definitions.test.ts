import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { retellBuiltInFunctionSpecs } from './builtins/built-in-functions.js';
import { defineRetellFunction } from './define-function.js';
import { timeBudgetFor } from './time-budget.js';
import { retellToolDefinitions } from './tool-definitions.js';

const baseUrl = 'https://booking.example.com/retell/functions';

describe('retellToolDefinitions', () => {
  it('describes every built-in function with a JSON Schema generated from its zod schema', () => {
    const tools = retellToolDefinitions({ baseUrl, functions: retellBuiltInFunctionSpecs, locale: 'de' });
    expect(tools.map((tool) => tool.name)).toEqual([
      'check_availability',
      'book_appointment',
      'reschedule_appointment',
      'cancel_appointment',
      'list_services',
      'find_my_appointments',
    ]);
    const book = tools.find((tool) => tool.name === 'book_appointment')!;
    expect(book).toMatchObject({
      type: 'custom',
      url: baseUrl,
      method: 'POST',
      args_at_root: false,
      timeout_ms: 10_000,
      speak_during_execution: true,
      execution_message_type: 'static_text',
      execution_message_description: 'Einen Moment, ich trage den Termin ein.',
    });
    expect(book.parameters).toMatchObject({
      type: 'object',
      required: ['service', 'date', 'time', 'name'],
      properties: {
        date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
        time: { type: 'string', description: expect.stringContaining('HH:mm') },
        email: { type: 'string', format: 'email' },
      },
    });
    expect(book.parameters).not.toHaveProperty('$schema');
    // The schema is zod's own output, not a hand-written copy.
    const { $schema: _ignored, ...generated } = z.toJSONSchema(retellBuiltInFunctionSpecs[1]!.parameters, {
      io: 'input',
    });
    expect(book.parameters).toEqual(generated);
  });

  it('gives a function without arguments an empty object schema', () => {
    const [list] = retellToolDefinitions({
      baseUrl,
      functions: retellBuiltInFunctionSpecs.filter((fn) => fn.name === 'list_services'),
    });
    expect(list!.parameters).toMatchObject({ type: 'object', properties: {} });
    expect(list!.execution_message_description).toBe('One moment.');
  });

  it('carries a host function’s own timeout, above its time budget', () => {
    const fn = defineRetellFunction({
      name: 'slow',
      description: 'Slow.',
      parameters: z.object({ q: z.string() }),
      executionMessage: { de: 'Moment.', en: 'Hold on.' },
      timeoutMs: 30_000,
      run: async () => ({ say: 'ok' }),
    });
    const [tool] = retellToolDefinitions({ baseUrl, functions: [fn], headers: { 'x-tenant': '{{tenant}}' } });
    expect(tool).toMatchObject({ timeout_ms: 30_000, headers: { 'x-tenant': '{{tenant}}' } });
    expect(timeBudgetFor(30_000)).toBeLessThan(30_000);
  });

  it('refuses a relative URL and a timeout Retell would refuse', () => {
    expect(() => retellToolDefinitions({ baseUrl: '/retell', functions: [] })).toThrow(/baseUrl/);
    expect(() =>
      defineRetellFunction({
        name: 'x',
        description: 'x',
        parameters: z.object({}),
        executionMessage: { de: 'x', en: 'x' },
        timeoutMs: 700_000,
        run: async () => ({ say: 'x' }),
      }),
    ).toThrow(/timeoutMs/);
  });
});

describe('timeBudgetFor', () => {
  it('keeps a fifth of the timeout back, at least 1.5 s and at most 5 s', () => {
    expect(timeBudgetFor(10_000)).toBe(8_000);
    expect(timeBudgetFor(2_000)).toBe(500);
    expect(timeBudgetFor(120_000)).toBe(115_000);
  });
});
