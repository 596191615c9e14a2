import { describe, expect, it } from 'vitest';
import { maskEmail } from './mask-email.js';

describe('maskEmail', () => {
  it('keeps the first character and the domain', () => {
    expect(maskEmail('ana.maria@example.com')).toBe('a********@example.com');
    expect(maskEmail('x@example.com')).toBe('*@example.com');
  });

  it('masks everything of something that is not an address', () => {
    expect(maskEmail('not an email')).toBe('************');
    expect(maskEmail('@example.com')).toBe('************');
    expect(maskEmail('ana@')).toBe('****');
  });
});
