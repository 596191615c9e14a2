import { BookingKitError, errorGuard } from '../errors/booking-kit-error.js';

/** Context of a {@link PayloadTooLargeError}. */
export interface PayloadTooLargeContext {
  /** The configured limit, in bytes. */
  readonly limitBytes: number;
  /** The `Content-Length` the sender declared, or `null` when it sent none (or an invalid one). */
  readonly contentLength: number | null;
  /** Bytes read before reading stopped; `0` when the declared length alone was over the limit. */
  readonly receivedBytes: number;
}

/**
 * A request body is larger than the limit. Reading stops as soon as the limit is passed, so an
 * oversized body is never buffered whole. Maps to HTTP 413.
 *
 * @example
 * ```ts
 * async function handle(request: Request): Promise<Response> {
 *   try {
 *     const { text } = await readBodyLimited(request, { limitBytes: 64 * 1024 });
 *     return jsonResponse(200, { received: text.length });
 *   } catch (error) {
 *     if (isPayloadTooLargeError(error)) return problemResponse(error); // 413
 *     throw error;
 *   }
 * }
 * ```
 */
export class PayloadTooLargeError extends BookingKitError<'PAYLOAD_TOO_LARGE', PayloadTooLargeContext> {
  override name = 'PayloadTooLargeError';

  constructor(context: PayloadTooLargeContext) {
    const size =
      context.receivedBytes > 0
        ? `more than ${context.limitBytes} bytes were sent`
        : `Content-Length ${String(context.contentLength)} is over it`;
    super(
      'PAYLOAD_TOO_LARGE',
      `Request body exceeds the limit of ${context.limitBytes} bytes: ${size}`,
      context,
    );
  }
}

/**
 * Tells whether `error` is a {@link PayloadTooLargeError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isPayloadTooLargeError(error)) console.warn(error.context.limitBytes);
 * ```
 */
export const isPayloadTooLargeError = errorGuard<PayloadTooLargeError>(
  'PayloadTooLargeError',
  'PAYLOAD_TOO_LARGE',
);

/** Context of a {@link WebhookSignatureError}. */
export interface WebhookSignatureContext {
  /**
   * Why verification failed, as the verifier reported it (e.g. `missing`, `stale`, `mismatch`).
   * For logs only: it is never sent back to the caller.
   */
  readonly reason: string;
}

/**
 * A webhook's signature did not verify. The message is deliberately generic (it is safe to send
 * back); which check failed is in `context.reason`, for logs. Maps to HTTP 401.
 *
 * @example
 * ```ts
 * declare const body: string;
 * declare const header: string | null;
 * declare const secret: string;
 * // ---cut---
 * const check = verifyCalcomSignature(body, header, secret);
 * if (!check.ok) throw new WebhookSignatureError(check.reason);
 * ```
 */
export class WebhookSignatureError extends BookingKitError<
  'WEBHOOK_SIGNATURE_INVALID',
  WebhookSignatureContext
> {
  override name = 'WebhookSignatureError';

  constructor(reason: string) {
    super('WEBHOOK_SIGNATURE_INVALID', 'Webhook signature verification failed', { reason });
  }
}

/**
 * Tells whether `error` is a {@link WebhookSignatureError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare const logger: Logger;
 * // ---cut---
 * if (isWebhookSignatureError(error)) logger.warn({ reason: error.context.reason }, error.message);
 * ```
 */
export const isWebhookSignatureError = errorGuard<WebhookSignatureError>(
  'WebhookSignatureError',
  'WEBHOOK_SIGNATURE_INVALID',
);
