import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEventCatalog, mergeEventCatalogs } from './catalog.js';

describe('defineEventCatalog', () => {
  it('lists the types in declaration order with their current versions', () => {
    const catalog = defineEventCatalog({
      'a.one': z.object({}),
      'a.two': { schema: z.object({}), version: 2, upcasters: { 1: (d) => d } },
    });
    expect(catalog.types).toEqual(['a.one', 'a.two']);
    expect(catalog.definitions.get('a.two')?.version).toBe(2);
    expect(catalog.definitions.get('a.one')?.version).toBe(1);
  });

  it('refuses a spec without a zod schema, naming the type', () => {
    expect(() => defineEventCatalog({ 'a.one': { schema: {} as never } })).toThrow(
      /^defineEventCatalog: option "specs\["a.one"\].schema" must be a zod schema/,
    );
  });

  it('refuses a version whose upcaster chain has a gap', () => {
    expect(() =>
      defineEventCatalog({ 'a.one': { schema: z.object({}), version: 3, upcasters: { 1: (d) => d } } }),
    ).toThrow(/^defineEventCatalog: option "specs\["a.one"\].upcasters\[2\]" is required/);
  });

  it('merges catalogs and refuses a type defined twice', () => {
    const a = defineEventCatalog({ 'a.one': z.object({}) });
    const b = defineEventCatalog({ 'b.one': z.object({}) });
    expect(mergeEventCatalogs(a, b).types).toEqual(['a.one', 'b.one']);
    expect(() => mergeEventCatalogs(a, a)).toThrow(
      'mergeEventCatalogs: option "b" must be a catalog with none of the event types of a, got "a.one"',
    );
  });
});
