import { Router, type RequestHandler } from 'express';
import { loadRunInput } from '../../db/repositories/schedules.ts';
import { RunRequestSchema } from '../../domain/run-request.ts';
import { fieldProblems } from '../../domain/validation.ts';
import { recordAudit } from '../../runs/audit.ts';
import { loadPlanView } from '../../runs/plan-view.ts';
import { submitRun } from '../../runs/submit.ts';
import { principalOf, requireRole } from '../auth.ts';
import type { ApiOptions } from '../config.ts';
import { ApiCode, ApiError, notFound } from '../errors.ts';
import { rolesFor } from '../permissions.ts';
import type { ApiDeps } from '../server.ts';
import { statusOf } from '../views.ts';
import { checkSolverCap, idOf, runIdParam, runNotFound, runsOf, submitError } from './runs.ts';

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
    const parsed = input.format === 'json' ? RunRequestSchema.safeParse(safeJson(input.content)) : null;
    if (!parsed?.success) {
      throw new ApiError(409, ApiCode.CONFLICT, `run ${run.runId} was submitted invalid; submit a corrected request instead`, [
        ...(parsed ? fieldProblems(parsed.error, 'stored.body') : [{ path: 'stored.body', message: `format ${input.format} is not JSON` }]),
      ]);
    }
    checkSolverCap(principal, parsed.data.settings.solverTimeLimitSeconds, options);
    const { runId } = await submitRun(deps.db, deps.client, {
      content: input.content,
      format: input.format,
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

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
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
