import { UnknownEventTypeError } from './errors.js';
import { DEFAULT_QUEUED_RETRY_DELAYS, type ListenerOptions, type RegisteredListener } from './listener.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { onAbort } from '../util/abort.js';
import { toDisposable, type Disposable } from '../util/disposable.js';
import { checkFunctionOption, checkNumberOption, checkStringOption, numberOption } from '../util/options.js';

/** The listeners of one event type, and how often it was published. @internal */
export interface TypeEntry {
  /** Synchronous listeners, by descending priority (stable among equals). Replaced, never mutated. */
  sync: RegisteredListener[];
  queued: RegisteredListener[];
  published: number;
}

/** A registered listener with the type it listens to (`*` for `onAny`). @internal */
export interface ListenerRecord {
  readonly type: string;
  readonly listener: RegisteredListener;
}

/**
 * The bus's listeners: validation of listener options, priority order, and removal. Lists are
 * copied on change, so a publish that is iterating one is never disturbed by a listener that
 * subscribes or unsubscribes.
 *
 * @internal
 */
export class ListenerRegistry {
  /** Every listener, for statistics. */
  readonly all = new Set<ListenerRecord>();
  /** `onAny` listeners, by descending priority. */
  any: RegisteredListener[] = [];
  readonly #entries = new Map<string, TypeEntry>();
  readonly #queuedByName = new Map<string, ListenerRecord>();
  readonly #hasOutbox: boolean;
  #anonymous = 0;

  constructor(types: readonly string[], hasOutbox: boolean) {
    for (const type of types) this.#entries.set(type, { sync: [], queued: [], published: 0 });
    this.#hasOutbox = hasOutbox;
  }

  /** @throws {@link UnknownEventTypeError} for a type outside the catalog. */
  entryOf(type: string): TypeEntry {
    const entry = this.#entries.get(type);
    if (!entry) throw new UnknownEventTypeError(type);
    return entry;
  }

  entries(): IterableIterator<[string, TypeEntry]> {
    return this.#entries.entries();
  }

  queued(name: string): ListenerRecord | undefined {
    return this.#queuedByName.get(name);
  }

  /**
   * Adds a listener for `type` (`null`: every type) and returns the disposable that removes it.
   * @throws {@link InvalidOptionError} naming the bad option.
   */
  register(type: string | null, handler: unknown, options: ListenerOptions): Disposable {
    checkFunctionOption('handler', handler, true);
    const priority = numberOption('priority', options.priority, 0, { min: -1e9, max: 1e9 });
    const queued = options.queued ?? false;
    if (options.name !== undefined) checkStringOption('name', options.name, 200);
    if (queued) this.#checkQueued(type, options);
    const { delays, maxAttempts } = retrySchedule(options);
    if (options.signal?.aborted) return toDisposable(() => undefined);
    this.#anonymous += 1;
    const listener: RegisteredListener = {
      name: options.name ?? `${type ?? '*'}#${this.#anonymous}`,
      priority,
      once: options.once ?? false,
      handler: handler as RegisteredListener['handler'],
      queued,
      delays,
      maxAttempts,
      timeMs: 0,
      calls: 0,
      failures: 0,
    };
    const record: ListenerRecord = { type: type ?? '*', listener };
    this.all.add(record);
    const remove = this.#attach(type, record);
    const disposable = toDisposable(() => {
      this.all.delete(record);
      remove();
      stopWatching();
    });
    // The signal has not aborted yet (checked above), so this never calls back synchronously.
    const stopWatching = onAbort(options.signal, () => disposable.dispose());
    listener.dispose = () => disposable.dispose();
    return disposable;
  }

  #checkQueued(type: string | null, options: ListenerOptions): void {
    if (type === null) throw new InvalidOptionError('queued', true, 'false for onAny listeners');
    if (!this.#hasOutbox) {
      throw new InvalidOptionError(
        'outbox',
        undefined,
        'an OutboxStore (createEventBus({ outbox })) to register queued listeners',
      );
    }
    if (options.name === undefined)
      throw new InvalidOptionError('name', undefined, 'a unique name for a queued listener');
    if (this.#queuedByName.has(options.name)) {
      throw new InvalidOptionError('name', options.name, 'unique among queued listeners');
    }
    if (options.once) throw new InvalidOptionError('once', true, 'false for a queued listener');
  }

  /** Puts the listener in its list; returns how to take it out again. */
  #attach(type: string | null, record: ListenerRecord): () => void {
    const { listener } = record;
    if (type === null) {
      this.any = insertSorted(this.any, listener);
      return () => (this.any = this.any.filter((l) => l !== listener));
    }
    const entry = this.entryOf(type);
    if (listener.queued) {
      entry.queued = [...entry.queued, listener];
      this.#queuedByName.set(listener.name, record);
      return () => {
        entry.queued = entry.queued.filter((l) => l !== listener);
        this.#queuedByName.delete(listener.name);
      };
    }
    entry.sync = insertSorted(entry.sync, listener);
    return () => (entry.sync = entry.sync.filter((l) => l !== listener));
  }
}

function insertSorted(list: RegisteredListener[], listener: RegisteredListener): RegisteredListener[] {
  const index = list.findIndex((existing) => existing.priority < listener.priority);
  const next = list.slice();
  next.splice(index < 0 ? next.length : index, 0, listener);
  return next;
}

function retrySchedule(options: ListenerOptions): { delays: readonly number[]; maxAttempts: number } {
  const delays: readonly number[] = options.retry?.delays ?? DEFAULT_QUEUED_RETRY_DELAYS;
  const isArray: boolean = Array.isArray(delays);
  if (!isArray || delays.length === 0) {
    throw new InvalidOptionError('retry.delays', delays, 'a non-empty array of milliseconds');
  }
  delays.forEach((delay, i) => checkNumberOption(`retry.delays[${i}]`, delay, { max: 86_400_000 * 30 }));
  const maxAttempts = numberOption('retry.maxAttempts', options.retry?.maxAttempts, delays.length + 1, {
    integer: true,
    min: 1,
    max: 1_000_000,
  });
  return { delays: [...delays], maxAttempts };
}
