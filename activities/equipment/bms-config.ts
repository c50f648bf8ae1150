import { z } from 'zod';
import type { Env } from '../../infra/config.ts';
import { HttpAuthSchema, HttpPatienceSchema } from '../http-json.ts';

/** A site's SCADA/BMS status endpoint (an HTTP JSON gateway) and how often to read it. */
export const BmsConfigSchema = z
  .object({
    url: z.url(),
    auth: HttpAuthSchema.optional(),
    patience: HttpPatienceSchema.default({ timeoutMs: 10_000, attempts: 3, backoffMs: 500 }),
    tenant: z.string().min(1).max(64),
    site: z.string().min(1).max(64),
    everyMinutes: z.number().int().min(1).default(5),
    /** How long a heater reported down stays out of new plans, unless a later pull says it is back. */
    offlineHoldMinutes: z.number().int().min(1).default(60),
  })
  .strict();
export type BmsConfig = z.output<typeof BmsConfigSchema>;
export type BmsConfigInput = z.input<typeof BmsConfigSchema>;

/** The BMS the BMS_* variables describe, or undefined when BMS_STATUS_URL is unset. */
export function bmsConfigFromEnv(env: Env): BmsConfig | undefined {
  if (!env.BMS_STATUS_URL) return undefined;
  const parsed = BmsConfigSchema.safeParse({
    url: env.BMS_STATUS_URL,
    auth: env.BMS_API_KEY ? { kind: 'api_key', header: env.BMS_API_KEY_HEADER, key: env.BMS_API_KEY } : undefined,
    patience: { timeoutMs: env.BMS_TIMEOUT_SECONDS * 1000 },
    tenant: env.BMS_TENANT,
    site: env.BMS_SITE,
    everyMinutes: env.BMS_PULL_EVERY_MINUTES,
    offlineHoldMinutes: env.BMS_OFFLINE_HOLD_MINUTES,
  });
  if (!parsed.success) {
    const names: Record<string, string> = { tenant: 'BMS_TENANT', site: 'BMS_SITE', url: 'BMS_STATUS_URL' };
    const problems = parsed.error.issues.map((i) => `${names[String(i.path[0])] ?? i.path.join('.')}: ${i.message}`);
    throw new Error(`the BMS status pull is misconfigured: ${problems.join('; ')}`);
  }
  return parsed.data;
}
