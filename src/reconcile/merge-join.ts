import type { Appointment } from '../domain/appointment.js';
import type { CalendarBooking } from '../ports/calendar-provider.js';
import type { OrderedListing } from './ordered-listing.js';
import { KeyIndex } from './key-index.js';
import type { PlanBuilder } from './plan-builder.js';
import {
  follow,
  isRescheduleLink,
  localKeys,
  localState,
  relate,
  remoteKeys,
  rescheduledTo,
  type BookingRelation,
  type LocalState,
} from './relate.js';

/** What {@link mergeJoin} pairs. @internal */
export interface MergeJoinInput {
  /** Appointments overlapping the window, by start then id. */
  readonly local: OrderedListing<Appointment>;
  /** Bookings overlapping the window, by start then uid. */
  readonly remote: OrderedListing<CalendarBooking>;
  /** The window, epoch ms. */
  readonly from: number;
  readonly to: number;
  /** The appointment a booking belongs to, by point lookups (its uid, its predecessor's, its tag). */
  readonly lookupLocal: (booking: CalendarBooking) => Promise<Appointment | null>;
  readonly builder: PlanBuilder;
}

interface PendingRemote {
  readonly booking: CalendarBooking;
  readonly start: number;
  done: boolean;
}

const FINAL: ReadonlySet<BookingRelation> = new Set(['partner', 'successor', 'unlinked']);
const startOf = (item: { readonly start: string }): number => Date.parse(item.start);

/**
 * Pairs both listings in one pass, in start order, as a merge join. Each side is read one page at
 * a time, always from the side whose next item starts first; an item waits for its partner only
 * while the other side has not passed its start, so a booking in sync (same start) pairs at
 * once, and what waits is what shares the current start. An item the other side has passed is
 * then settled: a booking by point lookups of its appointment (by uid, predecessor, tag), which
 * finds a partner at any distance (a time drift); an appointment as alone, tentatively, to be
 * taken back if its booking turns up further on. Memory: the two current pages, the items
 * waiting at the current start, and per drift found (which the plan holds anyway) a few ids.
 *
 * @internal
 */
