/**
 * One logging method, in pino's shape: a structured object first and an optional message, or a
 * message alone.
 */
export interface LogFn {
  (object: object, message?: string): void;
  (message: string): void;
}

/**
 * Logging, as a port with pino's method shape, so a pino (or pino-compatible) logger plugs in
 * as it is. bookingkit logs nothing unless given one ({@link silentLogger} is the default), and
 * never logs secrets or full phone numbers.
 *
 * @example
 * ```ts
 * declare const catalog: EventCatalog;
 * declare function pino(): Logger;
 * // ---cut---
 * // pino, or any logger with its (object, message) methods:
 * const bus = createEventBus({ catalog, logger: pino() });
 * ```
 */
export interface Logger {
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

const ignore: LogFn = () => {};

/**
 * A logger that discards everything; the default everywhere.
 *
 * @example
 * ```ts
 * declare const options: { logger?: Logger };
 * // ---cut---
 * const logger: Logger = options.logger ?? silentLogger;
 * ```
 */
export const silentLogger: Logger = Object.freeze({
  trace: ignore,
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
});
