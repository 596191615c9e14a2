import { describe, expect, it } from 'vitest';
import { isInvalidOptionError } from '../errors/invalid-option-error.js';
import { DEFAULT_RECONCILE_POLICY, resolveReconcilePolicy } from './policy.js';

describe('reconcile policy', () => {
  it('defaults: orphans healed, calendar-only imported, calendar changes accepted, unexplained times flagged', () => {
    const { actions } = resolveReconcilePolicy();
    expect(actions).toEqual(DEFAULT_RECONCILE_POLICY.actions);
    expect(actions).toMatchObject({
      not_in_calendar: 'heal_remote',
      not_in_database: 'import_local',
      cancelled_in_calendar: 'accept_remote',
      rescheduled_in_calendar: 'accept_remote',
      moved: 'flag_manual_review',
    });
  });

  it('takes an allowed action for a cause and keeps the other defaults', () => {
    const policy = resolveReconcilePolicy({ actions: { moved: 'accept_remote' }, ignore: ['end'] });
    expect(policy.actions.moved).toBe('accept_remote');
    expect(policy.actions.not_in_calendar).toBe('heal_remote');
    expect(policy.ignore).toEqual(['end']);
  });

  it('refuses an action the cause does not allow, naming the cause and the choices', () => {
    const error = (() => {
      try {
        resolveReconcilePolicy({ actions: { moved: 'import_local' } });
      } catch (e) {
        return e;
      }
    })();
    expect(isInvalidOptionError(error)).toBe(true);
    expect(String(error)).toContain('policy.actions.moved');
    expect(String(error)).toContain('accept_remote, accept_local, flag_manual_review');
  });

  it('refuses an unknown cause and an unknown ignored field', () => {
    expect(() => resolveReconcilePolicy({ actions: { nope: 'heal_remote' } as never })).toThrow(
      /policy\.actions\.nope/,
    );
    expect(() => resolveReconcilePolicy({ ignore: ['title' as never] })).toThrow(/policy\.ignore/);
  });
});
