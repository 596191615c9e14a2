import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DEMO_ENV } from './demo.js';

/** The example's folder: set by the launcher's bundle, else found from this file. */
declare const __EXAMPLE_DIR__: string | undefined;
const exampleDir =
  typeof __EXAMPLE_DIR__ === 'string' ? __EXAMPLE_DIR__ : join(dirname(fileURLToPath(import.meta.url)), '..');

/** The demo tenants, used when TENANTS_FILE is not set. */
export const DEMO_TENANTS_FILE = join(exampleDir, 'tenants.demo.json');

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://api.cal.com' })
  .transform((url) => url.replace(/\/+$/, ''));

/** A duration in whole milliseconds, from 0 up to a day. */
const milliseconds = (zero: string) =>
  z.coerce
    .number({ error: `must be a number of milliseconds (${zero})` })
    .int('must be a whole number of milliseconds')
    .min(0, `must be 0 or more (${zero})`)
    .max(86_400_000, 'must be at most 86400000 (a day)');

/** The environment the server reads; every variable is optional. */
const Env = z.object({
  PORT: z.coerce
    .number({ error: 'must be a port number (0-65535)' })
    .int('must be a whole number')
    .min(0, 'must be 0-65535')
    .max(65_535, 'must be 0-65535')
    .default(3000),
  HOST: z.string().min(1, 'must not be empty').default('127.0.0.1'),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  DATA_DIR: z.string().min(1, 'must not be empty').default('./.data'),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  TENANTS_FILE: z.string().min(1, 'must not be empty').optional(),
  CALCOM_BASE_URL: httpUrl.optional(),
  PUBLIC_URL: httpUrl.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[\w:.-]{1,100}$/, 'must be 1-100 letters, digits, _ : . or -, e.g. bookingkit:')
    .default('bookingkit:'),
  RECOVERY_INTERVAL_MS: milliseconds('0 recovers only at start').default(60_000),
  RECONCILE_INTERVAL_MS: milliseconds('0 turns the schedule off').default(900_000),
  RECONCILE_GRACE_MS: milliseconds('0 compares even what changed a moment ago').default(300_000),
  WEBHOOK_RATE_LIMIT: z.coerce
    .number({ error: 'must be a number of requests (0 turns the limit off)' })
    .int('must be a whole number')
    .min(0, 'must be 0 or more (0 turns the limit off)')
    .default(600),
  WEBHOOK_RATE_WINDOW_MS: milliseconds('at least 1000').min(1_000, 'must be at least 1000').default(60_000),
  ADMISSION_MAX_CONCURRENT: z.coerce
    .number({ error: 'must be a number of commands' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(10_000, 'must be at most 10000')
    .optional(),
  ADMISSION_MAX_QUEUE: z.coerce
    .number({ error: 'must be a number of commands (0: no line)' })
    .int('must be a whole number')
    .min(0, 'must be 0 or more (0: no line)')
    .max(100_000, 'must be at most 100000')
    .optional(),
});

/** A name of an environment variable that holds a secret. */
const EnvName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'must name an environment variable, e.g. ACME_API_KEY');

/** One tenant as the tenants file describes it: credentials are the names of environment variables. */
const TenantEntry = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be lowercase letters, digits, - or _'),
  name: z.string().min(1).max(200),
  timeZone: z.string().min(1),
  locale: z.enum(['de', 'en']).default('en'),
  calendarUnavailablePolicy: z.enum(['fail', 'queue']).default('fail'),
  phoneNumbers: z
    .array(z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be E.164, e.g. +493012345678'))
    .default([]),
  /** The variable holding the tenant's API key for /api and /admin. */
  apiKeyEnv: EnvName,
  calcom: z.object({
    apiKeyEnv: EnvName,
    webhookSecretEnv: EnvName,
    /** The key in `/webhooks/calcom/:routeKey`. */
    routeKey: z.string().min(8).max(200),
  }),
  retell: z.object({
    /** The Retell workspace (its key in `/webhooks/retell/:workspace`); tenants of one workspace share its key. */
    workspace: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'must be lowercase letters, digits, - or _'),
    apiKeyEnv: EnvName,
  }),
});

