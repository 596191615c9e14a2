import { toValidationIssues } from '../../errors/validation-error.js';
import type { z } from 'zod';

// Cal.com API v2 error bodies (shared/reference/calcom.md §3). Nest HTTP exceptions are wrapped in
// `{ status: 'error', timestamp, path, error: { code, message, details } }`, `code` being the
// exception class name. Errors thrown by Cal.com's shared booking code as a plain HttpError pass
// the filters unwrapped, as Nest's default `{ statusCode, message }`.

/** A Nest exception class name Cal.com puts in `error.code`. */
export type CalcomExceptionCode =
  | 'BadRequestException'
  | 'UnauthorizedException'
  | 'ForbiddenException'
  | 'NotFoundException'
  | 'ConflictException'
  | 'UnprocessableEntityException'
  | 'ThrottlerException'
  | 'INTERNAL_SERVER_ERROR';

const NEST_ERROR_NAMES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/**
 * A refusal of the simulated Cal.com: its status, exception code and message, as the response
 * would carry them. `raw` marks a Cal.com core HttpError that Nest answers without the envelope.
 */
export class CalcomSimError extends Error {
  override name = 'CalcomSimError';
  constructor(
    readonly status: number,
    readonly code: CalcomExceptionCode,
    message: string,
    readonly raw = false,
  ) {
    super(message);
  }

  /** The response body for a request to `path` at `timestamp`. */
  body(path: string, timestamp: string): Record<string, unknown> {
    if (this.raw) return { statusCode: this.status, message: this.message };
    const details =
      this.code === 'INTERNAL_SERVER_ERROR'
        ? undefined
        : { message: this.message, error: NEST_ERROR_NAMES[this.status] ?? 'Error', statusCode: this.status };
    return {
      status: 'error',
      timestamp,
      path,
      error: { code: this.code, message: this.message, ...(details ? { details } : {}) },
    };
  }
}

/** @internal */
export const badRequest = (message: string): CalcomSimError =>
  new CalcomSimError(400, 'BadRequestException', message);
/** @internal */
export const notFound = (message: string): CalcomSimError =>
  new CalcomSimError(404, 'NotFoundException', message);
/** @internal */
export const unauthorized = (message: string): CalcomSimError =>
  new CalcomSimError(401, 'UnauthorizedException', message);
/** @internal */
export const forbidden = (message: string): CalcomSimError =>
  new CalcomSimError(403, 'ForbiddenException', message);
/** @internal */
export const unprocessable = (message: string): CalcomSimError =>
  new CalcomSimError(422, 'UnprocessableEntityException', message);
/** Cal.com's answer to an unexpected failure (also what a missing version header can give). @internal */
export const internalError = (): CalcomSimError =>
  new CalcomSimError(500, 'INTERNAL_SERVER_ERROR', 'There was an error, please try again later.');
/** Nest's answer for a route that does not exist (in the version the request was routed to). @internal */
export const routeNotFound = (method: string, path: string): CalcomSimError =>
  notFound(`Cannot ${method} ${path}`);

/**
 * Parses a request part with a zod schema; failures become Cal.com's 400 with one
 * `field - problem` line per issue (its zod filter's form).
 *
 * @internal
 */
export function parseOr400<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const lines = toValidationIssues(result.error.issues).map((issue) =>
    issue.path === '' ? issue.message : `${issue.path} - ${issue.message}`,
  );
  throw badRequest(lines.join(', '));
}
