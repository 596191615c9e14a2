import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layers } from '../../eslint.layers.js';
import { architectureSvg } from '../../scripts/architecture-diagram.js';

const committed = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'architecture.svg'), 'utf8');

describe('docs/architecture.svg', () => {
  it('is what scripts/architecture-diagram.ts draws from eslint.layers.js (run it after a layer change)', () => {
    expect(committed).toBe(architectureSvg());
  });

  it('shows every folder of every layer', () => {
    for (const folder of layers.flat().filter((name) => name !== 'adapters')) {
      expect(committed).toContain(`>${folder}/</text>`);
    }
    for (const family of ['memory', 'postgres', 'redis'])
      expect(committed).toContain(`>adapters/${family}</text>`);
  });
});