const TenantsFile = z.object({
  tenants: z
    .array(TenantEntry)
    .min(1, 'must list at least one tenant')
    .refine((list) => new Set(list.map((t) => t.id)).size === list.length, 'tenant ids must be unique'),
});

/** A tenant with its credentials read from the environment. */
export interface TenantConfig {
  /** As `createBookingKit` takes it (API key hashed, route key, numbers). */
  readonly tenant: {
    readonly id: string;
    readonly name: string;
    readonly timeZone: string;
    readonly locale: 'de' | 'en';
    readonly status: 'active';
    readonly calendarUnavailablePolicy: 'fail' | 'queue';
    readonly phoneNumbers: string[];
    readonly apiKeyHashes: string[];
    readonly routeKeys: string[];
  };
  readonly apiKey: string;
  /** Cal.com credentials; generated ones when the embedded simulator runs. */
  readonly calcom: { readonly apiKey: string; readonly webhookSecret: string; readonly routeKey: string };
  readonly retell: { readonly workspace: string; readonly apiKey: string };
}

/** The server's configuration, checked. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** `postgres`: DATABASE_URL; `pglite`: an embedded Postgres in `dataDir`. */
  readonly database:
    | { readonly kind: 'postgres'; readonly url: string }
    | { readonly kind: 'pglite'; readonly dataDir: string };
  readonly redisUrl: string | null;
  /** Prefix of every Redis key the server writes (one per deployment or test run). */
  readonly redisKeyPrefix: string;
  /** Time between saga recoveries (sagas of a dead instance whose lease ran out); `0`: only at start. */
  readonly recoveryIntervalMs: number;
  /**
   * The booking service's admission limits (commands running at once, commands waiting); a limit
   * not set keeps bookingkit's default (64 and 64).
   */
  readonly admission: { readonly maxConcurrent?: number; readonly maxQueue?: number };
  /** Time between reconciliation rounds of every tenant; `0`: no schedule (POST /admin/reconcile still runs). */
  readonly reconcileIntervalMs: number;
  /** Reconciliation skips what either side changed less than this long ago (still in flight). */
  readonly reconcileGraceMs: number;
  /** Webhook requests allowed per route key and client address within `windowMs`; `0`: no limit. */
  readonly webhookRateLimit: { readonly limit: number; readonly windowMs: number };
  /** Real Cal.com (or an external simulator) at `baseUrl`, or the embedded simulator. */
  readonly calcom: { readonly kind: 'remote'; readonly baseUrl: string } | { readonly kind: 'simulator' };
  readonly publicUrl: string | null;
  readonly logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  readonly tenantsFile: string;
  /** Whether the demo tenants (and their demo secrets) are used. */
  readonly demo: boolean;
  readonly tenants: readonly TenantConfig[];
}

/** A configuration that cannot start the server: every problem, each naming its variable or field. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** The digest tenant directories compare API keys by (as bookingkit's `hashApiKey`). */
const sha256Hex = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

const issuesOf = (error: z.ZodError, prefix: string) =>
  error.issues.map((issue) => {
    const path = issue.path.join('.');
    return `${prefix}${path === '' ? '' : path}: ${issue.message}`;
  });

