import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { pino, type Logger as PinoLogger } from 'pino';

const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
// An international number (+ and 7-15 digits, spaces or dashes between them).
const PHONE = /\+\d(?:[\s-]?\d){6,14}/g;

/** Masks e-mail addresses (`a***@example.com`) and phone numbers (`+49*******78`) in a string. */
export function maskText(text: string): string {
  return text
    .replace(EMAIL, (_match, first: string, domain: string) => `${first}***@${domain}`)
    .replace(PHONE, (match) => {
      const digits = match.replace(/\D/g, '');
      return `+${digits.slice(0, 2)}${'*'.repeat(Math.max(digits.length - 4, 1))}${digits.slice(-2)}`;
    });
}

/** Masks every string in a log record (nested objects and arrays too; errors keep their shape). */
function maskValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((item) => maskValue(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskValue(item, depth + 1)]));
}

/** A pino logger (JSON lines on stdout) that masks phone numbers and e-mail addresses. */
export function createLogger(level: string): PinoLogger {
  return pino({
    level,
    base: { service: 'bookingkit-example' },
    formatters: { log: (record) => maskValue(record) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        const [first, ...rest] = args;
        // A message alone, or an object and a message: mask the messages too.
        const masked =
          typeof first === 'string'
            ? [maskText(first), ...rest]
            : [first, ...rest.map((r) => (typeof r === 'string' ? maskText(r) : r))];
        method.apply(this, masked as Parameters<typeof method>);
      },
    },
  });
}

/** The path as logged: a Cal.com route key cut to its first characters. */
const loggedPath = (path: string) => maskText(path.replace(/(\/webhooks\/calcom\/[^/?]{4})[^/?]*/, '$1…'));

/** Logs each request once it is answered: method, path, status, duration and a request id. */
export function requestLog(logger: PinoLogger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const id = req.get('x-request-id') ?? randomUUID();
    res.setHeader('x-request-id', id);
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const entry = {
        req: { id, method: req.method, path: loggedPath(req.originalUrl) },
        res: { status: res.statusCode },
        ms: Math.round(ms * 10) / 10,
      };
      // 503 is an answer (not ready yet, overloaded), not a failure of the server.
      if (res.statusCode >= 500 && res.statusCode !== 503) logger.error(entry, 'request failed');
      else logger.info(entry, 'request');
    });
    next();
  };
}
