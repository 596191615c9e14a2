/**
 * The tenants of the system benchmarks and reliability scenarios: `count` tenants, each with its
 * own Cal.com account (API key, webhook secret, one 30-minute event type open 09:00-17:00 UTC on
 * weekdays) and phone number, all in one Retell workspace. Cal.com limits requests per API key,
 * so spreading a load over many tenants is what a multi-tenant backend sees, not a trick: each
 * tenant stays within its own limit.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One tenant of the fleet, with its secrets. */
export interface FleetTenant {
  readonly id: string;
  /** The tenant's key for `/api` (`Authorization: Bearer`). */
  readonly apiKey: string;
  readonly calcomApiKey: string;
  readonly webhookSecret: string;
  /** `/webhooks/calcom/:routeKey`. */
  readonly routeKey: string;
  /** Cal.com's numeric event type id, as the simulator is seeded with it. */
  readonly eventTypeId: number;
  readonly phoneNumber: string;
}

/** The fleet: its tenants and the Retell workspace key they share. */
export interface Fleet {
  readonly tenants: readonly FleetTenant[];
  readonly retellApiKey: string;
}

/** The fleet of `count` tenants (ids `t001`, `t002`, ...). */
export function fleet(count: number): Fleet {
  const tenants = Array.from({ length: count }, (_, index): FleetTenant => {
    const n = index + 1;
    const id = `t${String(n).padStart(3, '0')}`;
    return {
      id,
      apiKey: `bk_bench_${id}`,
      calcomApiKey: `cal_bench_${id}`,
      webhookSecret: `whsec_bench_${id}`,
      routeKey: `rk_bench_${id}_0001`,
      eventTypeId: 1000 + n,
      phoneNumber: `+1555${String(n).padStart(7, '0')}`,
    };
  });
  return { tenants, retellApiKey: 'key_bench_retell_workspace' };
}

const envName = (tenant: FleetTenant, what: string) => `${tenant.id.toUpperCase()}_${what}`;

/**
 * Writes the example server's tenants file for `fleet` into `dir` and returns its path with the
 * environment variables that hold the secrets it names.
 */
export function writeTenantsFile(
  fleetSpec: Fleet,
  dir: string,
): { readonly file: string; readonly env: Record<string, string> } {
  const env: Record<string, string> = { BENCH_RETELL_API_KEY: fleetSpec.retellApiKey };
  const tenants = fleetSpec.tenants.map((tenant) => {
    env[envName(tenant, 'API_KEY')] = tenant.apiKey;
    env[envName(tenant, 'CALCOM_API_KEY')] = tenant.calcomApiKey;
    env[envName(tenant, 'CALCOM_SECRET')] = tenant.webhookSecret;
    return {
      id: tenant.id,
      name: `Bench tenant ${tenant.id}`,
      timeZone: 'UTC',
      locale: 'en',
      phoneNumbers: [tenant.phoneNumber],
      apiKeyEnv: envName(tenant, 'API_KEY'),
      calcom: {
        apiKeyEnv: envName(tenant, 'CALCOM_API_KEY'),
        webhookSecretEnv: envName(tenant, 'CALCOM_SECRET'),
        routeKey: tenant.routeKey,
      },
      retell: { workspace: 'bench', apiKeyEnv: 'BENCH_RETELL_API_KEY' },
    };
  });
  const file = join(dir, 'tenants.json');
  writeFileSync(file, `${JSON.stringify({ tenants }, null, 2)}\n`);
  return { file, env };
}

const weekdays = { start: '09:00', end: '17:00' };

/** The simulator's seed for `fleet`: an account and an event type per tenant. */
export function simulatorSeed(fleetSpec: Fleet) {
  return {
    accounts: fleetSpec.tenants.map((tenant) => ({
      apiKey: tenant.calcomApiKey,
      username: tenant.id,
      timeZone: 'UTC',
    })),
    eventTypes: fleetSpec.tenants.map((tenant) => ({
      id: tenant.eventTypeId,
      owner: tenant.id,
      slug: 'consultation',
      title: 'Consultation',
      lengthInMinutes: 30,
      timeZone: 'UTC',
      weeklyHours: {
        monday: [weekdays],
        tuesday: [weekdays],
        wednesday: [weekdays],
        thursday: [weekdays],
        friday: [weekdays],
      },
    })),
  };
}
