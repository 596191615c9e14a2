import { z } from 'zod';
import type { OperationOptions } from '../util/abort.js';

/**
 * Where a saga stands. `running` and `compensating` are live (a worker holds, or should hold, the
 * lease); the other four are final.
 *
 * - `completed`: every step ran.
 * - `compensated`: a step failed and every completed step before it was undone.
 * - `failed`: the saga stopped without being fully undone although no compensation failed: a
 *   non-idempotent step was interrupted by a crash, so its effect is unknown (the steps before it
 *   were compensated), or the stored run no longer matches its definition.
 * - `compensation_failed`: a compensation kept failing; an operator must finish the job.
 */
export const SagaState = z.enum([
  'running',
  'compensating',
  'completed',
  'compensated',
  'failed',
  'compensation_failed',
]);

/** The type of the {@link SagaState} schema. */
export type SagaState = z.infer<typeof SagaState>;

/** The live states, which `recover()` resumes when their lease expired. */
export const LIVE_SAGA_STATES: readonly SagaState[] = Object.freeze(['running', 'compensating']);

/**
 * The final states that {@link SagaStore.purge} removes: the saga ended cleanly, with every step
 * done or undone, so its record is history only. `failed` and `compensation_failed` sagas are
 * kept: an operator must look at them (and remove them once handled).
 */
export const PURGEABLE_SAGA_STATES: readonly SagaState[] = Object.freeze(['completed', 'compensated']);

/**
 * Where one step stands. `started` with no later status is the "in doubt" case after a crash:
 * the step may or may not have taken effect.
 */
export const SagaStepStatus = z.enum([
  'pending',
  'started',
  'completed',
  'failed',
  'compensating',
  'compensated',
  'compensation_failed',
]);

/** The type of the {@link SagaStepStatus} schema. */
export type SagaStepStatus = z.infer<typeof SagaStepStatus>;

/** A JSON value, as stored in the log (inputs and step outputs). */
export type JsonValue = z.infer<ReturnType<typeof z.json>>;

/** An error as the log keeps it: enough to report and branch on, never a stack or secrets. */
export const SerializedError = z.object({
  name: z.string(),
  message: z.string(),
  /** The stable `code` of a bookingkit (or any coded) error; `null` otherwise. */
  code: z.string().nullable(),
});

/** The type of the {@link SerializedError} schema. */
export type SerializedError = z.infer<typeof SerializedError>;

const epochMs = z.number().int().nonnegative();

/** One step's entry in the saga log. */
export const SagaStepEntry = z.object({
  name: z.string().min(1),
  status: SagaStepStatus,
  /** Runs of the step so far (the current one included while `started`). */
  attempts: z.number().int().nonnegative(),
  /** The step's output once `completed` (JSON; `null` for a step that returned nothing). */
  output: z.json().nullable(),
  /** The last failure of the step's run, or of its compensation while compensating. */
  error: SerializedError.nullable(),
  /** Runs of the step's compensation so far. */
  compensationAttempts: z.number().int().nonnegative(),
  startedAt: epochMs.nullable(),
  finishedAt: epochMs.nullable(),
});

/** The type of the {@link SagaStepEntry} schema. */
export type SagaStepEntry = z.infer<typeof SagaStepEntry>;

/**
 * The durable record of one saga run: the unit that a {@link SagaStore} keeps. It is rewritten
 * whole on each transition, under an optimistic `version` check.
 */
export const SagaRecord = z.object({
  /** The saga id given to `start` (the idempotency key of the run). */
  id: z.string().min(1),
  /** Name of the saga definition; recovery finds the code by it. */
  name: z.string().min(1),
  tenantId: z.string().min(1).nullable(),
  state: SagaState,
  input: z.json(),
  /** One entry per step of the definition, in order. */
  steps: z.array(SagaStepEntry),
  /** The step whose failure started compensation, if one failed. */
  failedStep: z.string().nullable(),
  /** That step's error. */
  error: SerializedError.nullable(),
  /** Worker holding the lease; `null` once the saga is final. */
  leaseOwner: z.string().nullable(),
  /** When the lease ends (epoch ms); another worker may take over after it. */
  leaseExpiresAt: epochMs.nullable(),
  /** How many times a worker took the saga over from an expired lease. */
  recoveries: z.number().int().nonnegative(),
  /** Incremented by every write; the optimistic-concurrency token. */
  version: z.number().int().positive(),
  createdAt: epochMs,
  updatedAt: epochMs,
});

/** The type of the {@link SagaRecord} schema. */
export type SagaRecord = z.infer<typeof SagaRecord>;

/** What {@link SagaStore.create} returns. */
export interface SagaCreateResult {
  /** The stored record: the new one, or the one that already had this id. */
  readonly record: SagaRecord;
  /** `false` when a record with this id already existed (nothing was written). */
  readonly created: boolean;
}

/** Options of {@link SagaStore.save}. */
export interface SagaSaveOptions extends OperationOptions {
  /** The lease owner the caller believes it is; the write fails if the stored owner differs. */
  readonly owner: string;
}

