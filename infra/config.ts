import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Every environment variable HeatScheduler reads, in one place (the README lists them). */
const EnvSchema = z.object({
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_CLI_PATH: z.string().optional(),
  DATABASE_URL: z.string().optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('HeatScheduler <heatscheduler@localhost>'),
  HEATSCHEDULER_DATA_DIR: z.string().optional(),
  HEATSCHEDULER_TEMPORAL_PORT: z.coerce.number().int().positive().default(7233),
  HEATSCHEDULER_PG_PORT: z.coerce.number().int().positive().default(54329),
  PORT: z.coerce.number().int().positive().default(8080),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Re-records the replay test's workflow history (tests only). */
  RECORD_HISTORY: z.stringbool().default(false),
  /** The system's search path, where the `temporal` CLI may be found. */
  PATH: z.string().default(''),
});

export type Env = z.infer<typeof EnvSchema>;

export function readEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`bad environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** The environment of a child process (a worker, a server): this process's, with `overrides`. */
export function childEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export function dataDir(env: Env = readEnv()): string {
  return env.HEATSCHEDULER_DATA_DIR ?? `${REPO_ROOT}.heatscheduler`;
}
