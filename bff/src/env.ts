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
  COOKIE_SECURE: bool.default(false),
  TRUST_PROXY: bool.default(false),
  SMS_PROVIDER: z.enum(['dev']).default('dev'),
  /** Lets e2e move time for every bff process through the dev_clock table. Never in production. */
  ALLOW_TEST_CLOCK: bool.optional(),
  JOBS_ENABLED: bool.default(true),
  ADMIN_DIST: z.string().optional(),
  PUBLIC_WEB_URL: z.string().url().default('http://127.0.0.1:3000'),
});

export type Config = z.infer<typeof EnvSchema> & { allowTestClock: boolean };

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid environment:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const allowTestClock = c.ALLOW_TEST_CLOCK ?? c.NODE_ENV !== 'production';
  if (allowTestClock && c.NODE_ENV === 'production') throw new Error('ALLOW_TEST_CLOCK cannot be set in production');
  return { ...c, allowTestClock };
}
