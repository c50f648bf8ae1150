import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { SignJWT } from 'jose';
import pino from 'pino';
import { inject } from 'vitest';
import type { Role } from '../../api/auth.ts';
import { parseCaps, type ApiOptions } from '../../api/config.ts';
import { createApi, listenApi, type ApiDeps } from '../../api/server.ts';
import { openDb } from '../../db/client.ts';

export const SECRET = 'a-test-secret-of-more-than-thirty-two-characters';
/** Signs the acknowledgement links the API tests make. */
export const ALERT_LINK_SECRET = 'an-alert-link-secret-of-more-than-32-characters';
/**
 * A queue no worker polls: runs submitted there are stored and started but never executed (they
 * stay queued until the suite's Temporal dev server is discarded).
 */
export const IDLE_QUEUE = 'api-tests-no-worker';

export const testOptions = (overrides: Partial<ApiOptions> = {}): ApiOptions => ({
  auth: { mode: 'jwt', secret: SECRET, tenantClaim: 'tenant', rolesClaim: 'roles' },
  corsOrigins: [],
  rateLimit: { perMinute: 100_000, submitsPerMinute: 100_000 },
  solverTimeLimitCaps: parseCaps('planner=300,admin=3600'),
  bodyLimitBytes: 50 * 1024 * 1024,
  taskQueue: IDLE_QUEUE,
  alertLinkSecret: ALERT_LINK_SECRET,
  ...overrides,
});

export async function token(
  tenant: string,
  roles: Role[] | unknown,
  opts: { sub?: string; expiresIn?: string | number; secret?: string } = {},
) {
  return new SignJWT({ tenant, roles })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(opts.sub ?? `user-of-${tenant}`)
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '1h')
    .sign(new TextEncoder().encode(opts.secret ?? SECRET));
}

export interface TestApi {
  base: string;
  deps: ApiDeps;
  server: Server;
  close(): Promise<void>;
}

/** The real API (real validation, Postgres, Temporal) on a free loopback port. */
export async function startApi(options: ApiOptions = testOptions()): Promise<TestApi> {
  const handle = openDb(inject('databaseUrl'));
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  const deps: ApiDeps = { db: handle.db, pool: handle.pool, client: new Client({ connection }), connection };
  const server = await listenApi(createApi(deps, options, pino({ level: 'silent' })), { host: '127.0.0.1', port: 0, auth: options.auth });
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    deps,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await connection.close();
      await handle.close();
    },
  };
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

export async function call(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; raw?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | Buffer | undefined = opts.raw;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${base}${path}`, { method, headers, body });
  const text = await response.text();
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    // left undefined: the assertion says what was expected
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Every error the API sends has this shape, and every detail says where. */
export function expectErrorShape(reply: Reply): { code: string; message: string; details: { path: string; message: string }[] } {
  const body = reply.json as { code?: unknown; message?: unknown; details?: unknown };
  if (!body || typeof body.code !== 'string' || typeof body.message !== 'string' || !Array.isArray(body.details)) {
    throw new Error(`not the API error shape (status ${reply.status}): ${reply.text.slice(0, 300)}`);
  }
  if (!reply.headers.get('content-type')?.startsWith('application/json'))
    throw new Error(`error not sent as JSON: ${reply.headers.get('content-type')}`);
  return body as never;
}

export const newKey = () => `key-${randomUUID()}`;

/** A small valid request for `tenant` (the example plant day cut to three jobs). */
export function smallRequest(tenant: string, example: { schedule: { jobs: unknown[] } } & Record<string, unknown>) {
  const request = structuredClone(example) as { schedule: { tenant: string; jobs: unknown[] } };
  request.schedule.tenant = tenant;
  request.schedule.jobs = request.schedule.jobs.slice(0, 3);
  return request;
}
