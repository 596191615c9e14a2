import { parseWith, ValidationError } from '../../errors/validation-error.js';
import type { OperationOptions } from '../../util/abort.js';
import { RetellCall, RetellPhoneCall } from '../webhook-schema.js';
import { isRetellApiError } from './errors.js';
import { callPages, type RetellCallPage } from './paging.js';
import { RetellCreatePhoneCallRequest, RetellListCallsRequest, RetellListCallsResponse } from './schemas.js';
import type { RetellTransport } from './transport.js';

// Endpoints and shapes: shared/reference/retell.md §5.
const GET_CALL = 'GET /v2/get-call/{call_id}';
const LIST_CALLS = 'POST /v3/list-calls';
const CREATE_PHONE_CALL = 'POST /v2/create-phone-call';

/**
 * Retell's answer to an unknown call id: 404, or the 422 "Cannot find requested asset under given
 * api key." that retell.md §5 says an unknown id probably gets (unconfirmed, so both are read).
 */
function isNotFound(error: unknown): boolean {
  if (!isRetellApiError(error)) return false;
  const { status, detail } = error.context;
  return status === 404 || (status === 422 && /cannot find requested asset/i.test(detail));
}

/** The call endpoints of {@link RetellClient}. @internal */
export interface RetellCalls {
  getCall(callId: string, options?: OperationOptions): Promise<RetellCall | null>;
  listCalls(
    request?: RetellListCallsRequest,
    options?: OperationOptions,
  ): AsyncGenerator<RetellCallPage, void, undefined>;
  createPhoneCall(
    request: RetellCreatePhoneCallRequest,
    options?: OperationOptions,
  ): Promise<RetellPhoneCall>;
}

/** The call endpoints on `transport`. @internal */
export function createCalls(transport: RetellTransport): RetellCalls {
  return {
    async getCall(callId, options = {}) {
      if (typeof callId !== 'string' || callId.trim() === '')
        throw new ValidationError('Retell call id', [{ path: '', message: 'expected a non-empty string' }]);
      try {
        return await transport.send({
          method: 'GET',
          path: `/v2/get-call/${encodeURIComponent(callId)}`,
          endpoint: GET_CALL,
          idempotent: true,
          schema: RetellCall,
          signal: options.signal,
        });
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },

    listCalls(request = {}, options = {}) {
      // Checked at once, not at the first page: a bad filter is the caller's mistake.
      const { pagination_key: firstKey, ...body } = parseWith(
        RetellListCallsRequest,
        request,
        'Retell list-calls request',
      );
      const { signal } = options;
      return callPages(
        (paginationKey) =>
          transport.send({
            method: 'POST',
            path: '/v3/list-calls',
            endpoint: LIST_CALLS,
            // A listing changes nothing: each page is a read, retried like one.
            idempotent: true,
            body: paginationKey === undefined ? body : { ...body, pagination_key: paginationKey },
            schema: RetellListCallsResponse,
            signal,
          }),
        LIST_CALLS,
        signal,
        firstKey,
      );
    },

    async createPhoneCall(request, options = {}) {
      const body = parseWith(RetellCreatePhoneCallRequest, request, 'Retell create-phone-call request');
      return transport.send({
        method: 'POST',
        path: '/v2/create-phone-call',
        endpoint: CREATE_PHONE_CALL,
        idempotent: false,
        body,
        schema: RetellPhoneCall,
        signal: options.signal,
      });
    },
  };
}
