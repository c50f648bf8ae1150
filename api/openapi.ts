import { z } from 'zod';
import { RunRequestSchema } from '../domain/run-request.ts';
import { PlanViewSchema } from '../runs/plan-view.ts';
import { OptimizationAcceptedSchema, OptimizationRequestSchema, OptimizationResponseSchema } from './optimization-dto.ts';
import { PUBLIC_ROUTES, ROUTE_ROLES, type PublicRouteName, type RouteName } from './permissions.ts';
import { BackfillSchema, NoteSchema, PullListSchema } from './routes/pulls.ts';
import { ListQuerySchema } from './routes/runs.ts';
import { ApplyBodySchema, DiffQuerySchema } from './routes/versions.ts';
import {
  ApplicationSchema,
  LockInputSchema,
  StoredLockSchema,
  VersionDiffSchema,
  VersionRowSchema,
  VersionSnapshotSchema,
} from '../domain/schedule-versions.ts';
import { API_STATUSES } from './views.ts';

const ErrorBodySchema = z.object({
  code: z.string().meta({ description: 'E001 … E008, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT, RATE_LIMITED, …' }),
  message: z.string(),
  details: z.array(
    z.object({ path: z.string().meta({ description: 'where: body.…, params.id, query.limit, headers.…' }), message: z.string() }),
  ),
});

const StatusSchema = z.enum(API_STATUSES);
const Money = z.number().nullable();
const RunSummarySchema = z.object({
  runId: z.uuid(),
  status: StatusSchema,
  siteId: z.string().nullable(),
  createdAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  errorCode: z.string().nullable(),
  optimizedCost: Money,
  savings: Money,
  links: z.object({ self: z.string() }),
});
const RunViewSchema = z.looseObject({
  runId: z.uuid(),
  status: StatusSchema,
  tenant: z.string(),
  siteId: z.string().nullable(),
  error: z.object({ code: z.string().nullable(), message: z.string() }).nullable(),
  progress: z.looseObject({ currentStep: z.string().nullable(), steps: z.record(z.string(), z.string()), percent: z.number() }).nullable(),
  solver: z.looseObject({ status: z.string().nullable(), objective: Money, mipGap: Money }).nullable(),
  cost: z.looseObject({ baseline: Money, optimized: Money, savings: Money, savingsPercent: Money, peakKw: Money }).nullable(),
  links: z.record(z.string(), z.string()),
});
const SubmittedSchema = z.object({ runId: z.uuid(), status: StatusSchema, retryOf: z.uuid().optional() });
const ProvenanceSchema = z.looseObject({
  runId: z.uuid(),
  verified: z.boolean(),
  head: z.string().nullable(),
  firstBrokenLink: z.object({ step: z.string(), reason: z.string() }).nullable(),
  steps: z.array(z.object({ step: z.string(), seq: z.number(), parents: z.array(z.string()), hash: z.string() })),
});

type Content = Record<string, { schema: unknown }>;
interface Operation {
  summary: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The success answer: status and content (JSON schema, or another media type). */
  ok: [status: number, content: Content];
}

const json = (schema: z.ZodType): Content => ({ 'application/json': { schema } });
const binary = (type: string): Content => ({ [type]: { schema: { type: 'string', contentMediaType: type } } });

const AppliedSchema = ApplicationSchema.extend({ site: z.string(), date: z.string() });
const VERSION_OPERATIONS: Partial<Record<RouteName, Operation>> = {
  'GET /api/sites/:siteId/schedules/:date/versions': {
    summary: "The versions of the site's schedule for the date, the applied one and the apply/rollback history",
    ok: [
      200,
      json(
        z.object({
          site: z.string(),
          date: z.string(),
          applied: z.number().int().nullable(),
          items: z.array(VersionRowSchema),
          history: z.array(ApplicationSchema),
        }),
      ),
    ],
  },
  'GET /api/sites/:siteId/schedules/:date/versions/:version': {
    summary: 'One version: every job with its heater, start and end (null: left out)',
    ok: [200, json(VersionSnapshotSchema)],
  },
  'GET /api/sites/:siteId/schedules/:date/diff': {
    summary: 'Job by job what changes between two versions, with the cost and peak deltas',
    query: DiffQuerySchema,
    ok: [200, json(VersionDiffSchema)],
  },
  'POST /api/sites/:siteId/schedules/:date/versions/:version/apply': {
    summary: 'Apply a version (409 E004 on a stale baseVersion, 423 E005 when it breaks a lock); audited',
    body: ApplyBodySchema,
    ok: [200, json(AppliedSchema)],
  },
  'POST /api/sites/:siteId/schedules/:date/rollback': {
    summary: 'Apply again the version applied before the current one (409 E004, 423 E005 as apply); audited',
    body: ApplyBodySchema,
    ok: [200, json(AppliedSchema)],
  },
  'GET /api/sites/:siteId/schedules/:date/locks': {
    summary: "The locks of the site's schedule for the date",
    ok: [200, json(z.object({ items: z.array(StoredLockSchema) }))],
  },
  'POST /api/sites/:siteId/schedules/:date/locks': {
    summary: 'Lock a job to a heater and start (event) or keep a heater free for an interval (resource); audited',
    body: LockInputSchema,
    ok: [201, json(StoredLockSchema)],
  },
  'DELETE /api/sites/:siteId/schedules/:date/locks/:lockId': {
    summary: 'Remove a lock; audited',
    ok: [204, {}],
  },
};

