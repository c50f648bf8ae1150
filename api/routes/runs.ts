import { WorkflowNotFoundError } from '@temporalio/client';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { INPUT_FORMATS } from '../../activities/intake/adapters/types.ts';
import { readRunRequest, type IntakeRead } from '../../activities/intake/registry.ts';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import { requestLockProblems } from '../../domain/schedule-versions.ts';
import { RunRequestSchema, type RunRequest } from '../../domain/run-request.ts';
import { unsafeTextProblems } from '../../domain/unsafe-text.ts';
import { recordAudit } from '../../db/repositories/audit.ts';
import { listLocks } from '../../db/repositories/schedule-versions.ts';
import { tenantRuns, type TenantScope } from '../../runs/read.ts';
import { IdempotencyKeyReused, submitRun, WorkflowNotStarted } from '../../runs/submit.ts';
import { progressQuery } from '../../workflows/optimization-run.ts';
import type { RunProgress } from '../../workflows/progress.ts';
import { principalOf, requireRole, type Principal } from '../auth.ts';
import { fileBodyOf, jsonBodyOf, parsePart, runBody } from '../body.ts';
import type { ApiOptions } from '../config.ts';
import { ApiCode, ApiError, forbidden, invalid, notFound } from '../errors.ts';
import { rolesFor } from '../permissions.ts';
import type { ApiDeps } from '../server.ts';
import { API_STATUSES, dbStatusOf, runSummary, runView, statusOf, TERMINAL } from '../views.ts';

export const RunIdSchema = z.uuid('must be a run id (a UUID)');
const IdempotencyKeySchema = z.string().regex(/^[\x21-\x7e]{1,200}$/, 'must be 1-200 printable ASCII characters without spaces');

const InstantSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })], 'must be a date (YYYY-MM-DD) or an ISO date-time');
const CursorSchema = z.object({ createdAt: z.string().max(40), runId: z.uuid() }).strict();
export const ListQuerySchema = z
  .object({
    status: z.enum(API_STATUSES).optional(),
    siteId: z.string().min(1).max(64).optional(),
    /** Submitted at or after / before: a date (UTC midnight) or a date-time with offset. */
    from: InstantSchema.optional(),
    to: InstantSchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z
      .string()
      .max(300)
      .transform((text, ctx) => {
        try {
          return CursorSchema.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
        } catch {
          ctx.addIssue({ code: 'custom', message: 'is not a cursor this API returned' });
          return z.NEVER;
        }
      })
      .optional(),
  })
  .strict();

/** Validates `:id` on every route of a runs router. */
export const runIdParam = (_req: Request, _res: Response, next: (err?: unknown) => void, value: string) => {
  const parsed = RunIdSchema.safeParse(value);
  next(parsed.success ? undefined : invalid([{ path: 'params.id', message: parsed.error.issues[0].message }], 'invalid run id'));
};

export const scopeOf = (p: Principal): TenantScope => (p.tenant === null ? { allTenants: true } : { tenantId: p.tenant });
export const runsOf = (deps: ApiDeps, res: Response) => tenantRuns(deps.db, scopeOf(principalOf(res)));
/** The validated `:id` (router.param has checked it is a UUID). */
export const idOf = (req: Request) => String(req.params.id);
export const runNotFound = (runId: string) => notFound(`no run ${runId}`, 'params.id');

