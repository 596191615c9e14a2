import type { IncomingMessage, ServerResponse } from 'node:http';
import { reentrantAdmission } from '../../booking/service/admission.js';
import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import type { Clock } from '../../ports/clock.js';
import type { Policy } from '../../resilience/policy.js';
import { hasMethods } from '../../util/options.js';
import { apiSecurityHeaders } from '../api/security-headers.js';
import { problemParts } from '../problem.js';
import { endAfterBody } from './node-early-answer.js';

/** Options of {@link admissionGate}. */
export interface AdmissionGateOptions {
  /** The methods the gate refuses under overload; requests with others pass. @default ['POST'] */
  readonly methods?: readonly string[];
  /** Time source for `Retry-After`. @default systemClock */
  readonly clock?: Pick<Clock, 'now'>;
}

const FACTORY = 'admissionGate';

/**
 * A Node (and Express) middleware `(req, res, next)` that refuses a request for overload before
 * anything is done for it: while the service's admission control is full (every slot running and
 * the line full), a request with a gated method (POST: the REST API's commands) is answered `503`
 * with `Retry-After`, the same problem body and the same security headers the API gives, without building a fetch `Request`,
 * authenticating or reading the body (which is read and dropped after the answer, so that a client
 * still sending can read it). Otherwise it calls `next()`, taking no slot: the API admits the
 * request itself, and may still refuse it if the line filled meanwhile.
 *
 * Under a burst far beyond the limit, most requests are refusals; each one the API answered cost
 * a fetch `Request`, an authentication and an error response, on the event loop that the admitted
 * requests share. Mount it in front of the REST API.
 *
 * @param admission - the service's admission control, `kit.admission` (`undefined` with
 *   `admission: false`: every request passes).
 * @throws {@link bookingkit!InvalidOptionError} when `admission` is given but is not a `Policy`,
 *   or `methods` is not an array of method names.
 * @example
 * ```ts
 * declare const kit: BookingKit;
 * declare const app: { use(path: string, ...handlers: unknown[]): void };
 * // ---cut---
 * const api = createBookingApi(kit);
 * app.use(api.basePath, admissionGate(kit.admission), toExpress(api.handle));
 * ```
 */
export function admissionGate(
  admission: Policy | undefined,
  options: AdmissionGateOptions = {},
): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  if (admission !== undefined && !hasMethods('execute')(admission)) {
    throw new InvalidOptionError('admission', admission, 'a Policy (kit.admission) or undefined', {
      factory: FACTORY,
    });
  }
  const gate = admission === undefined ? undefined : reentrantAdmission(admission);
  const { methods: given = ['POST'] } = options;
  if (!Array.isArray(given) || !given.every((method) => typeof method === 'string' && method !== '')) {
    throw new InvalidOptionError('methods', given, 'an array of HTTP method names, e.g. ["POST"]', {
      factory: FACTORY,
    });
  }
  const methods = new Set((given as readonly string[]).map((method) => method.toUpperCase()));
  const clock = options.clock;
  return (req, res, next) => {
    if (!gate || !methods.has(req.method ?? '')) return next();
    let refusal: unknown;
    try {
      gate.throwIfFull();
    } catch (error) {
      refusal = error;
    }
    if (refusal === undefined) return next();
    refuse(req, res, refusal, clock);
  };
}

/**
 * Answers the refusal as the API would (status, problem body, `Retry-After`), written with Node's
 * own calls rather than through a fetch `Response`: under a burst, building one per refusal cost
 * more than the rest of the refusal. The body, unread, is read and dropped before the answer ends.
 */
function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  error: unknown,
  clock: Pick<Clock, 'now'> | undefined,
): void {
  const { status, problem, retryAfterSeconds } = problemParts(error, clock ? { clock } : {});
  const body = JSON.stringify(problem);
  res.writeHead(status, {
    ...apiSecurityHeaders,
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    ...(retryAfterSeconds === null ? {} : { 'retry-after': String(retryAfterSeconds) }),
  });
  res.write(body);
  endAfterBody(req, res);
}
