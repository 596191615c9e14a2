import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../examples/express-server/src/config.js';
import { maskText } from '../../examples/express-server/src/logging.js';

// The Express example's configuration: embedded defaults with nothing set, and every bad variable
// named with what is wrong.

const problemsOf = (env: NodeJS.ProcessEnv): readonly string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('loadConfig accepted the environment');
};

describe('the example configuration', () => {
  it('runs on embedded defaults with nothing set: PGlite in ./.data, the Cal.com simulator, the demo tenants', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      database: { kind: 'pglite', dataDir: expect.stringMatching(/\.data$/) },
      redisUrl: null,
      calcom: { kind: 'simulator' },
      demo: true,
    });
    expect(config.tenants.map((t) => [t.tenant.id, t.tenant.locale, t.retell.workspace])).toEqual([
      ['praxis', 'de', 'demo'],
      ['clinic', 'en', 'demo'],
    ]);
    // The API key is kept as its SHA-256 digest only.
    expect(config.tenants[0]!.tenant.apiKeyHashes).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);
  });

  it('names each bad variable and what it must be', () => {
    expect(
      problemsOf({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://db',
        REDIS_URL: 'http://x',
        CALCOM_BASE_URL: 'ftp://cal',
      }),
    ).toEqual([
      expect.stringMatching(/^PORT: /),
      'DATABASE_URL: must be a postgres:// or postgresql:// URL',
      'REDIS_URL: must be a redis:// or rediss:// URL',
      'CALCOM_BASE_URL: must be an http(s) URL, e.g. https://api.cal.com',
    ]);
  });

  it("takes the booking service's admission limits, bookingkit's defaults for those not set", () => {
    expect(loadConfig({}).admission).toEqual({});
    expect(loadConfig({ ADMISSION_MAX_CONCURRENT: '16', ADMISSION_MAX_QUEUE: '0' }).admission).toEqual({
      maxConcurrent: 16,
      maxQueue: 0,
    });
    expect(problemsOf({ ADMISSION_MAX_CONCURRENT: '0', ADMISSION_MAX_QUEUE: 'many' })).toEqual([
      'ADMISSION_MAX_CONCURRENT: must be at least 1',
      'ADMISSION_MAX_QUEUE: must be a number of commands (0: no line)',
    ]);
  });

  it('with a real Cal.com, asks for the credentials the tenants file names', () => {
    const problems = problemsOf({ CALCOM_BASE_URL: 'https://api.cal.com' });
    expect(problems).toContainEqual(
      expect.stringMatching(/^PRAXIS_CALCOM_API_KEY: not set \(tenants\[praxis\]\.calcom\.apiKeyEnv/),
    );
    expect(problems).toContainEqual(expect.stringMatching(/^CLINIC_CALCOM_WEBHOOK_SECRET: not set/));
  });

  it('reports a tenants file that cannot be read', () => {
    expect(problemsOf({ TENANTS_FILE: '/nonexistent/tenants.json' })).toEqual([
      expect.stringMatching(/^TENANTS_FILE: cannot read \/nonexistent\/tenants\.json as JSON/),
    ]);
  });
});

describe('log masking', () => {
  it('masks e-mail addresses and phone numbers', () => {
    expect(maskText('Anna <anna.schmidt@example.com> called from +49 151 12345678')).toBe(
      'Anna <a***@example.com> called from +49*********78',
    );
  });
});