/** /api/runs: submit, list, read, cancel, reports and provenance, every query within the caller's tenant. */
export function runsRouter(deps: ApiDeps, options: ApiOptions, submitLimiter: RequestHandler): Router {
  const router = Router();
  router.param('id', runIdParam);
  router.post(
    '/',
    requireRole(...rolesFor('POST /api/runs')),
    submitLimiter,
    ...runBody(options.bodyLimitBytes),
    submitHandler(deps, options),
  );
  router.get('/', requireRole(...rolesFor('GET /api/runs')), async (req, res) => {
    const query = parsePart(ListQuerySchema, req.query, 'query');
    const rows = await runsOf(deps, res).list({
      status: query.status && dbStatusOf(query.status),
      siteId: query.siteId,
      createdFrom: query.from,
      createdTo: query.to,
      limit: query.limit,
      after: query.cursor,
    });
    const last = rows.length === query.limit ? rows[rows.length - 1] : undefined;
    const nextCursor = last && Buffer.from(JSON.stringify({ createdAt: last.cursorTime, runId: last.run.runId })).toString('base64url');
    res.json({ items: rows.map((r) => runSummary(r.run)), nextCursor: nextCursor ?? null });
  });
  router.get('/:id', requireRole(...rolesFor('GET /api/runs/:id')), async (req, res) => {
    const run = await runsOf(deps, res).get(idOf(req));
    if (!run) throw runNotFound(idOf(req));
    res.json(runView(run, run.status === 'RUNNING' ? await liveProgress(deps, run.runId) : null));
  });
  router.delete('/:id', requireRole(...rolesFor('DELETE /api/runs/:id')), cancelHandler(deps));
  for (const kind of ['report.json', 'report.txt'] as const) {
    router.get(`/:id/${kind}`, requireRole(...rolesFor(`GET /api/runs/:id/${kind}`)), async (req, res) => {
      const artefact = await runsOf(deps, res).artefact(idOf(req), kind);
      if (artefact === undefined) throw runNotFound(idOf(req));
      if (artefact === null) throw notFound(`run ${idOf(req)} has no report (yet)`, 'params.id');
      res.type(artefact.contentType).send(artefact.content);
    });
  }
  router.get('/:id/provenance', requireRole(...rolesFor('GET /api/runs/:id/provenance')), async (req, res) => {
    const found = await runsOf(deps, res).provenance(idOf(req));
    if (!found) throw runNotFound(idOf(req));
    const { steps, verdict } = found;
    res.json({
      runId: idOf(req),
      verified: verdict?.ok ?? false,
      head: verdict?.ok ? verdict.head : null,
      firstBrokenLink: verdict && !verdict.ok ? { step: verdict.step, reason: verdict.reason } : null,
      note: verdict ? undefined : 'no step recorded yet',
      steps: steps.map((s) => ({ step: s.step, seq: s.seq, parents: s.parents, hash: s.hash })),
    });
  });
  return router;
}

/** The workflow's progress query, given two seconds: a missing worker must not hold the request for 30 s. */
export async function liveProgress(deps: ApiDeps, runId: string): Promise<RunProgress | null> {
  try {
    return await deps.connection.withDeadline(Date.now() + 2_000, () => deps.client.workflow.getHandle(runId).query(progressQuery));
  } catch {
    return null;
  }
}

/** What the door read from a run body: the canonical request and the submission to store. */
export interface DoorRead {
  request: RunRequest;
  content: string | Buffer;
  format: string;
}

const SubmitQuerySchema = z.object({ format: z.enum(INPUT_FORMATS).optional() }).strict();

/**
 * Canonical JSON is checked by its schema (paths `body.…`); a file of another format (by media
 * type, or JSON in the legacy ERP or scheduler DTO shape, recognised or named by `?format=`) goes
 * through intake's adapters, whose problems name row, column, cell or line.
 */
async function readRunBody(req: Request, res: Response): Promise<DoorRead> {
  const { format } = parsePart(SubmitQuerySchema, req.query, 'query');
  const file = fileBodyOf(res);
  if (file) {
    if (format !== undefined && format !== file.format) {
      throw invalid([{ path: 'query.format', message: `is ${format} but the Content-Type names ${file.format}` }]);
    }
    return { ...(await readThroughIntake(file.bytes, file.format)), content: file.bytes };
  }
  const { raw, value } = jsonBodyOf(res);
  const canonical = format === 'json' || (format === undefined && typeof value === 'object' && value !== null && 'schedule' in value);
  if (canonical) return { request: parsePart(RunRequestSchema, value, 'body'), content: raw, format: 'json' };
  return { ...(await readThroughIntake(Buffer.from(raw, 'utf8'), format)), content: raw };
}

export async function readThroughIntake(bytes: Buffer, format: string | undefined): Promise<Omit<DoorRead, 'content'>> {
  let read: IntakeRead;
  try {
    read = await readRunRequest({ bytes }, { format });
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    const details = err.problems.map((p) => ({ path: bodyPath(p.path), message: p.message }));
    throw invalid(details.length ? details : [{ path: 'body', message: err.summary }], err.summary);
  }
  const problems = unsafeTextProblems(read.request, { prefix: 'body' });
  if (problems.length) throw invalid(problems, 'the body holds text that cannot be stored');
  return { request: read.request, format: read.format };
}