/**
 * Reads the configuration from `env` (and the tenants file it names), or throws a
 * {@link ConfigError} listing every problem.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) throw new ConfigError(issuesOf(parsed.error, ''));
  const vars = parsed.data;
  const demo = vars.TENANTS_FILE === undefined;
  const tenantsFile = demo ? DEMO_TENANTS_FILE : resolve(vars.TENANTS_FILE!);
  const simulator = vars.CALCOM_BASE_URL === undefined;

  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(tenantsFile, 'utf8'));
  } catch (error) {
    throw new ConfigError([`TENANTS_FILE: cannot read ${tenantsFile} as JSON (${(error as Error).message})`]);
  }
  const file = TenantsFile.safeParse(raw);
  if (!file.success) throw new ConfigError(issuesOf(file.error, `TENANTS_FILE ${tenantsFile}: `));

  const problems: string[] = [];
  /** A secret from the environment; the demo file falls back to its demo values. */
  const secret = (name: string, field: string, fallback?: string): string => {
    const value = env[name] ?? (demo ? DEMO_ENV[name] : undefined) ?? fallback;
    if (value === undefined || value === '') {
      problems.push(`${name}: not set (${field} in ${tenantsFile} names it)`);
      return '';
    }
    return value;
  };
  const workspaceKeys = new Map<string, string>();
  const tenants = file.data.tenants.map((entry): TenantConfig => {
    const at = `tenants[${entry.id}]`;
    const known = workspaceKeys.get(entry.retell.workspace);
    if (known !== undefined && known !== entry.retell.apiKeyEnv)
      problems.push(
        `${at}.retell.apiKeyEnv: workspace "${entry.retell.workspace}" is already keyed by ${known}; one workspace has one key`,
      );
    workspaceKeys.set(entry.retell.workspace, entry.retell.apiKeyEnv);
    const apiKey = secret(entry.apiKeyEnv, `${at}.apiKeyEnv`);
    return {
      tenant: {
        id: entry.id,
        name: entry.name,
        timeZone: entry.timeZone,
        locale: entry.locale,
        status: 'active',
        calendarUnavailablePolicy: entry.calendarUnavailablePolicy,
        phoneNumbers: entry.phoneNumbers,
        apiKeyHashes: apiKey === '' ? [] : [sha256Hex(apiKey)],
        routeKeys: [entry.calcom.routeKey],
      },
      apiKey,
      calcom: {
        // The embedded simulator accepts whatever key it is seeded with.
        apiKey: secret(
          entry.calcom.apiKeyEnv,
          `${at}.calcom.apiKeyEnv`,
          simulator ? `cal_sim_${entry.id}` : undefined,
        ),
        webhookSecret: secret(
          entry.calcom.webhookSecretEnv,
          `${at}.calcom.webhookSecretEnv`,
          simulator ? `whsec_sim_${entry.id}` : undefined,
        ),
        routeKey: entry.calcom.routeKey,
      },
      retell: {
        workspace: entry.retell.workspace,
        apiKey: secret(entry.retell.apiKeyEnv, `${at}.retell.apiKeyEnv`),
      },
    };
  });
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    port: vars.PORT,
    host: vars.HOST,
    database:
      vars.DATABASE_URL === undefined
        ? { kind: 'pglite', dataDir: resolve(vars.DATA_DIR) }
        : { kind: 'postgres', url: vars.DATABASE_URL },
    redisUrl: vars.REDIS_URL ?? null,
    redisKeyPrefix: vars.REDIS_KEY_PREFIX,
    recoveryIntervalMs: vars.RECOVERY_INTERVAL_MS,
    admission: {
      ...(vars.ADMISSION_MAX_CONCURRENT === undefined
        ? {}
        : { maxConcurrent: vars.ADMISSION_MAX_CONCURRENT }),
      ...(vars.ADMISSION_MAX_QUEUE === undefined ? {} : { maxQueue: vars.ADMISSION_MAX_QUEUE }),
    },
    reconcileIntervalMs: vars.RECONCILE_INTERVAL_MS,
    reconcileGraceMs: vars.RECONCILE_GRACE_MS,
    webhookRateLimit: { limit: vars.WEBHOOK_RATE_LIMIT, windowMs: vars.WEBHOOK_RATE_WINDOW_MS },
    calcom: simulator ? { kind: 'simulator' } : { kind: 'remote', baseUrl: vars.CALCOM_BASE_URL! },
    publicUrl: vars.PUBLIC_URL ?? null,
    logLevel: vars.LOG_LEVEL,
    tenantsFile,
    demo,
    tenants,
  };
}
