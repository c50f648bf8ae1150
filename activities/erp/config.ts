import { z } from 'zod';
import type { Env } from '../../infra/config.ts';
import { ErpEndpointSchema } from './connector.ts';
import { ErpSiteSchema } from './orders.ts';

/** One ERP connector: where to pull, for which site, how often, and whether a changed schedule starts a run. */
export const ErpConnectorSchema = z
  .object({
    name: z.string().min(1).max(100),
    endpoint: ErpEndpointSchema,
    site: ErpSiteSchema,
    everyMinutes: z.number().int().min(1).default(15),
    /** Pulls missed while Temporal was down are made up for within this window (one, since overlaps are skipped). */
    catchupMinutes: z.number().int().min(1).default(60),
    startRun: z.boolean().default(false),
  })
  .strict();
export type ErpConnector = z.output<typeof ErpConnectorSchema>;
export type ErpConnectorInput = z.input<typeof ErpConnectorSchema>;

/** Which environment variable each setting comes from, to name it when it is wrong. */
const ENV_NAMES: Record<string, string> = {
  'endpoint.baseUrl': 'ERP_BASE_URL',
  'endpoint.ordersPath': 'ERP_ORDERS_PATH',
  'endpoint.auth': 'ERP_API_KEY or ERP_OAUTH_*',
  'endpoint.auth.tokenUrl': 'ERP_OAUTH_TOKEN_URL',
  'endpoint.auth.clientId': 'ERP_OAUTH_CLIENT_ID',
  'endpoint.auth.clientSecret': 'ERP_OAUTH_CLIENT_SECRET',
  'endpoint.pageSize': 'ERP_PAGE_SIZE',
  'endpoint.timeoutMs': 'ERP_TIMEOUT_SECONDS',
  'site.tenant': 'ERP_TENANT',
  'site.site': 'ERP_SITE',
  'site.fieldMap': 'ERP_FIELD_MAP',
};

/** The connector the ERP_* variables describe, or undefined when ERP_BASE_URL is unset (no ERP pull). */
export function erpConnectorFromEnv(env: Env): ErpConnector | undefined {
  if (!env.ERP_BASE_URL) return undefined;
  const auth = env.ERP_OAUTH_TOKEN_URL
    ? {
        kind: 'oauth2',
        tokenUrl: env.ERP_OAUTH_TOKEN_URL,
        clientId: env.ERP_OAUTH_CLIENT_ID,
        clientSecret: env.ERP_OAUTH_CLIENT_SECRET,
        scope: env.ERP_OAUTH_SCOPE,
      }
    : { kind: 'api_key', header: env.ERP_API_KEY_HEADER, key: env.ERP_API_KEY };
  let fieldMap: unknown = {};
  try {
    fieldMap = env.ERP_FIELD_MAP ? JSON.parse(env.ERP_FIELD_MAP) : {};
  } catch {
    throw new Error('ERP_FIELD_MAP: not JSON (e.g. {"id":"OrderNo","heatingKwh":"HeatKWh"})');
  }
  const parsed = ErpConnectorSchema.safeParse({
    name: env.ERP_NAME,
    endpoint: {
      baseUrl: env.ERP_BASE_URL,
      ordersPath: env.ERP_ORDERS_PATH,
      auth,
      pageSize: env.ERP_PAGE_SIZE,
      timeoutMs: env.ERP_TIMEOUT_SECONDS * 1000,
    },
    site: { tenant: env.ERP_TENANT, site: env.ERP_SITE, timeZone: env.ERP_TIME_ZONE, horizonDays: env.ERP_HORIZON_DAYS, fieldMap },
    everyMinutes: env.ERP_PULL_EVERY_MINUTES,
    catchupMinutes: env.ERP_CATCHUP_MINUTES,
    startRun: env.ERP_START_RUN,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const path = i.path.join('.');
      const name = ENV_NAMES[path] ?? ENV_NAMES[i.path.slice(0, 2).join('.')] ?? path;
      return `${name}: ${i.message}`;
    });
    throw new Error(`the ERP connector is misconfigured: ${problems.join('; ')}`);
  }
  return parsed.data;
}
