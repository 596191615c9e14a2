import { z } from 'zod';
import type { RetellFunction, RetellFunctionSpec } from '../define-function.js';
import type { BuiltInDeps } from './built-in-deps.js';

const ListServicesArgs = z.object({});
/** Services read out; all of them (up to 50) are in the data. */
const SPOKEN_SERVICES = 8;

/** The tool definition's half of `list_services`. */
export const listServicesSpec: RetellFunctionSpec<typeof ListServicesArgs> = {
  name: 'list_services',
  description: 'Lists the services that can be booked, with their length in minutes.',
  parameters: ListServicesArgs,
  executionMessage: { de: 'Einen Moment.', en: 'One moment.' },
  mutates: false,
};

/** `list_services`: the tenant's event types. @internal */
export function createListServices(deps: BuiltInDeps): RetellFunction<typeof ListServicesArgs> {
  return {
    ...listServicesSpec,
    async run(_args, { tenant, speech }) {
      const types = await deps.catalog.list(tenant.tenantId);
      if (types.length === 0) return { say: speech.phrases.noServices(), data: { services: [] } };
      return {
        say: speech.phrases.services(types.slice(0, SPOKEN_SERVICES).map((type) => type.title)),
        data: {
          services: types.slice(0, 50).map((type) => ({
            name: type.title,
            minutes: type.lengthsInMinutes[0] ?? null,
          })),
        },
      };
    },
  };
}
