/** A request as the simulator received it, parsed for checks. */
export interface CalcomRecordedRequest {
  readonly method: string;
  /** The path, e.g. `/v2/bookings/abc/cancel`. */
  readonly path: string;
  /** Query parameters; a repeated name keeps its last value. */
  readonly query: Readonly<Record<string, string>>;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body, or `undefined` without one. */
  readonly body: unknown;
}

/** A response as the simulator returned it. */
export interface CalcomRecordedResponse {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body, or `undefined` without one. */
  readonly body: unknown;
}

/** One request and what the simulator answered (`null`: no answer went out). */
export interface CalcomExchange {
  readonly request: CalcomRecordedRequest;
  readonly response: CalcomRecordedResponse | null;
}
