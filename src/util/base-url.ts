import { InvalidOptionError } from '../errors/invalid-option-error.js';

/**
 * Checks an API base URL (http or https, no query or fragment) and drops a trailing slash.
 *
 * @param option - The option's name in the error, e.g. `baseUrl`.
 * @param factory - The function whose option it is, named in the error.
 * @param example - A valid value, shown in the error.
 * @throws {@link InvalidOptionError} for anything else.
 * @internal
 */
export function normalizeBaseUrl(value: unknown, option: string, factory: string, example: string): string {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.search !== '' || url.hash !== '')
    throw new InvalidOptionError(option, value, `an http(s) URL without query or fragment, e.g. ${example}`, {
      factory,
    });
  return url.href.replace(/\/+$/, '');
}