/** What each route takes and answers; routes not listed here still appear, with their roles and errors. */
const OPERATIONS: Partial<Record<RouteName, Operation>> = {
  'POST /api/runs': {
    summary: 'Submit a run (validated in full before anything is stored)',
    body: RunRequestSchema,
    ok: [202, json(SubmittedSchema)],
  },
  'GET /api/runs': {
    summary: "The tenant's runs, newest first",
    query: ListQuerySchema,
    ok: [200, json(z.object({ items: z.array(RunSummarySchema), nextCursor: z.string().nullable() }))],
  },
  'GET /api/runs/:id': { summary: 'A run: status, step progress, solver figures, cost summary', ok: [200, json(RunViewSchema)] },
  'DELETE /api/runs/:id': {
    summary: 'Cancel a queued or running run',
    ok: [202, json(z.object({ runId: z.uuid(), status: z.literal('cancelling') }))],
  },
  'GET /api/runs/:id/report.json': { summary: 'The report document', ok: [200, json(z.looseObject({}))] },
  'GET /api/runs/:id/report.txt': { summary: 'The report as text', ok: [200, { 'text/plain': { schema: { type: 'string' } } }] },
  'GET /api/runs/:id/report.pdf': { summary: 'The report as PDF', ok: [200, binary('application/pdf')] },
  'GET /api/runs/:id/report.xlsx': {
    summary: 'The report as an XLSX workbook',
    ok: [200, binary('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')],
  },
  'GET /api/runs/:id/provenance': { summary: 'Recompute the hash chain; names the first broken link', ok: [200, json(ProvenanceSchema)] },
  'GET /api/runs/:id/events': {
    summary: 'Server-Sent Events until the run ends (`progress`, then `end`); resumable with Last-Event-ID',
    ok: [200, { 'text/event-stream': { schema: { type: 'string' } } }],
  },
  'POST /api/runs/:id/retry': { summary: 'A failed or cancelled run again, as a new run', ok: [202, json(SubmittedSchema)] },
  'GET /api/runs/:id/plan': { summary: 'The plan as the web page draws it', ok: [200, json(PlanViewSchema)] },
  'POST /api/schedules/optimize': {
    summary: 'Submit an OptimizationRequestDTO (the scheduler UI’s job API, seed 003)',
    body: OptimizationRequestSchema,
    ok: [202, json(OptimizationAcceptedSchema)],
  },
  'GET /api/schedules/optimize/:id': { summary: 'A run as an OptimizationResponseDTO', ok: [200, json(OptimizationResponseSchema)] },
  'DELETE /api/schedules/optimize/:id': { summary: 'Cancel a queued or running run', ok: [204, {}] },
  'GET /api/schedules/optimize/:id/progress': {
    summary: 'Server-Sent Events as plain messages { progress, step, status }, the last one with versionId; resumable with Last-Event-ID',
    ok: [200, { 'text/event-stream': { schema: { type: 'string' } } }],
  },
  'GET /api/pulls': { summary: "The tenant's data pulls (Temporal Schedules) and their state", ok: [200, json(PullListSchema)] },
  'POST /api/pulls/:scheduleId/pause': {
    summary: 'Pause a pull, with a note',
    body: NoteSchema,
    ok: [200, json(PullListSchema.shape.items.element)],
  },
  'POST /api/pulls/:scheduleId/unpause': {
    summary: 'Resume a pull',
    body: NoteSchema,
    ok: [200, json(PullListSchema.shape.items.element)],
  },
  'POST /api/pulls/:scheduleId/trigger': { summary: 'Start a pull now', ok: [200, json(PullListSchema.shape.items.element)] },
  'POST /api/pulls/:scheduleId/backfill': {
    summary: 'Run the pulls missed in a window, one after another',
    body: BackfillSchema,
    ok: [200, json(PullListSchema.shape.items.element)],
  },
  ...VERSION_OPERATIONS,
};

const html = (description: string): Content => ({ 'text/html': { schema: { type: 'string', description } } });
const AckLinkQuery = z.object({
  u: z.string().meta({ description: 'the user the message went to' }),
  exp: z.string().meta({ description: 'expiry, unix seconds' }),
  sig: z.string().meta({ description: 'HMAC-SHA256 (base64url) of the alert id, expiry and user with ALERT_LINK_SECRET' }),
});
const LINK_ERRORS = {
  400: 'the link lacks u, exp or sig, or its path holds no alert id (HTML page)',
  403: 'the signature does not match: altered, or for another alert or person (HTML page)',
  404: 'no such alert, or links not configured (ALERT_LINK_SECRET) (HTML page)',
  410: 'the link has expired (HTML page)',
};

