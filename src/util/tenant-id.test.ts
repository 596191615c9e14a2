import { describe, expect, it } from 'vitest';
import { isValidationError } from '../errors/validation-error.js';
import { optionalTenantId, requireTenantId } from './tenant-id.js';

function refusal(check: () => unknown): unknown {
  try {
    check();
  } catch (error) {
    return error;
  }
  throw new Error('expected the check to throw');
}

describe('requireTenantId', () => {
  it('returns a non-empty string as it is', () => {
    expect(requireTenantId('tenant-a')).toBe('tenant-a');
  });

  it.each([undefined, null, '', 42, {}])('refuses %j with a ValidationError naming tenantId', (value) => {
    const error = refusal(() => requireTenantId(value));
    expect(isValidationError(error) && error.context.issues.map((issue) => issue.path)).toEqual(['tenantId']);
  });

  it('names the path it is given and what it got, never echoing the value', () => {
    const error = refusal(() => requireTenantId('', '2.tenantId'));
    expect(isValidationError(error) && error.message).toBe(
      'Invalid tenant scope: 2.tenantId: must be a non-empty string, got an empty string',
    );
    expect(String(refusal(() => requireTenantId(42)))).toContain('got a number');
  });
});

describe('optionalTenantId', () => {
  it('lets a filter that was left out pass as undefined, and checks one that was given', () => {
    expect(optionalTenantId(undefined)).toBeUndefined();
    expect(optionalTenantId('tenant-a')).toBe('tenant-a');
    expect(isValidationError(refusal(() => optionalTenantId('')))).toBe(true);
    expect(isValidationError(refusal(() => optionalTenantId(7)))).toBe(true);
  });
});
