import { describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { openApiDocument, openApiPath } from '../../api/openapi.ts';
import { ROUTE_ROLES } from '../../api/permissions.ts';
import { createApi, type ApiDeps } from '../../api/server.ts';
import { parseCaps } from '../../api/config.ts';
import pino from 'pino';

interface Layer {
  rawPath?: string;
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** Every `METHOD /path` the app routes, found by walking express's router stacks. */
function mountedRoutes(app: Express): string[] {
  const out: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) out.push(`${method.toUpperCase()} ${prefix}${layer.route.path}`);
      } else if (layer.handle.stack) {
        walk(layer.handle.stack, prefix + (layer.rawPath === '/' ? '' : (layer.rawPath ?? '')));
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return out.map((r) => r.replace(/\/$/, ''));
}

const app = createApi(
  {} as ApiDeps,
  {
    auth: { mode: 'open' },
    corsOrigins: [],
    rateLimit: { perMinute: 10, submitsPerMinute: 10 },
    solverTimeLimitCaps: parseCaps('planner=300,admin=3600'),
    bodyLimitBytes: 1024,
  },
  pino({ level: 'silent' }),
);
const doc = openApiDocument('test') as {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        parameters: { name: string; in: string; schema: Record<string, unknown> }[];
        requestBody?: { content: Record<string, { schema: { required?: string[]; properties?: object } }> };
        responses: Record<string, unknown>;
      }
    >
  >;
};

describe('OpenAPI 3.1 document', () => {
  it('has every route the app mounts under /api, and nothing it does not', () => {
    const mounted = mountedRoutes(app).filter((r) => r.split(' ')[1].startsWith('/api/') && r !== 'GET /api/openapi.json');
    expect(mounted.length).toBeGreaterThanOrEqual(Object.keys(ROUTE_ROLES).length);
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const asOpenApi = mounted.map((r) => {
      const [method, path] = r.split(' ');
      return `${method} ${openApiPath(path).path}`;
    });
    expect(new Set(asOpenApi)).toEqual(new Set(documented));
  });

  it('describes bodies, parameters and errors from the zod schemas', () => {
    expect(doc.openapi).toBe('3.1.0');
    const submit = doc.paths['/api/runs'].post;
    const body = submit.requestBody!.content['application/json'].schema;
    expect(body.required).toContain('schedule');
    expect(Object.keys(body.properties ?? {})).toEqual(expect.arrayContaining(['schedule', 'settings', 'tariff', 'equipment']));
    const list = doc.paths['/api/runs'].get.parameters;
    expect(list.find((p) => p.name === 'status')).toMatchObject({
      in: 'query',
      schema: { enum: ['queued', 'running', 'completed', 'failed', 'cancelled'] },
    });
    expect(list.map((p) => p.name)).toEqual(expect.arrayContaining(['siteId', 'from', 'to', 'limit', 'cursor']));
    const events = doc.paths['/api/runs/{id}/events'].get;
    expect(events.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);
    expect(events.responses['404']).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
    // The signed-link routes need no login: no security requirement, HTML answers, the link's query.
    const ack = doc.paths['/api/alerts/{id}/ack'] as unknown as Record<
      string,
      { security: unknown[]; parameters: { name: string }[]; responses: object }
    >;
    for (const method of ['get', 'post']) {
      expect(ack[method].security).toEqual([]);
      expect(ack[method].parameters.map((p) => p.name)).toEqual(['id', 'u', 'exp', 'sig']);
      expect(Object.keys(ack[method].responses)).toEqual(['200', '400', '403', '404', '410']);
    }
    expect((doc.paths['/api/alerts/{id}/acknowledge'].post as unknown as { security?: unknown }).security).toBeUndefined();
    // No zod object left unconverted anywhere in the document.
    expect(JSON.stringify(doc)).not.toMatch(/"_zod"|"~standard"/);
  });
});
