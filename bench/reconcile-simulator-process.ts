/**
 * The Cal.com side of the reconciliation benchmark as a process of its own, as Cal.com is to a
 * real backend: `node --import tsx bench/reconcile-simulator-process.ts`, started by
 * bench/reconcile.bench.ts. Its memory is then not counted as the reconciler's.
 *
 * Environment: `RECONCILE_SIM_SIZE` (bookings to seed) and `RECONCILE_SIM_START` (the fake clock's
 * start, ISO: the bench's clock at seeding, so that the bookings' `updatedAt` is what the
 * reconciler's grace period expects). Seeds the bookings (see bench/reconcile-data.ts), listens on
 * a free loopback port and prints one JSON line `{ "url": ..., "uids": [...] }` (the calendar uid
 * of booking n, or null). Ends when its standard input closes (the bench ends or dies).
 */
import { createCalcomSimulator, createFakeClock } from '../src/testing/index.js';
import { CALCOM_API_KEY, seedCalcomBookings } from './reconcile-data.js';

const size = Number(process.env.RECONCILE_SIM_SIZE);
const start = process.env.RECONCILE_SIM_START ?? '';
if (!Number.isInteger(size) || size < 1) {
  throw new Error(`RECONCILE_SIM_SIZE: must be a whole number >= 1, got ${process.env.RECONCILE_SIM_SIZE}`);
}
const sim = createCalcomSimulator({
  clock: createFakeClock(start),
  accounts: [{ apiKey: CALCOM_API_KEY, username: 'acme-host', timeZone: 'UTC' }],
  rateLimitPerMinute: false,
  webhookFetch: async () => new Response(null),
});
const uids = await seedCalcomBookings(sim, size);
const url = await sim.listen({ port: 0 });
process.stdout.write(`${JSON.stringify({ url, uids })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void sim.close().then(() => process.exit(0));
});
