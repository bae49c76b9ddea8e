import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_PII_KEY, loadConfig } from '../../server/config.ts';

/** The environment is parsed once at start; production refuses default secrets and demo data. */

const SECRET = 'a-real-secret-key-for-production-0001';

/** the ConfigError loadConfig throws for `env` (fails the test when it does not throw one) */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error(`loadConfig(${JSON.stringify(env)}) did not throw`);
}

describe('loadConfig defaults', () => {
  it('an empty environment gives the development defaults, demo and simulator on', () => {
    expect(loadConfig({})).toEqual({
      env: 'development',
      host: '127.0.0.1',
      port: 8787,
      databasePath: './data/console.db',
      demo: true,
      simulator: true,
      piiKey: DEFAULT_PII_KEY,
      demoPassword: 'demo-password',
      sessionIdleMs: 30 * 60_000,
      sessionMaxMs: 12 * 3600_000,
      secureCookies: false,
      publicOrigin: undefined,
      sla: { fastTrackHours: 4, standardHours: 24 },
      taskStaleMinutes: 60,
      rollbackApprovalLimit: 1000,
      estimate: { minSamples: 20, windowDays: 30, rates: undefined },
      firstAdmin: undefined,
    });
  });

  it('reads every variable it knows', () => {
    expect(
      loadConfig({
        NODE_ENV: 'test',
        HOST: '0.0.0.0',
        PORT: '9000',
        DATABASE_PATH: '/var/lib/console/console.db',
        CONSOLE_DEMO: '1',
        CONSOLE_SIMULATOR: '0',
        CONSOLE_PII_KEY: SECRET,
        CONSOLE_DEMO_PASSWORD: 'another-demo-pw',
        CONSOLE_SESSION_IDLE_MINUTES: '15',
        CONSOLE_SESSION_MAX_HOURS: '8',
        CONSOLE_PUBLIC_ORIGIN: 'https://console.example.com/',
        CONSOLE_SLA_FAST_TRACK_HOURS: '2',
        CONSOLE_SLA_STANDARD_HOURS: '48',
        CONSOLE_TASK_STALE_MINUTES: '90',
        CONSOLE_ROLLBACK_APPROVAL_LIMIT: '250.5',
        CONSOLE_ESTIMATE_MIN_SAMPLES: '5',
        CONSOLE_ESTIMATE_WINDOW_DAYS: '14',
        CONSOLE_CREDIT_RATES: '{"standard":[1,2],"fast":[3,4]}',
        CONSOLE_ADMIN_USERNAME: 'root',
        CONSOLE_ADMIN_PASSWORD: 'a-long-admin-password',
      }),
    ).toEqual({
      env: 'test',
      host: '0.0.0.0',
      port: 9000,
      databasePath: '/var/lib/console/console.db',
      demo: true,
      simulator: false,
      piiKey: SECRET,
      demoPassword: 'another-demo-pw',
      sessionIdleMs: 15 * 60_000,
      sessionMaxMs: 8 * 3600_000,
      secureCookies: false,
      publicOrigin: 'https://console.example.com',
      sla: { fastTrackHours: 2, standardHours: 48 },
      taskStaleMinutes: 90,
      rollbackApprovalLimit: 250.5,
      estimate: { minSamples: 5, windowDays: 14, rates: { standard: [1, 2], fast: [3, 4] } },
      firstAdmin: { username: 'root', password: 'a-long-admin-password' },
    });
  });

  it('CONSOLE_DEMO=0 turns the demo off and, unless set, the simulator with it', () => {
    expect(loadConfig({ CONSOLE_DEMO: '0' })).toMatchObject({ demo: false, simulator: false });
    expect(loadConfig({ CONSOLE_DEMO: '0', CONSOLE_SIMULATOR: '1' })).toMatchObject({
      demo: false,
      simulator: true,
    });
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ PATH: '/usr/bin', HOME: '/root' }).port).toBe(8787);
  });
});

describe('loadConfig refuses an invalid environment, naming the variable', () => {
  it.each([
    ['PORT', { PORT: 'abc' }],
    ['PORT', { PORT: '70000' }],
    ['PORT', { PORT: '80.5' }],
    ['NODE_ENV', { NODE_ENV: 'staging' }],
    ['CONSOLE_DEMO', { CONSOLE_DEMO: 'yes' }],
    ['CONSOLE_SIMULATOR', { CONSOLE_SIMULATOR: 'true' }],
    ['CONSOLE_PII_KEY', { CONSOLE_PII_KEY: 'short' }],
    ['DATABASE_PATH', { DATABASE_PATH: '' }],
    ['CONSOLE_TASK_STALE_MINUTES', { CONSOLE_TASK_STALE_MINUTES: '0' }],
    ['CONSOLE_ROLLBACK_APPROVAL_LIMIT', { CONSOLE_ROLLBACK_APPROVAL_LIMIT: '-1' }],
    ['CONSOLE_CREDIT_RATES', { CONSOLE_CREDIT_RATES: 'standard=10' }],
    ['CONSOLE_CREDIT_RATES', { CONSOLE_CREDIT_RATES: '{"standard":[80,10]}' }],
  ])('%s in %j', (name, env) => {
    expect(configError(env).message).toContain(name);
  });
});

describe('loadConfig in production', () => {
  it('refuses the default CONSOLE_PII_KEY', () => {
    const e = configError({ NODE_ENV: 'production', CONSOLE_DEMO: '0' });
    expect(e.message).toContain('CONSOLE_PII_KEY');
    expect(e.message).not.toContain('CONSOLE_DEMO');
  });

  it('refuses CONSOLE_DEMO=1, and the default demo=on', () => {
    const explicit = configError({ NODE_ENV: 'production', CONSOLE_DEMO: '1', CONSOLE_PII_KEY: SECRET });
    expect(explicit.message).toContain('CONSOLE_DEMO');
    expect(explicit.message).not.toContain('CONSOLE_PII_KEY');
    const byDefault = configError({ NODE_ENV: 'production', CONSOLE_PII_KEY: SECRET });
    expect(byDefault.message).toContain('CONSOLE_DEMO');
  });

  it('refuses the simulator', () => {
    const e = configError({
      NODE_ENV: 'production',
      CONSOLE_DEMO: '0',
      CONSOLE_SIMULATOR: '1',
      CONSOLE_PII_KEY: SECRET,
    });
    expect(e.message).toContain('CONSOLE_SIMULATOR');
  });

  it('names every problem at once', () => {
    const e = configError({ NODE_ENV: 'production' });
    expect(e.message).toContain('CONSOLE_PII_KEY');
    expect(e.message).toContain('CONSOLE_DEMO');
  });

  it('starts with a secret key and the demo off', () => {
    expect(loadConfig({ NODE_ENV: 'production', CONSOLE_DEMO: '0', CONSOLE_PII_KEY: SECRET })).toMatchObject({
      env: 'production',
      demo: false,
      simulator: false,
      piiKey: SECRET,
    });
  });
});
