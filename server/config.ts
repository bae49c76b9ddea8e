import { z } from 'zod';

export const DEFAULT_PII_KEY = 'dev-only-pii-key-change-me';
export const DEFAULT_DEMO_PASSWORD = 'demo-password';

const flag = z.enum(['0', '1']).transform((v) => v === '1');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  DATABASE_PATH: z.string().min(1).default('./data/console.db'),
  CONSOLE_DEMO: flag.default(true),
  CONSOLE_SIMULATOR: flag.optional(),
  CONSOLE_PII_KEY: z.string().min(16, 'must be at least 16 characters').default(DEFAULT_PII_KEY),
  CONSOLE_DEMO_PASSWORD: z.string().min(8, 'must be at least 8 characters').default(DEFAULT_DEMO_PASSWORD),
  CONSOLE_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  CONSOLE_SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  CONSOLE_PUBLIC_ORIGIN: z
    .url({ error: 'must be an origin such as https://console.example.com' })
    .transform((u) => new URL(u).origin)
    .optional(),
  CONSOLE_SLA_FAST_TRACK_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(4),
  CONSOLE_SLA_STANDARD_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(24),
  CONSOLE_TASK_STALE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(30 * 24 * 60)
    .default(60),
  CONSOLE_ROLLBACK_APPROVAL_LIMIT: z.coerce.number().min(0).max(1e9).default(1000),
  CONSOLE_ESTIMATE_MIN_SAMPLES: z.coerce.number().int().min(1).max(100_000).default(20),
  CONSOLE_ESTIMATE_WINDOW_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  CONSOLE_CREDIT_RATES: z
    .string()
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON, e.g. {"standard":[10,80],"fast":[15,120]}' });
        return z.NEVER;
      }
    })
    .pipe(
      z.record(
        z.string(),
        z
          .tuple([z.number().min(0), z.number().min(0)])
          .refine(([lo, hi]) => lo <= hi, 'each rate is [low, high] with low <= high'),
        { error: 'must map each queue_type to [low, high] credits' },
      ),
    )
    .optional(),
  CONSOLE_ADMIN_USERNAME: z.string().min(2).optional(),
  CONSOLE_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  databasePath: string;
  demo: boolean;
  simulator: boolean;
  piiKey: string;
  demoPassword: string;
  sessionIdleMs: number;
  sessionMaxMs: number;
  /** Secure, __Host- prefixed session cookies: always in production */
  secureCookies: boolean;
  publicOrigin: string | undefined;
  /** SLA targets of pending licence applications, in hours */
  sla: { fastTrackHours: number; standardHours: number };
  /** a started task with no outcome after this many minutes is stale */
  taskStaleMinutes: number;
  /** manual ledger entries above this many credits need a second person's approval */
  rollbackApprovalLimit: number;
  /** the credit estimate: fewest samples, look-back window, rate table fallback */
  estimate: { minSamples: number; windowDays: number; rates: Record<string, [number, number]> | undefined };
  /** the first admin, created in production when there is no user yet */
  firstAdmin: { username: string; password: string } | undefined;
}

export class ConfigError extends Error {}

/** Parses the environment once at start; refuses production with default secrets or demo data. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const config: Config = {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    databasePath: e.DATABASE_PATH,
    demo: e.CONSOLE_DEMO,
    simulator: e.CONSOLE_SIMULATOR ?? e.CONSOLE_DEMO,
    piiKey: e.CONSOLE_PII_KEY,
    demoPassword: e.CONSOLE_DEMO_PASSWORD,
    sessionIdleMs: e.CONSOLE_SESSION_IDLE_MINUTES * 60_000,
    sessionMaxMs: e.CONSOLE_SESSION_MAX_HOURS * 3600_000,
    secureCookies: e.NODE_ENV === 'production',
    publicOrigin: e.CONSOLE_PUBLIC_ORIGIN,
    sla: { fastTrackHours: e.CONSOLE_SLA_FAST_TRACK_HOURS, standardHours: e.CONSOLE_SLA_STANDARD_HOURS },
    taskStaleMinutes: e.CONSOLE_TASK_STALE_MINUTES,
    rollbackApprovalLimit: e.CONSOLE_ROLLBACK_APPROVAL_LIMIT,
    estimate: {
      minSamples: e.CONSOLE_ESTIMATE_MIN_SAMPLES,
      windowDays: e.CONSOLE_ESTIMATE_WINDOW_DAYS,
      rates: e.CONSOLE_CREDIT_RATES,
    },
    firstAdmin:
      e.CONSOLE_ADMIN_USERNAME && e.CONSOLE_ADMIN_PASSWORD
        ? { username: e.CONSOLE_ADMIN_USERNAME, password: e.CONSOLE_ADMIN_PASSWORD }
        : undefined,
  };
  if (config.env === 'production') {
    const problems: string[] = [];
    if (config.piiKey === DEFAULT_PII_KEY) problems.push('CONSOLE_PII_KEY is the default; set a secret key');
    if (config.demo) problems.push('CONSOLE_DEMO must be 0 in production (demo users, keys and data)');
    if (config.simulator) problems.push('CONSOLE_SIMULATOR must be 0 in production');
    if (problems.length)
      throw new ConfigError(`refusing to start in production:\n  ${problems.join('\n  ')}`);
  }
  return config;
}
