import { Router, type RequestHandler } from 'express';
import { AUTO_FORMAT } from '../../activities/intake/adapters/types.ts';
import { readRunRequest } from '../../activities/intake/registry.ts';
import { loadRunInput, type StoredInput } from '../../db/repositories/run-inputs.ts';
import { DomainError } from '../../domain/errors.ts';
import type { RunRequest } from '../../domain/run-request.ts';
import { recordAudit } from '../../db/repositories/audit.ts';
import { loadPlanView } from '../../runs/plan-view.ts';
import { submitRun } from '../../runs/submit.ts';
import { principalOf, requireRole } from '../auth.ts';
import type { ApiOptions } from '../config.ts';
import { ApiCode, ApiError, notFound } from '../errors.ts';
import { rolesFor } from '../permissions.ts';
import type { ApiDeps } from '../server.ts';
import { statusOf } from '../views.ts';
import { checkScheduleLocks, checkSolverCap, idOf, runIdParam, runNotFound, runsOf, submitError } from './runs.ts';

/** Runs that may be tried again: the ones that ended without a plan. */
const RETRYABLE = new Set(['FAILED', 'CANCELLED']);

/**
 * POST /api/runs/:id/retry: the same stored submission as a new run (a failed or cancelled run
 * stays as it ended). The caller's role caps the solver time as on submission; audited.
 */
function retryHandler(deps: ApiDeps, options: ApiOptions): RequestHandler {
  return async (req, res) => {
    const principal = principalOf(res);
    const run = await runsOf(deps, res).get(idOf(req));
    if (!run) throw runNotFound(idOf(req));
    if (!RETRYABLE.has(run.status)) {
      throw new ApiError(409, ApiCode.CONFLICT, `run ${run.runId} is ${statusOf(run)}; only failed or cancelled runs are retried`, [
        { path: 'params.id', message: `the run is ${statusOf(run)}` },
      ]);
    }
    const input = await loadRunInput(deps.db, run.runId);
    const request = await readStoredRequest(input, run.runId);
    checkSolverCap(principal, request.settings.solverTimeLimitSeconds, options);
    await checkScheduleLocks(deps, run.tenantId, request);
    const { runId } = await submitRun(deps.db, deps.client, {
      content: input.bytes,
      format: input.format,
      fileName: input.fileName,
      tenantId: run.tenantId,
      submittedBy: principal.subject,
      taskQueue: options.taskQueue,
    }).catch((err: unknown) => {
      throw submitError(err);
    });
    await recordAudit(deps.db, {
      tenantId: run.tenantId,
      actor: principal.subject,
      action: 'run.retry',
      target: run.runId,
      details: { statusBefore: run.status, newRunId: runId },
    });
    res.status(202).location(`/api/runs/${runId}`).json({ runId, status: 'queued', retryOf: run.runId });
  };
}

/** The stored submission read again (any input format); one that never validated is not retried. */
async function readStoredRequest(input: StoredInput, runId: string): Promise<RunRequest> {
  try {
    const format = input.format === AUTO_FORMAT ? undefined : input.format;
    return (await readRunRequest({ bytes: input.bytes, fileName: input.fileName }, { format })).request;
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    throw new ApiError(409, ApiCode.CONFLICT, `run ${runId} was submitted invalid; submit a corrected request instead`, [
      ...err.problems.map((p) => ({ path: `stored.body ${p.path}`, message: p.message })),
      ...(err.problems.length ? [] : [{ path: 'stored.body', message: err.summary }]),
    ]);
  }
}

/** A stored report file: the report step writes them; until it has, a JSON 404 says so. */
function artefactHandler(deps: ApiDeps, kind: string): RequestHandler {
  return async (req, res) => {
    const artefact = await runsOf(deps, res).artefact(idOf(req), kind);
    if (artefact === undefined) throw runNotFound(idOf(req));
    if (artefact === null) throw notFound(`run ${idOf(req)} has no ${kind} (yet)`, 'params.id');
    res
      .type(artefact.contentType)
      .set('Content-Disposition', `inline; filename="heatscheduler-${idOf(req)}-${kind}"`)
      .send(artefact.content);
  };
}

/** GET /api/runs/:id/plan: what the run page draws (heaters over the horizon, load against periods). */
function planHandler(deps: ApiDeps): RequestHandler {
  return async (req, res) => {
    const run = await runsOf(deps, res).get(idOf(req));
    if (!run) throw runNotFound(idOf(req));
    const view = await loadPlanView(deps.db, run.runId, run.tenantId);
    if (!view) throw notFound(`run ${run.runId} has no plan (yet): it is ${statusOf(run)}`, 'params.id');
    res.json(view);
  };
}

/** Retry, the PDF and XLSX reports and the plan view, mounted beside the runs router. */
export function runActionsRouter(deps: ApiDeps, options: ApiOptions, submitLimiter: RequestHandler): Router {
  const router = Router();
  router.param('id', runIdParam);
  router.post('/:id/retry', requireRole(...rolesFor('POST /api/runs/:id/retry')), submitLimiter, retryHandler(deps, options));
  router.get('/:id/report.pdf', requireRole(...rolesFor('GET /api/runs/:id/report.pdf')), artefactHandler(deps, 'report.pdf'));
  router.get('/:id/report.xlsx', requireRole(...rolesFor('GET /api/runs/:id/report.xlsx')), artefactHandler(deps, 'report.xlsx'));
  router.get('/:id/plan', requireRole(...rolesFor('GET /api/runs/:id/plan')), planHandler(deps));
  return router;
}