/** The routes without login: the signed acknowledgement link's page and its button. */
const PUBLIC_OPERATIONS: Record<PublicRouteName, { summary: string; ok: string }> = {
  'GET /api/alerts/:id/ack': {
    summary:
      'The page behind an alert message’s acknowledgement link: the alert and an Acknowledge button (acknowledges nothing: mail scanners fetch links)',
    ok: 'the alert and a form that POSTs to the same URL',
  },
  'POST /api/alerts/:id/ack': {
    summary: 'Acknowledge an alert by its signed link, as link:<userId> (the first acknowledgement stands; no escalation follows)',
    ok: 'the confirmation: who acknowledged, when',
  },
};

function publicOperation(route: PublicRouteName, params: string[]) {
  const op = PUBLIC_OPERATIONS[route];
  return {
    summary: op.summary,
    description: `No login: ${PUBLIC_ROUTES[route]}.`,
    operationId: route.replace(/[^A-Za-z0-9]+/g, '_').replace(/_$/, ''),
    security: [],
    parameters: [
      ...params.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      ...queryParameters(AckLinkQuery),
    ],
    responses: {
      200: { description: 'success', content: html(op.ok) },
      ...Object.fromEntries(
        Object.entries(LINK_ERRORS).map(([status, description]) => [status, { description, content: html(description) }]),
      ),
    },
  };
}

const ERRORS: Record<number, string> = {
  400: 'invalid request (every problem with its path)',
  401: 'no or invalid bearer token',
  403: 'the role or tenant does not allow it',
  404: 'not found (or another tenant’s)',
  409: 'conflict with the resource’s state (E004: the schedule version you based it on is no longer the applied one)',
  423: 'E005: a lock of the site’s schedule is in the way (schedule versions and run submission; each lock named)',
  429: 'rate limited (Retry-After)',
  503: 'Postgres or Temporal unavailable; retry',
};

/** `/api/runs/:id` → `/api/runs/{id}` and its path parameters. */
export function openApiPath(path: string): { path: string; params: string[] } {
  const params = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]);
  return { path: path.replace(/:(\w+)/g, '{$1}'), params };
}

function queryParameters(schema: z.ZodObject | undefined) {
  if (!schema) return [];
  const object = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, object>;
    required?: string[];
  };
  return Object.entries(object.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: object.required?.includes(name) ?? false,
    schema: s,
  }));
}

function operation(route: RouteName, op: Operation | undefined, params: string[]) {
  const roles = ROUTE_ROLES[route];
  const errors = Object.fromEntries(
    Object.entries(ERRORS).map(([status, description]) => [
      status,
      { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    ]),
  );
  return {
    summary: op?.summary ?? route,
    description: `Roles: ${roles.join(', ')}.`,
    operationId: route.replace(/[^A-Za-z0-9]+/g, '_').replace(/_$/, ''),
    parameters: [
      ...params.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      ...queryParameters(op?.query),
    ],
    ...(op?.body && { requestBody: { required: true, content: json(op.body) } }),
    responses: { [op?.ok[0] ?? 200]: { description: 'success', content: op?.ok[1] ?? json(z.unknown()) }, ...errors },
  };
}

/**
 * The OpenAPI 3.1 document: every route of the permission table, its roles, path and query
 * parameters, bodies and answers as JSON Schema 2020-12 from the zod schemas (`z.toJSONSchema`).
 */
export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of Object.keys(ROUTE_ROLES) as RouteName[]) {
    const [method, raw] = route.split(' ');
    const { path, params } = openApiPath(raw);
    paths[path] ??= {};
    paths[path][method.toLowerCase()] = operation(route, OPERATIONS[route], params);
  }
  for (const route of Object.keys(PUBLIC_ROUTES) as PublicRouteName[]) {
    const [method, raw] = route.split(' ');
    const { path, params } = openApiPath(raw);
    paths[path] ??= {};
    paths[path][method.toLowerCase()] = publicOperation(route, params);
  }
  const doc = {
    openapi: '3.1.0',
    info: { title: 'HeatScheduler API', version, description: 'Plans process-heating jobs on heaters at the lowest energy bill.' },
    servers: [{ url: '/' }],
    components: {
      schemas: { Error: ErrorBodySchema },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    security: [{ bearer: [] }],
    paths,
  };
  // Zod schemas inside operations become JSON Schema in one pass (shared ones by reference).
  return JSON.parse(JSON.stringify(doc, (_key, value: unknown) => (value instanceof z.ZodType ? toSchema(value) : value))) as Record<
    string,
    unknown
  >;
}

function toSchema(schema: z.ZodType): unknown {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  return rest;
}
