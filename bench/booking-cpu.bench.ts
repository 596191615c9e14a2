/**
 * Node CPU per `BookingService.book` on the memory stores with a memory calendar (no latency), through
 * `createBookingKit` with its defaults: the
 * figure issue #10 sets a goal for (under 2 ms per book). Books {@link N} distinct one-minute
 * slots one after another and reports process CPU time (user + system, `process.cpuUsage`) per
 * book and books per second. With no I/O waits, CPU per book is what the library itself costs.
 * Run it alone for a clean figure: `npm run bench booking-cpu`.
 */
import { sequentialBooker } from './booking-fixtures.js';
import type { BenchCase } from './harness.js';

/** Books per measured run. */
const N = 2_000;
/** Books before measuring, so that the JIT has compiled the hot path. */
const WARM_UP = 200;

export async function run(): Promise<BenchCase[]> {
  const book = sequentialBooker();
  for (let i = 0; i < WARM_UP; i += 1) await book();
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  for (let i = 0; i < N; i += 1) await book();
  const wallMs = performance.now() - wallBefore;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMsPerBook = (cpu.user + cpu.system) / 1_000 / N;
  const booksPerSec = N / (wallMs / 1_000);
  console.log(
    `\nbooking-cpu: ${N} books on memory stores: ${cpuMsPerBook.toFixed(3)} ms CPU per book ` +
      `(user ${(cpu.user / 1_000 / N).toFixed(3)}, system ${(cpu.system / 1_000 / N).toFixed(3)}), ` +
      `${Math.round(booksPerSec).toLocaleString('en-US')} books/s`,
  );
  return [
    {
      group: `booking: CPU per BookingService.book, memory stores (${N} books)`,
      name: 'books/s',
      opsPerSec: booksPerSec,
      baseline: 'books/s',
    },
    {
      group: `booking: CPU per BookingService.book, memory stores (${N} books)`,
      name: 'books per CPU-second',
      opsPerSec: 1_000 / cpuMsPerBook,
      baseline: 'books/s',
    },
  ];
}
