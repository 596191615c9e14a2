import type { DriftClass, PlanItem } from './drift.js';
import type { SkipReason } from './in-flight.js';

/** Counts of a plan: pairs per class, and what was skipped as still in flight. */
export interface PlanCounts {
  readonly classes: Readonly<Record<DriftClass, number>>;
  readonly skipped: Readonly<Record<SkipReason, number>>;
}

/**
 * What `plan` found: the drifted pairs with the action chosen for each, and the counts. A plan
 * writes nothing; hand it to `apply` to act on it.
 */
export interface ReconciliationPlan {
  /** Identifies the run in events and logs. */
  readonly runId: string;
  readonly tenantId: string;
  /** `full`: both sides listed over a window; `incremental`: what changed since the cursor. */
  readonly mode: 'full' | 'incremental';
  /** The window listed (`full`), or `null`. */
  readonly window: { readonly from: string; readonly to: string } | null;
  /** What was changed since (`incremental`), or `null`. */
  readonly since: { readonly local: string | null; readonly remote: string | null } | null;
  /** When planning began (ISO). */
  readonly startedAt: string;
  /** How long planning took (ms). */
  readonly durationMs: number;
  /** Items read from each side (pages read, for the cost). */
  readonly listed: {
    readonly local: number;
    readonly remote: number;
    readonly localPages: number;
    readonly remotePages: number;
  };
  readonly counts: PlanCounts;
  /** Pairs compared (classified, skipped ones excluded): the mass-cancel guard's denominator. */
  readonly compared: number;
  /** Items whose action cancels an active booking on either side. */
  readonly cancellations: number;
  readonly items: readonly PlanItem[];
  /**
   * The oldest `updatedAt` of anything skipped as in flight (ISO), or `null`: an incremental
   * cursor must not move past it, or the skipped item would never be looked at again.
   */
  readonly oldestSkippedUpdate: string | null;
}
