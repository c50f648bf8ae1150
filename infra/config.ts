import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Every environment variable HeatScheduler reads, in one place (the README lists them). */
const EnvFields = z.object({
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_CLI_PATH: z.string().optional(),
  /** Temporal UI of a real Temporal (the web page links each run there); the embedded one is known. */
  TEMPORAL_UI_URL: z.url().optional(),
  DATABASE_URL: z.string().optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('HeatScheduler <heatscheduler@localhost>'),
  /** Slack bot token (chat:write, channels:history to find a post whose outcome was unknown); none: Slack off. */
  SLACK_BOT_TOKEN: z.string().min(1).optional(),
  /** Slack Web API base, e.g. `http://127.0.0.1:PORT/api/` for a test peer (default Slack's). */
  SLACK_API_URL: z.url().optional(),
  /** Channels that get every run's summary besides the request's own `notify.slack` (comma-separated ids or #names). */
  SLACK_RUN_SUMMARY_CHANNELS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
    ),
  /** Secret that signs alert webhooks (HMAC-SHA256, at least 32 characters); none: webhooks off. */
  WEBHOOK_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Public address of the HTTP API, for links in messages (the run, acknowledgement). */
  PUBLIC_BASE_URL: z.url().optional(),
  /** Signs the acknowledgement links in alert messages (HMAC-SHA256, at least 32 characters); required with PUBLIC_BASE_URL. */
  ALERT_LINK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Hours an acknowledgement link stays valid after its message was queued. */
  ALERT_LINK_VALID_HOURS: z.coerce.number().positive().max(8760).default(168),
  /** ERP / MES endpoint that gets each optimised schedule (signed with WEBHOOK_SIGNING_SECRET); none: no write-back. */
  WRITEBACK_URL: z.url({ protocol: /^https?$/ }).optional(),
  HEATSCHEDULER_DATA_DIR: z.string().optional(),
  HEATSCHEDULER_TEMPORAL_PORT: z.coerce.number().int().positive().default(7233),
  HEATSCHEDULER_PG_PORT: z.coerce.number().int().positive().default(54329),
  PORT: z.coerce.number().int().positive().default(8080),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Address `serve` binds the HTTP API to; anything but loopback needs authentication configured. */
  API_HOST: z.string().min(1).default('127.0.0.1'),
  /** HS256 secret that signs the API's bearer tokens (at least 32 characters). */
  AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** JWKS address of an identity provider whose keys sign the API's bearer tokens (RS256, ES256, PS256, EdDSA). */
  AUTH_JWKS_URL: z.url().optional(),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  /** Token claims that carry the tenant and the roles. */
  AUTH_TENANT_CLAIM: z.string().min(1).default('tenant'),
  AUTH_ROLES_CLAIM: z.string().min(1).default('roles'),
  /** Bearer token Prometheus presents to GET /metrics when authentication is on (figures span every tenant). */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** host:port where a worker process serves its Temporal SDK metrics for Prometheus; unset: none. */
  WORKER_METRICS_ADDRESS: z
    .string()
    .regex(/^[^:]+:\d+$/, 'must be host:port')
    .optional(),
  /** Comma-separated origins a browser may call the API from; none by default. */
  CORS_ORIGINS: z.string().default(''),
  /** Requests per minute per client (token subject, else address), and submissions per minute. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(300),
  SUBMIT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(30),
  /** Longest solver time limit each role may ask for, e.g. `planner=300,admin=3600`. */
  SOLVER_TIME_LIMIT_CAPS: z.string().default('planner=300,admin=3600'),
  /** Largest request body the API reads, MB. */
  MAX_BODY_MB: z.coerce.number().positive().max(1024).default(50),
  /** Solves a solver worker runs at once, one worker thread each; unset: the cores minus one, at least one. */
  HEATSCHEDULER_SOLVER_CONCURRENCY: z.coerce.number().int().positive().optional(),
  /** Seconds a stopping worker lets its in-flight activities finish before it hands them back to Temporal. */
  HEATSCHEDULER_DRAIN_SECONDS: z.coerce.number().int().nonnegative().default(30),
  /** ERP pull (README "ERP pull"): the orders endpoint's base URL; unset, no ERP is pulled. */
  ERP_BASE_URL: z.url().optional(),
  ERP_NAME: z.string().default('erp'),
  ERP_ORDERS_PATH: z.string().default('orders'),
  /** An API key sent in ERP_API_KEY_HEADER, or OAuth2 client credentials (ERP_OAUTH_TOKEN_URL set). */
  ERP_API_KEY: z.string().optional(),
  ERP_API_KEY_HEADER: z.string().default('X-API-Key'),
  ERP_OAUTH_TOKEN_URL: z.url().optional(),
  ERP_OAUTH_CLIENT_ID: z.string().optional(),
  ERP_OAUTH_CLIENT_SECRET: z.string().optional(),
  ERP_OAUTH_SCOPE: z.string().optional(),
  ERP_PAGE_SIZE: z.coerce.number().int().positive().default(100),
  ERP_TIMEOUT_SECONDS: z.coerce.number().positive().default(30),
  /** The tenant and site the orders are for, the site's time zone and the horizon of a schedule. */
  ERP_TENANT: z.string().optional(),
  ERP_SITE: z.string().optional(),
  ERP_TIME_ZONE: z.string().default('UTC'),
  ERP_HORIZON_DAYS: z.coerce.number().int().positive().default(2),
  /** JSON: canonical job field → the ERP's field name. */
  ERP_FIELD_MAP: z.string().optional(),
  ERP_PULL_EVERY_MINUTES: z.coerce.number().int().positive().default(15),
  ERP_CATCHUP_MINUTES: z.coerce.number().int().positive().default(60),
  /** A new schedule version starts an optimisation run. */
  ERP_START_RUN: z.stringbool().default(false),
  /** SCADA/BMS status pull (README "Equipment status"): the gateway's JSON status URL; unset, no pull. */
  BMS_STATUS_URL: z.url().optional(),
  BMS_API_KEY: z.string().optional(),
  BMS_API_KEY_HEADER: z.string().default('X-API-Key'),
  BMS_TENANT: z.string().optional(),
  BMS_SITE: z.string().optional(),
  BMS_TIMEOUT_SECONDS: z.coerce.number().positive().default(10),
  BMS_PULL_EVERY_MINUTES: z.coerce.number().int().positive().default(5),
  BMS_OFFLINE_HOLD_MINUTES: z.coerce.number().int().positive().default(60),
  /** A JSON file listing the sites whose tariff the pipeline worker pulls on a Schedule (url, format, API key, cron, retries). */
  TARIFF_SOURCES_FILE: z.string().min(1).optional(),
  /** Re-records the replay test's workflow history (tests only). */
  RECORD_HISTORY: z.stringbool().default(false),
  /** The system's search path, where the `temporal` CLI may be found. */
  PATH: z.string().default(''),
});

const EnvSchema = EnvFields.refine((env) => !env.PUBLIC_BASE_URL || env.ALERT_LINK_SECRET, {
  path: ['ALERT_LINK_SECRET'],
  message: 'is required when PUBLIC_BASE_URL is set (it signs the acknowledgement links in alert messages)',
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
