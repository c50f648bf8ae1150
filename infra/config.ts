import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Every environment variable HeatScheduler reads, in one place (the README lists them). */
const EnvSchema = z.object({
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  DATABASE_URL: z.string().optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().optional(),
  HEATSCHEDULER_DATA_DIR: z.string().optional(),
  HEATSCHEDULER_TEMPORAL_PORT: z.coerce.number().int().positive().default(7233),
  HEATSCHEDULER_PG_PORT: z.coerce.number().int().positive().default(54329),
  PORT: z.coerce.number().int().positive().default(8080),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type Env = z.infer<typeof EnvSchema>;

export function readEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`bad environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export function dataDir(env: Env = readEnv()): string {
  return env.HEATSCHEDULER_DATA_DIR ?? `${REPO_ROOT}.heatscheduler`;
}
