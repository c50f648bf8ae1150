import type { Request, RequestHandler, Response } from 'express';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';
import { parsePart } from './body.ts';
import { ApiCode, ApiError, forbidden, invalid } from './errors.ts';

export const ROLES = ['admin', 'planner', 'operator', 'viewer'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** Who is calling. `tenant` null only in the open (no-login, loopback) mode, which sees every tenant. */
export interface Principal {
  subject: string;
  tenant: string | null;
  roles: Role[];
}

export type AuthConfig =
  | { mode: 'open' }
  | {
      mode: 'jwt';
      secret?: string;
      jwksUrl?: string;
      issuer?: string;
      audience?: string;
      tenantClaim: string;
      rolesClaim: string;
    };

/** Tenant ids as tokens may carry them: what the run tables' varchar(64) hold, nothing that needs escaping. */
export const TenantIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'must be 1-64 letters, digits, ".", "_", ":" or "-"');

const OPEN_PRINCIPAL: Principal = { subject: 'local (no authentication)', tenant: null, roles: [...ROLES] };
const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i;

export function principalOf(res: Response): Principal {
  return res.locals.principal as Principal;
}

const unauthenticated = (message: string) =>
  new ApiError(401, ApiCode.UNAUTHENTICATED, message, [{ path: 'headers.authorization', message }], {
    'WWW-Authenticate': 'Bearer realm="heatscheduler", error="invalid_token"',
  });

/**
 * Establishes the caller for every route after it. With JWT: a bearer token signed with the HS256
 * secret or a key of the JWKS, unexpired, naming a tenant and at least one role. Open mode: everyone
 * is an admin of every tenant, and only requests addressed to a loopback host name are served (a
 * page on another site cannot reach the API through DNS rebinding).
 */
export function authenticate(config: AuthConfig): RequestHandler {
  if (config.mode === 'open') {
    return (req, res, next) => {
      if (!LOOPBACK_HOST.test(req.headers.host ?? '')) {
        throw forbidden('without authentication the API answers only to localhost', [
          { path: 'headers.host', message: 'must be a loopback host' },
        ]);
      }
      res.locals.principal = OPEN_PRINCIPAL;
      next();
    };
  }
  const verify = tokenVerifier(config);
  return async (req, res, next) => {
    const header = req.headers.authorization;
    if (!header) throw unauthenticated('this route needs a bearer token (Authorization: Bearer <JWT>)');
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(header);
    if (!match) throw unauthenticated('the Authorization header must be "Bearer <JWT>"');
    res.locals.principal = principalFrom(await verify(match[1]), config);
    next();
  };
}

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];

function tokenVerifier(config: Extract<AuthConfig, { mode: 'jwt' }>): (token: string) => Promise<JWTPayload> {
  const options = { issuer: config.issuer, audience: config.audience, requiredClaims: ['exp', 'sub'], clockTolerance: 30 };
  let verify: (token: string) => Promise<{ payload: JWTPayload }>;
  if (config.secret) {
    const secret = new TextEncoder().encode(config.secret);
    verify = (token) => jwtVerify(token, secret, { ...options, algorithms: ['HS256'] });
  } else {
    const jwks = createRemoteJWKSet(new URL(config.jwksUrl!), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
    verify = (token) => jwtVerify(token, jwks, { ...options, algorithms: ASYMMETRIC });
  }
  return async (token) => {
    try {
      return (await verify(token)).payload;
    } catch (err) {
      throw tokenError(err);
    }
  };
}

/** A bad token is the caller's problem (401); an unreachable or broken key set is ours (503). */
function tokenError(err: unknown): ApiError {
  const code = (err as { code?: string })?.code;
  if (!(err instanceof joseErrors.JOSEError) || code === 'ERR_JWKS_TIMEOUT' || code === 'ERR_JWKS_INVALID' || code === 'ERR_JOSE_GENERIC') {
    return new ApiError(503, ApiCode.UNAVAILABLE, 'the identity provider’s keys cannot be fetched', [
      { path: 'headers.authorization', message: 'token not checked: key set unavailable' },
    ]);
  }
  if (err instanceof joseErrors.JWTExpired) return unauthenticated('the token has expired');
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    return unauthenticated(`the token's "${err.claim}" claim ${err.reason === 'missing' ? 'is missing' : 'is not accepted'}`);
  }
  return unauthenticated('the token is not valid (signature, algorithm or format)');
}

function principalFrom(payload: JWTPayload, config: Extract<AuthConfig, { mode: 'jwt' }>): Principal {
  const tenant = TenantIdSchema.safeParse(payload[config.tenantClaim]);
  if (!tenant.success)
    throw unauthenticated(`the token's "${config.tenantClaim}" claim must name the tenant (${tenant.error.issues[0].message})`);
  const claimed = payload[config.rolesClaim];
  const list = Array.isArray(claimed) ? claimed : [claimed];
  const roles = ROLES.filter((r) => list.includes(r));
  if (roles.length === 0) throw forbidden(`the token grants none of the roles ${ROLES.join(', ')} (claim "${config.rolesClaim}")`);
  return { subject: String(payload.sub).slice(0, 200), tenant: tenant.data, roles };
}

/** Lets the request through only for a caller holding one of `roles`. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (_req, res, next) => {
    const principal = principalOf(res);
    if (!principal.roles.some((r) => roles.includes(r))) {
      throw forbidden(`this needs the role ${roles.join(' or ')}; the token grants ${principal.roles.join(', ')}`);
    }
    next();
  };
}

const TenantQuerySchema = z.object({ tenant: TenantIdSchema.optional() }).passthrough();

/**
 * The tenant a request is about: the token's; in the open local mode the `?tenant=` the caller
 * names (a token-holder may name only its own).
 */
export function tenantInScope(req: Request, res: Response): string {
  const principal = principalOf(res);
  const { tenant } = parsePart(TenantQuerySchema, req.query, 'query');
  if (principal.tenant !== null) {
    if (tenant !== undefined && tenant !== principal.tenant) {
      throw forbidden('another tenant is out of reach', [{ path: 'query.tenant', message: `your token is for ${principal.tenant}` }]);
    }
    return principal.tenant;
  }
  if (tenant === undefined) throw invalid([{ path: 'query.tenant', message: 'without authentication, name the tenant (?tenant=…)' }]);
  return tenant;
}
