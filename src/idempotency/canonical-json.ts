import { ValidationError } from '../errors/validation-error.js';

/**
 * Serialises `value` as JSON with object keys sorted (by UTF-16 code units, at every depth), so
 * that two values with the same content give the same text whatever order their keys were
 * written in. Otherwise it follows `JSON.stringify`: `toJSON()` is honoured (a `Date` becomes its
 * ISO string), properties that are `undefined`, functions or symbols are left out, and in arrays
 * they become `null`, as do `NaN` and `Infinity`.
 *
 * @throws {@link ValidationError} for a `BigInt`, a cycle, or a top-level value with no JSON form.
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: [true, { d: null, c: 'x' }] }); // '{"a":[true,{"c":"x","d":null}],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  const text = write(value, '', '', new Set());
  if (text === undefined) throw invalid('', `has no JSON form (${typeof value})`);
  return text;
}

function write(input: unknown, key: string, path: string, ancestors: Set<object>): string | undefined {
  const value = hasToJson(input) ? input.toJSON(key) : input;
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw invalid(path, 'is a BigInt, which has no JSON form');
    case 'object':
      break;
    default:
      return undefined; // undefined, function, symbol
  }
  if (value === null) return 'null';
  if (ancestors.has(value)) throw invalid(path, 'refers back to itself (a cycle)');
  ancestors.add(value);
  let text: string;
  if (Array.isArray(value)) {
    text = `[${value.map((item, index) => write(item, String(index), join(path, String(index)), ancestors) ?? 'null').join(',')}]`;
  } else {
    const record = value as Record<string, unknown>;
    const members: string[] = [];
    for (const name of Object.keys(record).sort()) {
      const member = write(record[name], name, join(path, name), ancestors);
      if (member !== undefined) members.push(`${JSON.stringify(name)}:${member}`);
    }
    text = `{${members.join(',')}}`;
  }
  ancestors.delete(value);
  return text;
}

function hasToJson(value: unknown): value is { toJSON(key: string): unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  );
}

function join(path: string, segment: string): string {
  return path === '' ? segment : `${path}.${segment}`;
}

function invalid(path: string, message: string): ValidationError {
  return new ValidationError('value for canonical JSON', [{ path, message }]);
}
