import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq, sql } from 'drizzle-orm';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenApi, createApi } from '../../api/server.ts';
import { optimizationRuns } from '../../db/schema.ts';
import { call, expectErrorShape, newKey, smallRequest, startApi, testOptions, token, type TestApi } from './support.ts';

const example = JSON.parse(readFileSync(new URL('../../examples/plant-day.json', import.meta.url), 'utf8'));
const TENANT = 'door-tenant';

describe('the API door: nothing bad gets stored, every refusal is JSON and says where', () => {
  let api: TestApi;
  let planner: string;
  const runsStored = async () => {
    const [{ n }] = await api.deps.db
      .select({ n: sql<number>`count(*)::int` })
      .from(optimizationRuns)
      .where(eq(optimizationRuns.tenantId, TENANT));
    return n;
  };
  const post = (opts: Parameters<typeof call>[3]) => call(api.base, 'POST', '/api/runs', { token: planner, ...opts });

  beforeAll(async () => {
    api = await startApi();
    planner = await token(TENANT, ['planner']);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('refuses malformed JSON and 20 MB of junk with a 400 naming the body, storing nothing', async () => {
    const before = await runsStored();
    const malformed = await post({ raw: '{"schedule": {"tenant": "door-tenant",', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    const body = expectErrorShape(malformed);
    expect(body.code).toBe('E001');
    expect(body.details[0].path).toBe('body');
    expect(body.details[0].message).toMatch(/not valid JSON/);
    const junk = await post({ raw: randomBytes(20 * 1024 * 1024), headers: { 'content-type': 'application/json' } });
    expect(junk.status).toBe(400);
    expect(expectErrorShape(junk).details[0].path).toBe('body');
    expect(junk.text.length).toBeLessThan(2_000);
    expect(await runsStored()).toBe(before);
  });

  it('lists every schema problem with its field path', async () => {
    const bad = smallRequest(TENANT, example) as { schedule: { jobs: { heatingKwh: unknown; priority: unknown }[] }; settings?: unknown };
    bad.schedule.jobs[0].heatingKwh = -5;
    bad.schedule.jobs[2].priority = 'urgent';
    bad.settings = { slotMinutes: 7 };
    const reply = await post({ body: bad });
    expect(reply.status).toBe(400);
    const paths = expectErrorShape(reply).details.map((d) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body.schedule.jobs[0].heatingKwh', 'body.schedule.jobs[2].priority', 'body.settings.slotMinutes']),
    );
  });

  it('rejects NUL characters, lone surrogates and hostile nesting with their paths', async () => {
    const before = await runsStored();
    const nul = smallRequest(TENANT, example) as { schedule: { jobs: { id: string; product: string }[] } };
    nul.schedule.jobs[1].id = 'J-\u0000-1';
    const nulReply = await post({ body: nul });
    expect(nulReply.status).toBe(400);
    expect(expectErrorShape(nulReply).details).toContainEqual({ path: 'body.schedule.jobs[1].id', message: expect.stringMatching(/NUL/) });
    const surrogate = '{"schedule": {"tenant": "door-tenant", "jobs": [{"product": "A\\ud800B"}]}}';
    const surrogateReply = await post({ raw: surrogate, headers: { 'content-type': 'application/json' } });
    expect(expectErrorShape(surrogateReply).details).toContainEqual({
      path: 'body.schedule.jobs[0].product',
      message: expect.stringMatching(/lone UTF-16 surrogate/),
    });
    const nulKey = await post({ raw: '{"sched\\u0000ule": {}}', headers: { 'content-type': 'application/json' } });
    expect(expectErrorShape(nulKey).details[0].message).toMatch(/key contains a NUL/);
    const deep = await post({ raw: `${'['.repeat(100_000)}${']'.repeat(100_000)}`, headers: { 'content-type': 'application/json' } });
    expect(deep.status).toBe(400);
    expect(expectErrorShape(deep).details[0].message).toMatch(/nested deeper than 64 levels/);
    const huge = smallRequest(TENANT, example) as { schedule: { jobs: { heatingKwh: unknown }[] } };
    const hugeReply = await post({
      raw: JSON.stringify(huge).replace(/"heatingKwh":\s*\d+/, '"heatingKwh": 1e400'),
      headers: { 'content-type': 'application/json' },
    });
    expect(hugeReply.status).toBe(400);
    expect(expectErrorShape(hugeReply).details.map((d) => d.path)).toContain('body.schedule.jobs[0].heatingKwh');
    expect(await runsStored()).toBe(before);
  });

  it('accepts only JSON: a valid run sent as text/plain or as a form is refused with 415', async () => {
    const before = await runsStored();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const reply = await post({ raw: JSON.stringify(smallRequest(TENANT, example)), headers: { 'content-type': type } });
      expect(reply.status).toBe(415);
      expect(expectErrorShape(reply).details[0].path).toBe('headers.content-type');
    }
    const latin1 = await post({
      raw: JSON.stringify(smallRequest(TENANT, example)),
      headers: { 'content-type': 'application/json; charset=latin1' },
    });
    expect(latin1.status).toBe(415);
    expect(await runsStored()).toBe(before);
  });

  it('answers a 60 MB body with a JSON 413 before reading it', async () => {
    const reply = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = httpRequest(
        `${api.base}/api/runs`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${planner}`, 'content-type': 'application/json', 'content-length': 60 * 1024 * 1024 },
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body }));
        },
      );
      req.on('error', reject);
      req.write(Buffer.alloc(64 * 1024, 0x20)); // the rest never comes: the server answers on the declared length
    });
    expect(reply.status).toBe(413);
    expect(reply.type).toMatch(/^application\/json/);
    expect(JSON.parse(reply.body)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: [{ path: 'body' }] });
  });

  it('validates ids on every route: /api/runs/abc/provenance is a JSON 400, an unknown run a JSON 404', async () => {
    for (const path of ['/api/runs/abc/provenance', '/api/runs/abc', '/api/runs/abc/report.json', '/api/runs/%E0%A4%A/provenance']) {
      const reply = await call(api.base, 'GET', path, { token: planner });
      expect(reply.status).toBe(400);
      expect(expectErrorShape(reply).details[0].path).toMatch(/^(params\.id|url)$/);
    }
    const unknown = await call(api.base, 'GET', '/api/runs/00000000-0000-4000-8000-000000000000/provenance', { token: planner });
    expect(unknown.status).toBe(404);
    expect(expectErrorShape(unknown).code).toBe('NOT_FOUND');
    const nulQuery = await call(api.base, 'GET', '/api/runs?siteId=%00', { token: planner });
    expect(nulQuery.status).toBe(400);
    expect(expectErrorShape(nulQuery).details[0].path).toBe('query.siteId');
    const badLimit = await call(api.base, 'GET', '/api/runs?limit=1e400&cursor=abc', { token: planner });
    expect(expectErrorShape(badLimit).details.map((d) => d.path)).toEqual(['query.limit', 'query.cursor']);
    const route = await call(api.base, 'PATCH', '/api/runs', { token: planner });
    expect(route.status).toBe(404);
    expect(expectErrorShape(route).details[0].path).toBe('url');
    // `/` is the web page; anything else outside the API is a JSON 404 too.
    const page = await call(api.base, 'GET', '/');
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    const nothing = await call(api.base, 'GET', '/nothing-here');
    expect(nothing.status).toBe(404);
    expect(expectErrorShape(nothing).details[0].path).toBe('url');
  });

  it('takes a 10k-character header in its stride and answers a 20 KB one with a JSON 431', async () => {
    const long = await call(api.base, 'GET', '/api/runs', { token: planner, headers: { 'x-tenant-id': 'x'.repeat(10_000) } });
    expect(long.status).toBe(200);
    const longAuth = await call(api.base, 'GET', '/api/runs', { headers: { authorization: `Bearer ${'a'.repeat(10_000)}` } });
    expect(longAuth.status).toBe(401);
    expectErrorShape(longAuth);
    const tooLong = await call(api.base, 'GET', '/api/runs', { token: planner, headers: { 'x-junk': 'x'.repeat(20_000) } });
    expect(tooLong.status).toBe(431);
    expect(expectErrorShape(tooLong).code).toBe('HEADERS_TOO_LARGE');
  });

  it('returns the first run for the same body posted twice with an Idempotency-Key, and refuses the key with another body', async () => {
    const before = await runsStored();
    const key = newKey();
    const request = smallRequest(TENANT, example);
    const first = await post({ body: request, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(202);
    expect(first.json).toMatchObject({ status: 'queued' });
    const second = await post({ body: request, headers: { 'idempotency-key': key } });
    expect(second.status).toBe(202);
    expect((second.json as { runId: string }).runId).toBe((first.json as { runId: string }).runId);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const concurrentKey = newKey();
    const concurrent = await Promise.all(
      Array.from({ length: 5 }, () => post({ body: request, headers: { 'idempotency-key': concurrentKey } })),
    );
    expect(new Set(concurrent.map((r) => (r.json as { runId: string }).runId)).size).toBe(1);
    expect(await runsStored()).toBe(before + 2);
    const other = structuredClone(request);
    other.schedule.jobs = other.schedule.jobs.slice(0, 2);
    const conflict = await post({ body: other, headers: { 'idempotency-key': key } });
    expect(conflict.status).toBe(409);
    expect(expectErrorShape(conflict).details[0].path).toBe('headers.idempotency-key');
    const badKey = await post({ body: request, headers: { 'idempotency-key': 'has spaces in it' } });
    expect(badKey.status).toBe(400);
    expect(expectErrorShape(badKey).details[0].path).toBe('headers.idempotency-key');
    expect(await runsStored()).toBe(before + 2);
  });

  it('caps the solver time limit by role and refuses a run for another tenant', async () => {
    const before = await runsStored();
    const long = smallRequest(TENANT, example) as { settings?: Record<string, unknown> };
    long.settings = { ...long.settings, solverTimeLimitSeconds: 3600 };
    const refused = await post({ body: long });
    expect(refused.status).toBe(403);
    expect(expectErrorShape(refused).details).toEqual([
      { path: 'body.settings.solverTimeLimitSeconds', message: 'at most 300 s for planner' },
    ]);
    const admin = await call(api.base, 'POST', '/api/runs', { token: await token(TENANT, ['admin']), body: long });
    expect(admin.status).toBe(202);
    const foreign = await post({ body: smallRequest('another-company', example) });
    expect(foreign.status).toBe(403);
    expect(expectErrorShape(foreign).details[0].path).toBe('body.schedule.tenant');
    expect(await runsStored()).toBe(before + 1);
  });

  it('sends helmet headers and no CORS headers unless the origin is allowed', async () => {
    const reply = await call(api.base, 'GET', '/api/runs', { token: planner, headers: { origin: 'https://evil.example' } });
    expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
    expect(reply.headers.get('x-powered-by')).toBeNull();
    expect(reply.headers.get('access-control-allow-origin')).toBeNull();
    const withCors = await startApi(testOptions({ corsOrigins: ['https://planner.example'] }));
    try {
      const allowed = await call(withCors.base, 'OPTIONS', '/api/runs', {
        headers: { origin: 'https://planner.example', 'access-control-request-method': 'POST' },
      });
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://planner.example');
      const other = await call(withCors.base, 'OPTIONS', '/api/runs', {
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await withCors.close();
    }
  });
});

describe('authentication', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('refuses missing, malformed, expired, foreign-signed and role-less tokens', async () => {
    const cases: [Record<string, string>, number, RegExp][] = [
      [{}, 401, /needs a bearer token/],
      [{ authorization: 'Basic dXNlcjpwYXNz' }, 401, /must be "Bearer <JWT>"/],
      [{ authorization: `Bearer ${await token('t1', ['viewer'], { expiresIn: Math.floor(Date.now() / 1000) - 120 })}` }, 401, /expired/],
      [
        { authorization: `Bearer ${await token('t1', ['viewer'], { secret: 'another-secret-of-more-than-thirty-two-chars' })}` },
        401,
        /not valid/,
      ],
      [{ authorization: `Bearer ${await token('t1', ['superuser'])}` }, 403, /grants none of the roles/],
      [{ authorization: `Bearer ${await token('bad tenant!', ['viewer'])}` }, 401, /"tenant" claim/],
    ];
    for (const [headers, status, message] of cases) {
      const reply = await call(api.base, 'GET', '/api/runs', { headers });
      expect(reply.status).toBe(status);
      expect(expectErrorShape(reply).message).toMatch(message);
      if (status === 401) expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('verifies RS256 tokens against an identity provider’s JWKS', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const idp: Server = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r));
    const jwksUrl = `http://127.0.0.1:${(idp.address() as AddressInfo).port}/jwks.json`;
    const withJwks = await startApi(
      testOptions({ auth: { mode: 'jwt', jwksUrl, issuer: 'https://idp.test', tenantClaim: 'org', rolesClaim: 'groups' } }),
    );
    try {
      const signed = await new SignJWT({ org: 'jwks-tenant', groups: ['viewer', 'unrelated'] })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setSubject('alice')
        .setIssuer('https://idp.test')
        .setExpirationTime('5m')
        .sign(privateKey);
      const ok = await call(withJwks.base, 'GET', '/api/runs', { token: signed });
      expect(ok.status).toBe(200);
      expect(ok.json).toEqual({ items: [], nextCursor: null });
      const hs = await call(withJwks.base, 'GET', '/api/runs', { token: await token('jwks-tenant', ['viewer']) });
      expect(hs.status).toBe(401); // an HS256 token is not accepted when keys come from a JWKS
    } finally {
      await withJwks.close();
      idp.close();
    }
  });

  it('without authentication serves loopback only: refuses to bind elsewhere and to answer another Host', async () => {
    const open = testOptions({ auth: { mode: 'open' } });
    await expect(listenApi(createApi(api.deps, open), { host: '0.0.0.0', port: 0, auth: open.auth })).rejects.toThrow(
      /without authentication/,
    );
    const local = await listenApi(createApi(api.deps, open), { host: '127.0.0.1', port: 0, auth: open.auth });
    try {
      const base = `http://127.0.0.1:${(local.address() as AddressInfo).port}`;
      expect((await call(base, 'GET', '/api/runs')).status).toBe(200);
      const rebound = await new Promise<number>((resolve, reject) => {
        httpRequest(`${base}/api/runs`, { headers: { host: 'attacker.example' } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        })
          .on('error', reject)
          .end();
      });
      expect(rebound).toBe(403);
    } finally {
      local.closeAllConnections();
      local.close();
    }
  });
});

describe('rate limits', () => {
  it('answers 200 junk POSTs in 10 s with 429 and Retry-After once past the limit, storing none', async () => {
    const api = await startApi(testOptions({ rateLimit: { perMinute: 1000, submitsPerMinute: 30 } }));
    try {
      const planner = await token('junk-tenant', ['planner']);
      const statuses: number[] = [];
      let limited: Awaited<ReturnType<typeof call>> | undefined;
      for (let i = 0; i < 200; i++) {
        const reply = await call(api.base, 'POST', '/api/runs', {
          token: planner,
          raw: `junk ${i}`,
          headers: { 'content-type': 'application/json' },
        });
        statuses.push(reply.status);
        if (reply.status === 429) limited ??= reply;
      }
      expect(statuses.slice(0, 30).every((s) => s === 400)).toBe(true);
      expect(statuses.slice(30).every((s) => s === 429)).toBe(true);
      expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(expectErrorShape(limited!).code).toBe('RATE_LIMITED');
      const [{ n }] = await api.deps.db
        .select({ n: sql<number>`count(*)::int` })
        .from(optimizationRuns)
        .where(eq(optimizationRuns.tenantId, 'junk-tenant'));
      expect(n).toBe(0);
      // Reading is limited separately from submitting.
      expect((await call(api.base, 'GET', '/api/runs', { token: planner })).status).toBe(200);
    } finally {
      await api.close();
    }
  });
});
