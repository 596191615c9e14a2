/**
 * The network error a dropped connection gives `fetch` (undici's `fetch failed`), thrown by
 * `CalcomSimulator.handle` for a lost response; the HTTP server destroys the socket instead, and
 * the msw handlers answer `Response.error()`.
 */
export class CalcomSimConnectionDropped extends TypeError {
  constructor() {
    super('fetch failed', { cause: new Error('other side closed (simulated lost response)') });
  }
}
