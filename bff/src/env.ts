import { z } from 'zod';

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

/** Environment, validated once at boot (epic-stack): a bad value stops the process with a clear message. */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z.string().url(),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
  /** Connections of the pool for short lock-free reads (Deps.reads): few, so statements are pipelined. */
  DB_READ_POOL_MAX: z.coerce.number().int().min(1).max(50).default(4),
  /** API requests past the admission gate at once (platform/admission.ts). */
  MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).default(400),
  /** Requests waiting at the gate before more are refused with 503 request.busy. */
  MAX_QUEUED: z.coerce.number().int().min(0).max(1_000_000).default(20_000),
  /** Cookies marked Secure, and HSTS sent: the platform is served over TLS. On by default in production (ADR-023). */
  COOKIE_SECURE: bool.optional(),
  /**
   * Proxies in front of the bff whose X-Forwarded-For is believed (ADR-023):
   * with N, the client is the N-th address from the right; 0 (default) trusts
   * none and takes the socket's address. web's server is one such hop.
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).optional(),
  /** Replaced by TRUSTED_PROXY_HOPS; `true` still means one hop. */
  TRUST_PROXY: bool.optional(),
  SMS_PROVIDER: z.enum(['dev']).default('dev'),
  /** /dev/inbox and /dev/clock (the dev SMS inbox, the shared test clock), and a banner in both apps. Never in production. */
  DEV_TOOLS: bool.default(false),
  /** With DEV_TOOLS, whether requests read the shared test clock (dev_clock); tests with a manual clock turn it off. */
  ALLOW_TEST_CLOCK: bool.optional(),
  JOBS_ENABLED: bool.default(true),
  /** Contested bookings group-committed: many requests, one statement (platform/group-commit.ts, ADR-040). `false` books one statement per request. */
  GROUP_COMMIT: bool.default(true),
  /** A file the bff rewrites every second with where requests wait, batcher by batcher (platform/group-commit.ts `batcherReport`): a diagnostic for the bench. */
  GROUP_COMMIT_TRACE: z.string().min(1).optional(),
  ADMIN_DIST: z.string().optional(),
  PUBLIC_WEB_URL: z.string().url().default('http://127.0.0.1:3000'),
  /** Where staff open the console, when not on the bff's own origin (a state change from it passes the cross-site check). */
  PUBLIC_ADMIN_URL: z.string().url().optional(),
});

type Parsed = z.infer<typeof EnvSchema>;
export type Config = Omit<Parsed, 'COOKIE_SECURE' | 'TRUSTED_PROXY_HOPS' | 'TRUST_PROXY'> & {
  COOKIE_SECURE: boolean;
  TRUSTED_PROXY_HOPS: number;
  allowTestClock: boolean;
};

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid environment:\n${lines.join('\n')}`);
  }
  const { TRUST_PROXY, ...c } = parsed.data;
  const production = c.NODE_ENV === 'production';
  if (c.DEV_TOOLS && production) throw new Error('invalid environment:\n  DEV_TOOLS: development tools cannot be enabled with NODE_ENV=production');
  if (c.ALLOW_TEST_CLOCK && production) throw new Error('invalid environment:\n  ALLOW_TEST_CLOCK: the test clock cannot be enabled with NODE_ENV=production');
  // The shared test clock is moved through /dev/clock: without the dev tools nothing reads it.
  const allowTestClock = c.DEV_TOOLS && c.ALLOW_TEST_CLOCK !== false;
  return {
    ...c,
    COOKIE_SECURE: c.COOKIE_SECURE ?? production,
    TRUSTED_PROXY_HOPS: c.TRUSTED_PROXY_HOPS ?? (TRUST_PROXY ? 1 : 0),
    allowTestClock,
  };
}
