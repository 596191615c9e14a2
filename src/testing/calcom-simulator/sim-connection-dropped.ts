/**
 * The network error a dropped connection gives `fetch` (undici's `fetch failed`), thrown by
 * `CalcomSimulator.handle` for a lost response; the HTTP server destroys the socket instead, and
 * the msw handlers answer `Response.error()`.
 */
export class CalcomSimConnectionDropped extends TypeError {
  // Still a TypeError with fetch's message, as network failures are recognised; named for itself
  // so that logs tell a simulated drop from a real one.
  override readonly name = 'CalcomSimConnectionDropped';
  constructor() {
    super('fetch failed', { cause: new Error('other side closed (simulated lost response)') });
  }
}