/** What a recovering coordinator asks for in {@link SagaStore.claim}. */
export interface SagaClaimRequest extends OperationOptions {
  /** The new lease owner. */
  readonly owner: string;
  /** Lease length from `now`. */
  readonly leaseMs: number;
  /** The current time, epoch ms (from the coordinator's clock). */
  readonly now: number;
  /** Only sagas with these definition names (those the coordinator can run). */
  readonly names: readonly string[];
  /** Most sagas to claim. */
  readonly limit: number;
  /** Claim only this saga (taking over one saga whose worker died). @default any saga */
  readonly id?: string;
}

/** Filter of {@link SagaStore.list}. */
export interface SagaQuery extends OperationOptions {
  /** Only sagas in one of these states. @default every state */
  readonly states?: readonly SagaState[];
  /** Only sagas of this definition name. @default every name */
  readonly name?: string;
  /** Only sagas of this tenant. @default every tenant */
  readonly tenantId?: string;
  /** Only sagas whose lease ended before this time (epoch ms): stuck live sagas. @default no filter */
  readonly leaseExpiredBefore?: number;
  /** Only sagas whose id sorts after this one (the last id of the previous page). @default from the first */
  readonly afterId?: string;
  /** @default 100 */
  readonly limit?: number;
}

/** Options of {@link SagaStore.purge}. */
export interface SagaPurgeOptions extends OperationOptions {
  /**
   * Removes sagas that finished before this time (epoch ms, exclusive). A saga finishes with its
   * last write, so for a final record this is its `updatedAt`.
   */
  readonly finishedBefore: number;
  /** Purge only this saga (the one a caller just finished). @default any saga */
  readonly id?: string;
}

/**
 * The saga coordinator's durable log.
 *
 * Each saga is one record that the coordinator rewrites whole on every transition (a step
 * started, completed, failed, compensated), in one write, guarded by an optimistic `version` and
 * the lease owner. Leases give each live saga to one worker at a time; a worker that dies lets its
 * lease expire and `claim` hands the saga to another.
 *
 * Contract (checked by `sagaStoreContract` in `bookingkit/testing`):
 * - `create` stores a new record as given, or returns the existing record with `created: false`
 *   when the id is taken (never overwriting it).
 * - `save` writes `record` (its `version` is the version the caller read) only when the stored
 *   version still equals it and the stored lease owner is `owner`; the stored version becomes
 *   `version + 1`. Otherwise it throws a `VersionConflictError` and writes nothing. `id`, `name`,
 *   `tenantId`, `input`, `recoveries` and `createdAt` are never changed by `save`.
 * - `claim` leases live (`running`/`compensating`) sagas of the given names whose lease has
 *   expired (`leaseExpiresAt < now`) or that have none, oldest lease first; it sets the owner and
 *   expiry and increments `version` and `recoveries`. Concurrent claims never hand one saga to two
 *   owners.
 * - `list` returns records in ascending id order.
 * - `purge` removes `completed` and `compensated` sagas that finished (`updatedAt`) before the
 *   given time, and nothing else: live sagas and those that need review (`failed`,
 *   `compensation_failed`) stay. A purged id is forgotten: `create` with it stores a new saga.
 * - Returned records are snapshots that callers must not mutate (the memory store hands them out
 *   frozen).
 *
 * @example
 * ```ts
 * declare const transferSaga: RegisteredSaga;
 * // ---cut---
 * const store: SagaStore = createMemorySagaStore();
 * const coordinator = createSagaCoordinator({ store, sagas: [transferSaga] });
 * ```
 */
export interface SagaStore {
  /** Stores a new saga record, or returns the existing one with the same id. */
  create(record: SagaRecord, options?: OperationOptions): Promise<SagaCreateResult>;
  /** The record with this id, or `undefined`. */
  get(id: string, options?: OperationOptions): Promise<SagaRecord | undefined>;
  /**
   * Compare-and-set write of a whole record; returns the stored record (at `version + 1`).
   * @throws `VersionConflictError` when the stored version or lease owner differs.
   */
  save(record: SagaRecord, options: SagaSaveOptions): Promise<SagaRecord>;
  /** Leases live sagas whose lease expired to `owner`; returns them as stored after the claim. */
  claim(request: SagaClaimRequest): Promise<SagaRecord[]>;
  /** Lists sagas, e.g. by state for operators. */
  list(query?: SagaQuery): Promise<SagaRecord[]>;
  /**
   * Removes the sagas that ended cleanly ({@link PURGEABLE_SAGA_STATES}) before `finishedBefore`,
   * so that the log does not grow with every saga ever run (most of which, such as a booking that
   * lost its slot, leave nothing to look at). Returns how many records were removed.
   *
   * @throws {@link InvalidOptionError} when `finishedBefore` is not a finite number.
   * @example
   * ```ts
   * declare const store: SagaStore;
   * // ---cut---
   * const removed = await store.purge({ finishedBefore: Date.now() - 30 * 86_400_000 });
   * ```
   */
  purge(options: SagaPurgeOptions): Promise<number>;
}
