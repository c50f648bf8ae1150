import { readEnv, type Env } from '../infra/config.ts';
import { ROLES, RoleSchema, type AuthConfig, type Role } from './auth.ts';

export interface ApiOptions {
  auth: AuthConfig;
  /** Origins a browser may call from (CORS); empty: none. */
  corsOrigins: string[];
  rateLimit: { perMinute: number; submitsPerMinute: number };
  /** Longest solver time limit each role may request, seconds (0: may not submit). */
  solverTimeLimitCaps: Record<Role, number>;
  bodyLimitBytes: number;
  /** Bearer token of the Prometheus scraper (GET /metrics when authentication is on). */
  metricsToken?: string;
  /** Task queue new runs start on (tests point it at one no worker serves). */
  taskQueue?: string;
  /** Where the web page links a run in Temporal UI (`serve` knows the embedded one). */
  temporalUi?: { url: string; namespace: string };
  /** Verifies the acknowledgement links of alert messages (ALERT_LINK_SECRET); unset: the link routes answer 404. */
  alertLinkSecret?: string;
}

/** The API's settings from the environment (infra/config.ts lists and checks every variable). */
export function apiOptionsFromEnv(env: Env = readEnv()): ApiOptions {
  if (env.AUTH_JWT_SECRET && env.AUTH_JWKS_URL) throw new Error('bad environment: set AUTH_JWT_SECRET or AUTH_JWKS_URL, not both');
  const jwt = env.AUTH_JWT_SECRET || env.AUTH_JWKS_URL;
  return {
    auth: jwt
      ? {
          mode: 'jwt',
          secret: env.AUTH_JWT_SECRET,
          jwksUrl: env.AUTH_JWKS_URL,
          issuer: env.AUTH_ISSUER,
          audience: env.AUTH_AUDIENCE,
          tenantClaim: env.AUTH_TENANT_CLAIM,
          rolesClaim: env.AUTH_ROLES_CLAIM,
        }
      : { mode: 'open' },
    corsOrigins: env.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    rateLimit: { perMinute: env.RATE_LIMIT_PER_MINUTE, submitsPerMinute: env.SUBMIT_RATE_LIMIT_PER_MINUTE },
    solverTimeLimitCaps: parseCaps(env.SOLVER_TIME_LIMIT_CAPS),
    bodyLimitBytes: Math.round(env.MAX_BODY_MB * 1024 * 1024),
    metricsToken: env.METRICS_TOKEN,
    alertLinkSecret: env.ALERT_LINK_SECRET,
  };
}

/** `planner=300,admin=3600` → seconds per role; roles not named may not ask for any solver time. */
export function parseCaps(text: string): Record<Role, number> {
  const caps = Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<Role, number>;
  for (const part of text.split(',').filter((p) => p.trim())) {
    const [role, seconds] = part.split('=').map((s) => s.trim());
    const parsedRole = RoleSchema.safeParse(role);
    const value = Number(seconds);
    if (!parsedRole.success || !Number.isFinite(value) || value < 0) {
      throw new Error(`bad environment: SOLVER_TIME_LIMIT_CAPS: "${part}" must be role=seconds with a role of ${ROLES.join(', ')}`);
    }
    caps[parsedRole.data] = value;
  }
  return caps;
}