/** An intake location under `body`: a field path joins with a dot, a place in the file (`row 5, column 3 (heating_kwh)`) follows. */
const bodyPath = (path: string) =>
  path === '(file)' ? 'body' : /^[A-Za-z_$][\w$]*(?:[.[][^\s]*)?$/.test(path) ? `body.${path}` : `body ${path}`;

/** What the caller may submit (own tenant; registering the site's data is for admins; the solver cap), then the run stored and started. */
export async function submitFor(deps: ApiDeps, options: ApiOptions, req: Request, res: Response, read: DoorRead) {
  const principal = principalOf(res);
  const { request, content, format } = read;
  if (principal.tenant !== null && request.schedule.tenant !== principal.tenant) {
    throw forbidden('a run can only be submitted for your own tenant', [
      { path: 'body.schedule.tenant', message: `must be ${principal.tenant}, the tenant of your token` },
    ]);
  }
  if (request.register && !principal.roles.includes('admin')) {
    throw forbidden('only an admin may register a run’s tariff and heaters for the site', [
      { path: 'body.register', message: 'leave it out: the tariff and heaters are then this run’s inputs only' },
    ]);
  }
  checkSolverCap(principal, request.settings.solverTimeLimitSeconds, options);
  await checkScheduleLocks(deps, principal.tenant ?? request.schedule.tenant, request);
  const keyHeader = req.headers['idempotency-key'];
  const idempotencyKey = keyHeader === undefined ? undefined : parsePart(IdempotencyKeySchema, keyHeader, 'headers.idempotency-key');
  const submitted = await submitRun(deps.db, deps.client, {
    content,
    format,
    tenantId: principal.tenant ?? request.schedule.tenant,
    submittedBy: principal.subject,
    idempotencyKey,
    taskQueue: options.taskQueue,
  }).catch((err: unknown) => {
    throw submitError(err);
  });
  if (submitted.replayed) res.set('Idempotent-Replayed', 'true');
  return submitted;
}

function submitHandler(deps: ApiDeps, options: ApiOptions): RequestHandler {
  return async (req, res) => {
    const { runId, replayed } = await submitFor(deps, options, req, res, await readRunBody(req, res));
    const run = replayed ? await runsOf(deps, res).get(runId) : undefined;
    res
      .status(202)
      .location(`/api/runs/${runId}`)
      .json({ runId, status: run ? statusOf(run) : 'queued' });
  };
}

/**
 * The site's locks for the day (db/repositories/schedule-versions.ts): a request that would let
 * the solver move a locked job, or pins one into a locked heater interval, is refused with 423 E005.
 */
export async function checkScheduleLocks(deps: ApiDeps, tenantId: string, request: RunRequest): Promise<void> {
  const { site: siteId, scheduleDate, jobs } = request.schedule;
  const locks = await listLocks(deps.db, { tenantId, siteId, scheduleDate });
  const problems = requestLockProblems(jobs, locks, 'body.schedule.jobs');
  if (problems.length)
    throw new ApiError(
      423,
      ErrorCode.RESOURCE_LOCKED,
      `the request breaks ${problems.length} lock(s) of ${siteId} on ${scheduleDate}`,
      problems,
    );
}

/** A caller's roles cap the solver time a run may ask for (403 beyond). */
export function checkSolverCap(principal: Principal, seconds: number, options: ApiOptions): void {
  const cap = Math.max(...principal.roles.map((r) => options.solverTimeLimitCaps[r]));
  if (seconds > cap) {
    throw forbidden('the solver time limit is above what your role may ask for', [
      { path: 'body.settings.solverTimeLimitSeconds', message: `at most ${cap} s for ${principal.roles.join(', ')}` },
    ]);
  }
}

export function submitError(err: unknown): unknown {
  if (err instanceof IdempotencyKeyReused) {
    return new ApiError(409, ApiCode.CONFLICT, err.message, [
      { path: 'headers.idempotency-key', message: `already used for run ${err.runId} with another body` },
    ]);
  }
  if (err instanceof WorkflowNotStarted) {
    return new ApiError(503, ApiCode.UNAVAILABLE, err.message, [{ path: 'temporal', message: `run ${err.runId} closed as failed` }]);
  }
  return err;
}

/** Cancels a run's workflow (409 once it has ended or has no open workflow) and audits who did it. */
export async function cancelRun(deps: ApiDeps, res: Response, runId: string): Promise<void> {
  const run = await runsOf(deps, res).get(runId);
  if (!run) throw runNotFound(runId);
  if (TERMINAL.has(run.status)) {
    throw new ApiError(409, ApiCode.CONFLICT, `run ${run.runId} has already ended`, [
      { path: 'params.id', message: `the run is ${statusOf(run)}` },
    ]);
  }
  try {
    await deps.connection.withDeadline(Date.now() + 5_000, () => deps.client.workflow.getHandle(run.runId).cancel());
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    throw new ApiError(409, ApiCode.CONFLICT, `run ${run.runId} has no open workflow`, [
      { path: 'params.id', message: 'the workflow has already closed' },
    ]);
  }
  await recordAudit(deps.db, {
    tenantId: run.tenantId,
    actor: principalOf(res).subject,
    action: 'run.cancel',
    target: run.runId,
    details: { statusBefore: run.status },
  });
}

function cancelHandler(deps: ApiDeps): RequestHandler {
  return async (req, res) => {
    await cancelRun(deps, res, idOf(req));
    res.status(202).json({ runId: idOf(req), status: 'cancelling' });
  };
}
