import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CalcomSimSpec } from './calcom-sim-spec.js';

/** One tenant of a test system, with every secret and id a test needs. */
export interface TestTenant {
  readonly id: string;
  readonly timeZone: string;
  readonly policy: 'fail' | 'queue';
  /** `Authorization: Bearer <apiKey>` for /api and /admin. */
  readonly apiKey: string;
  readonly phoneNumbers: readonly string[];
  readonly calcom: { readonly apiKey: string; readonly webhookSecret: string; readonly routeKey: string };
  readonly retell: { readonly workspace: string; readonly apiKey: string };
  /** Its event types in the simulator: a 30-minute and a 60-minute service. */
  readonly eventTypes: readonly {
    readonly id: number;
    readonly slug: string;
    readonly lengthInMinutes: number;
  }[];
}

/** Options of {@link writeTenants}. */
export interface TenantsOptions {
  /** @default 2 */
  readonly count?: number;
  /** @default 'fail' for every tenant; or one per tenant */
  readonly policy?: 'fail' | 'queue' | readonly ('fail' | 'queue')[];
  /** @default 'Europe/Berlin' */
  readonly timeZone?: string;
  /** Opening hours of every service, every day of the week. @default 00:00-24:00 */
  readonly hours?: { readonly start: string; readonly end: string };
}

/** The tenants file, the environment that holds its secrets, the tenants, and the simulator's seed. */
export interface TestTenants {
  readonly file: string;
  readonly env: Readonly<Record<string, string>>;
  readonly tenants: readonly TestTenant[];
  readonly simulator: Pick<CalcomSimSpec, 'accounts' | 'eventTypes'>;
}

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

/**
 * Writes a tenants file for the example server (`t1`, `t2`, ...; one Retell workspace `rel`; each
 * tenant one phone number and a 30- and a 60-minute service open every day) into a fresh temporary
 * folder, and returns it with the variables its secrets are read from.
 *
 * @example
 * ```ts
 * const { file, env, tenants } = writeTenants({ count: 2, policy: ['fail', 'queue'] });
 * ```
 */
export function writeTenants(options: TenantsOptions = {}): TestTenants {
  const count = options.count ?? 2;
  const timeZone = options.timeZone ?? 'Europe/Berlin';
  const span = options.hours ?? { start: '00:00', end: '24:00' };
  const weeklyHours = Object.fromEntries(DAYS.map((day) => [day, [span]]));
  const env: Record<string, string> = { REL_RETELL_API_KEY: 'key_rel_retell_workspace' };
  const tenants: TestTenant[] = [];
  for (let i = 1; i <= count; i += 1) {
    const id = `t${i}`;
    const upper = `T${i}`;
    const policy = Array.isArray(options.policy)
      ? (options.policy[i - 1] ?? 'fail')
      : ((options.policy as 'fail' | 'queue' | undefined) ?? 'fail');
    const tenant: TestTenant = {
      id,
      timeZone,
      policy,
      apiKey: `bk_rel_${id}_key`,
      phoneNumbers: [`+4930555${String(1000 + i).padStart(4, '0')}`],
      calcom: { apiKey: `cal_rel_${id}`, webhookSecret: `whsec_rel_${id}`, routeKey: `rk_rel_${id}_route` },
      retell: { workspace: 'rel', apiKey: env.REL_RETELL_API_KEY! },
      eventTypes: [
        { id: 1000 + i * 10 + 1, slug: `short-${id}`, lengthInMinutes: 30 },
        { id: 1000 + i * 10 + 2, slug: `long-${id}`, lengthInMinutes: 60 },
      ],
    };
    env[`${upper}_API_KEY`] = tenant.apiKey;
    env[`${upper}_CALCOM_API_KEY`] = tenant.calcom.apiKey;
    env[`${upper}_CALCOM_WEBHOOK_SECRET`] = tenant.calcom.webhookSecret;
    tenants.push(tenant);
  }
  const file = join(mkdtempSync(join(tmpdir(), 'bookingkit-rel-')), 'tenants.json');
  writeFileSync(
    file,
    JSON.stringify({
      tenants: tenants.map((t, index) => ({
        id: t.id,
        name: `Tenant ${t.id}`,
        timeZone: t.timeZone,
        locale: 'en',
        calendarUnavailablePolicy: t.policy,
        phoneNumbers: t.phoneNumbers,
        apiKeyEnv: `T${index + 1}_API_KEY`,
        calcom: {
          apiKeyEnv: `T${index + 1}_CALCOM_API_KEY`,
          webhookSecretEnv: `T${index + 1}_CALCOM_WEBHOOK_SECRET`,
          routeKey: t.calcom.routeKey,
        },
        retell: { workspace: t.retell.workspace, apiKeyEnv: 'REL_RETELL_API_KEY' },
      })),
    }),
  );
  return {
    file,
    env,
    tenants,
    simulator: {
      accounts: tenants.map((t, index) => ({
        id: index + 1,
        apiKey: t.calcom.apiKey,
        username: t.id,
        timeZone: t.timeZone,
      })),
      eventTypes: tenants.flatMap((t) =>
        t.eventTypes.map((e) => ({ ...e, owner: t.id, title: e.slug, timeZone: t.timeZone, weeklyHours })),
      ),
    },
  };
}
