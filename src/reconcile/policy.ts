import { InvalidOptionError } from '../errors/invalid-option-error.js';
import type { DriftCause, ReconcileAction } from './drift.js';

/** A field `compare` can be told to ignore. */
export type ComparedField = 'start' | 'end' | 'status';

/**
 * A tenant's reconciliation policy: the action for each {@link DriftCause}, and the fields whose
 * differences are not drift. Every cause left out takes its default from
 * {@link DEFAULT_RECONCILE_POLICY}.
 */
export interface ReconcilePolicyInput {
  readonly actions?: Partial<Readonly<Record<DriftCause, ReconcileAction>>>;
  /**
   * Differences in these fields are not drift: e.g. `['end']` for a tenant whose calendar keeps
   * a different length than the local appointment. @default []
   */
  readonly ignore?: readonly ComparedField[];
}

/** A policy with every cause resolved. */
export interface ReconcilePolicy {
  readonly actions: Readonly<Record<DriftCause, ReconcileAction>>;
  readonly ignore: readonly ComparedField[];
}

/** The actions each cause allows; the first is not necessarily the default. */
const ALLOWED: Readonly<Record<DriftCause, readonly ReconcileAction[]>> = {
  not_in_calendar: ['heal_remote', 'accept_remote', 'flag_manual_review'],
  unlinked: ['heal_remote', 'flag_manual_review'],
  not_in_database: ['import_local', 'accept_local', 'flag_manual_review'],
  duplicate: ['accept_local', 'flag_manual_review'],
  moved: ['accept_remote', 'accept_local', 'flag_manual_review'],
  rescheduled_in_calendar: ['accept_remote', 'flag_manual_review'],
  rescheduled_outside_window: ['flag_manual_review'],
  cancelled_in_calendar: ['accept_remote', 'flag_manual_review'],
  cancelled_locally: ['accept_local', 'flag_manual_review'],
  pending_locally: ['accept_remote', 'flag_manual_review'],
  pending_in_calendar: ['flag_manual_review'],
};

/**
 * The default policy: heal what the evidence explains, flag what it does not.
 *
 * - an orphan (`not_in_calendar`) is created in the calendar; an `unlinked` one is linked;
 * - a calendar-only booking (`not_in_database`) is imported;
 * - a cancel or a reschedule made in the calendar is accepted locally (without an echo); a cancel
 *   made locally is carried to the calendar; a confirmation in the calendar is accepted;
 * - different times without a reschedule to explain them (`moved`), a duplicate, a reschedule
 *   to outside the window and a booking still pending in the calendar go to manual review.
 */
export const DEFAULT_RECONCILE_POLICY: ReconcilePolicy = Object.freeze({
  actions: Object.freeze({
    not_in_calendar: 'heal_remote',
    unlinked: 'heal_remote',
    not_in_database: 'import_local',
    duplicate: 'flag_manual_review',
    moved: 'flag_manual_review',
    rescheduled_in_calendar: 'accept_remote',
    rescheduled_outside_window: 'flag_manual_review',
    cancelled_in_calendar: 'accept_remote',
    cancelled_locally: 'accept_local',
    pending_locally: 'accept_remote',
    pending_in_calendar: 'flag_manual_review',
  }),
  ignore: Object.freeze([]),
} satisfies ReconcilePolicy);

const FIELDS: readonly ComparedField[] = ['start', 'end', 'status'];

/**
 * Resolves a policy input against the defaults, refusing an action a cause does not allow (e.g.
 * `import_local` for `moved`) or an unknown field.
 *
 * @throws {@link InvalidOptionError} naming the cause or field.
 * @example
 * ```ts
 * const policy = resolveReconcilePolicy({ actions: { moved: 'accept_remote' }, ignore: ['end'] });
 * ```
 */
export function resolveReconcilePolicy(input: ReconcilePolicyInput = {}): ReconcilePolicy {
  const details = { factory: 'createReconciler' };
  const actions = { ...DEFAULT_RECONCILE_POLICY.actions };
  for (const [cause, action] of Object.entries(input.actions ?? {})) {
    const allowed = ALLOWED[cause as DriftCause];
    if (allowed === undefined)
      throw new InvalidOptionError(`policy.actions.${cause}`, action, 'a known drift cause', details);
    if (action === undefined) continue;
    if (!allowed.includes(action))
      throw new InvalidOptionError(
        `policy.actions.${cause}`,
        action,
        `one of ${allowed.join(', ')}`,
        details,
      );
    actions[cause as DriftCause] = action;
  }
  const ignore = [...(input.ignore ?? [])];
  for (const field of ignore) {
    if (!FIELDS.includes(field))
      throw new InvalidOptionError('policy.ignore', field, `one of ${FIELDS.join(', ')}`, details);
  }
  return Object.freeze({ actions: Object.freeze(actions), ignore: Object.freeze(ignore) });
}
