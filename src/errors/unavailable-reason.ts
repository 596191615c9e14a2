/**
 * Why a vendor's API gave no usable answer: `server_error` (an HTTP 5xx or 408), `network` (no
 * answer: connection, DNS) or `timeout` (no answer in time).
 */
export type UnavailableReason = 'server_error' | 'network' | 'timeout';

/**
 * What a vendor did, in an error message: `answered HTTP 503`, `did not answer in time` or
 * `could not be reached`.
 *
 * @internal
 */
export function describeUnavailable(reason: UnavailableReason, status: number | null): string {
  if (reason === 'server_error') return `answered HTTP ${status}`;
  return reason === 'timeout' ? 'did not answer in time' : 'could not be reached';
}
