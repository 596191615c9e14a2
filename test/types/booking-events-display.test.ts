import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

// What a user sees in a hover and in a compile error, read from the compiler itself: a type test
// (`.test-d.ts`) can tell that a misspelt event name fails, but not what the message says.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const probe = join(root, 'test', 'types', '__booking-events-probe.ts');
const source = `
import { bookingEvents } from '../../src/booking/events.js';
import { createEventBus } from '../../src/events/event-bus.js';
export const catalog = bookingEvents;
const bus = createEventBus({ catalog: bookingEvents });
bus.on('appointment.bookd', () => undefined);
`;

let messages: string[] = [];
let catalogType = '';

beforeAll(() => {
  const options: ts.CompilerOptions = {
    strict: true,
    exactOptionalPropertyTypes: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (file) => (file === probe ? source : readFile(file));
  host.fileExists = (file) => file === probe || fileExists(file);
  host.getSourceFile = (file, language, ...rest) =>
    file === probe ? ts.createSourceFile(file, source, language) : getSourceFile(file, language, ...rest);
  const program = ts.createProgram([probe], options, host);
  const file = program.getSourceFile(probe);
  if (!file) throw new Error('the probe did not compile');
  messages = ts
    .getPreEmitDiagnostics(program, file)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  const checker = program.getTypeChecker();
  const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(file)!);
  const catalog = exported.find((symbol) => symbol.getName() === 'catalog')!;
  catalogType = checker.typeToString(checker.getTypeOfSymbol(catalog));
}, 60_000);

describe('the booking event catalog as a user sees it', () => {
  it('has a named type, not the expansion of its schemas', () => {
    expect(catalogType).toBe('BookingEvents');
  });

  it('answers a misspelt event name with the valid names, in one short message', () => {
    expect(messages).toHaveLength(1);
    const [message] = messages as [string];
    expect(message).toContain(`Argument of type '"appointment.bookd"'`);
    expect(message).toContain('"appointment.booked"');
    expect(message).toContain('"appointment.requested"');
    expect(message).not.toContain('ZodObject');
    expect(message.length).toBeLessThan(600);
  });
});