export async function mergeJoin(input: MergeJoinInput): Promise<void> {
  const { local, remote, builder, from, to } = input;
  const localIndex = new KeyIndex<LocalState>();
  const remoteIndex = new KeyIndex<PendingRemote>();
  const localQueue: { state: LocalState; start: number; keys: string[] }[] = [];
  const remoteQueue: { entry: PendingRemote; keys: string[] }[] = [];
  let localHead = 0;
  let remoteHead = 0;
  /** Appointments further on in the local listing, already settled from the calendar side. */
  const pairedAhead = new Set<string>();
  /** Old halves whose appointment is further on in the local listing. */
  const linksAhead = new Map<string, CalendarBooking[]>();
  /** Appointments outside the window, paired from the calendar side. */
  const pairedOutside = new Set<string>();
  /** Appointments settled without their booking (so far), with the chain they followed. */
  const settledAlone = new Map<string, LocalState>();
  /** The index keys of each waiting appointment (they grow as links are followed). */
  const waitingKeys = new WeakMap<LocalState, string[]>();

  const inWindow = (a: Appointment): boolean => startOf(a) < to && Date.parse(a.end) > from;
  const isAhead = (a: Appointment): boolean => {
    const last = local.lastKey;
    if (last === undefined) return true;
    const start = startOf(a);
    return start > last.time || (start === last.time && a.id > last.id);
  };

  /** Applies one relation to an appointment's state; answers whether the pair is made. */
  const absorb = (state: LocalState, booking: CalendarBooking, relation: BookingRelation): boolean => {
    switch (relation) {
      case 'link':
        follow(state, booking);
        return false;
      case 'duplicate':
        builder.remoteOnly(booking, state.appointment.id);
        return false;
      case 'stale':
      case 'none':
        return false;
      default:
        builder.pair(state.appointment, booking, relation, state.links);
        state.done = true;
        return true;
    }
  };

  async function readLocal(appointment: Appointment): Promise<void> {
    if (pairedAhead.delete(appointment.id)) {
      linksAhead.delete(appointment.id);
      return;
    }
    const state = localState(appointment);
    for (const link of linksAhead.get(appointment.id) ?? []) follow(state, link);
    linksAhead.delete(appointment.id);
    // Take the waiting bookings that relate, links first (they name the uid to expect next).
    for (let progress = true; progress && !state.done;) {
      progress = false;
      const candidates = remoteIndex.find(localKeys(state));
      for (const entry of candidates) {
        const relation = relate(state, entry.booking);
        if (relation === 'none' || FINAL.has(relation)) continue;
        entry.done = true;
        absorb(state, entry.booking, relation);
        progress = true;
      }
      if (progress) continue;
      for (const entry of candidates) {
        const relation = relate(state, entry.booking);
        if (!FINAL.has(relation)) continue;
        entry.done = true;
        absorb(state, entry.booking, relation);
        break;
      }
    }
    if (state.done) return;
    const keys = localKeys(state);
    localIndex.add(keys, state);
    waitingKeys.set(state, keys);
    localQueue.push({ state, start: startOf(appointment), keys });
  }

  /** Offers a booking to a waiting appointment; answers whether they relate. */
  const offer = (state: LocalState, booking: CalendarBooking): boolean => {
    const relation = relate(state, booking);
    if (relation === 'none') return false;
    absorb(state, booking, relation);
    if (relation === 'link' && !state.done) {
      // A followed link makes the appointment wait under its successor's uid too.
      const key = `u:${booking.rescheduledToUid!}`;
      localIndex.add([key], state);
      waitingKeys.get(state)?.push(key);
    }
    return true;
  };

  function readRemote(booking: CalendarBooking): void {
    for (const state of localIndex.find(remoteKeys(booking))) if (offer(state, booking)) return;
    const entry: PendingRemote = { booking, start: startOf(booking), done: false };
    const keys = remoteKeys(booking);
    remoteIndex.add(keys, entry);
    remoteQueue.push({ entry, keys });
  }

  /** Settles a booking the local side has passed without pairing it. */
  async function settleRemote(booking: CalendarBooking): Promise<void> {
    const appointment = await input.lookupLocal(booking);
    if (appointment === null) {
      if (!isRescheduleLink(booking)) builder.remoteOnly(booking, null);
      return;
    }
    const waiting = localIndex.find([`t:${appointment.id}`])[0];
    if (waiting) {
      if (!offer(waiting, booking) && !isRescheduleLink(booking)) builder.remoteOnly(booking, null);
      return;
    }
    // An appointment settled alone keeps the chain it followed, so a later link still relates.
    const alone = settledAlone.get(appointment.id);
    const state = alone ?? localState(appointment);
    const relation = relate(state, booking);
    if (relation === 'none') return builder.remoteOnly(booking, null);
    if (relation === 'stale') return;
    if (relation === 'duplicate') return builder.remoteOnly(booking, appointment.id);
    const within = inWindow(appointment);
    if (alone) {
      settledAlone.delete(appointment.id);
      // Settled alone before: take that back and settle it with this booking (unless it was skipped).
      if (builder.takeBack(appointment.id) !== 'replaced') return;
    } else if (within && isAhead(appointment)) {
      if (relation === 'link') {
        linksAhead.set(appointment.id, [...(linksAhead.get(appointment.id) ?? []), booking]);
        return;
      }
      pairedAhead.add(appointment.id);
      absorb(state, booking, relation);
      return;
    } else if (within || pairedOutside.has(appointment.id)) {
      // Passed by the local listing and not alone: paired already, or skipped as in flight.
      return;
    }
    if (relation === 'link') {
      follow(state, booking);
      builder.localOnly(appointment, rescheduledTo(state), state.links);
      settledAlone.set(appointment.id, state);
      return;
    }
    absorb(state, booking, relation);
    if (!within) pairedOutside.add(appointment.id);
  }

  /** Settles everything that starts before `frontier`, which neither side can pair any more. */
  async function settleBefore(frontier: number): Promise<void> {
    while (localHead < localQueue.length && localQueue[localHead]!.start < frontier) {
      const { state, keys } = localQueue[localHead]!;
      localQueue[localHead] = undefined as never;
      localHead += 1;
      localIndex.remove(keys, state);
      if (state.done) continue;
      state.done = true;
      settledAlone.set(state.appointment.id, state);
      builder.localOnly(state.appointment, rescheduledTo(state), state.links);
    }
    while (remoteHead < remoteQueue.length && remoteQueue[remoteHead]!.entry.start < frontier) {
      const { entry, keys } = remoteQueue[remoteHead]!;
      remoteQueue[remoteHead] = undefined as never;
      remoteHead += 1;
      remoteIndex.remove(keys, entry);
      if (entry.done) continue;
      entry.done = true;
      await settleRemote(entry.booking);
    }
    if (localHead > 1024 && localHead * 2 > localQueue.length) localHead = compact(localQueue, localHead);
    if (remoteHead > 1024 && remoteHead * 2 > remoteQueue.length)
      remoteHead = compact(remoteQueue, remoteHead);
  }

  for (;;) {
    const nextLocal = await local.peek();
    const nextRemote = await remote.peek();
    if (nextLocal === undefined && nextRemote === undefined) break;
    const localStart = nextLocal === undefined ? Infinity : startOf(nextLocal);
    const remoteStart = nextRemote === undefined ? Infinity : startOf(nextRemote);
    if (localStart <= remoteStart) await readLocal(local.take());
    else readRemote(remote.take());
    const headLocal = await local.peek();
    const headRemote = await remote.peek();
    await settleBefore(
      Math.min(
        headLocal === undefined ? Infinity : startOf(headLocal),
        headRemote === undefined ? Infinity : startOf(headRemote),
      ),
    );
  }
  await settleBefore(Infinity);
}

function compact<T>(queue: T[], head: number): number {
  queue.splice(0, head);
  return 0;
}
