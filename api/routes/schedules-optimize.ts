import { Router, type RequestHandler, type Response } from 'express';
import type { ReportDocument } from '../../activities/report/document.ts';
import { versionOfRun } from '../../db/repositories/schedule-versions.ts';
import { requireRole } from '../auth.ts';
import { jsonBody, jsonBodyOf } from '../body.ts';
import type { ApiOptions } from '../config.ts';
import { optimizationResponse, submittedPositions, type OptimizationResponse } from '../optimization-dto.ts';
import { rolesFor } from '../permissions.ts';
import type { ApiDeps } from '../server.ts';
import { statusOf } from '../views.ts';
import { DEFAULT_TIMING, eventsHandler, type StreamShape } from './run-events.ts';
import { cancelRun, idOf, liveProgress, readThroughIntake, runIdParam, runNotFound, runsOf, submitFor } from './runs.ts';

/**
 * /api/schedules/optimize: the scheduler UI's job API (seed 003) over the same runs as /api/runs.
 * The body is an OptimizationRequestDTO (intake's `dto` format reads it, locks and options included);
 * a run's result is its plan as the scheduler's events, each marked `changed` where it moved.
 */
export function schedulesOptimizeRouter(
  deps: ApiDeps,
  options: ApiOptions,
  submitLimiter: RequestHandler,
  timing = DEFAULT_TIMING,
): Router {
  const router = Router();
  router.param('id', runIdParam);
  router.post(
    '/',
    requireRole(...rolesFor('POST /api/schedules/optimize')),
    submitLimiter,
    ...jsonBody(options.bodyLimitBytes),
    async (req, res) => {
      const { raw } = jsonBodyOf(res);
      const read = await readThroughIntake(Buffer.from(raw, 'utf8'), 'dto');
      const { runId } = await submitFor(deps, options, req, res, { ...read, content: raw });
      const run = await runsOf(deps, res).get(runId);
      res
        .status(202)
        .location(`/api/schedules/optimize/${runId}`)
        .json({ runId, status: run ? statusOf(run) : 'queued', estimatedStartTime: (run?.createdAt ?? new Date()).toISOString() });
    },
  );
  router.get('/:id', requireRole(...rolesFor('GET /api/schedules/optimize/:id')), async (req, res) => {
    res.json(await responseOf(deps, res, idOf(req)));
  });
  router.delete('/:id', requireRole(...rolesFor('DELETE /api/schedules/optimize/:id')), async (req, res) => {
    await cancelRun(deps, res, idOf(req));
    res.status(204).end();
  });
  router.get(
    '/:id/progress',
    requireRole(...rolesFor('GET /api/schedules/optimize/:id/progress')),
    eventsHandler(deps, timing, progressShape(deps)),
  );
  return router;
}

async function responseOf(deps: ApiDeps, res: Response, runId: string): Promise<OptimizationResponse> {
  const runs = runsOf(deps, res);
  const run = await runs.get(runId);
  if (!run) throw runNotFound(runId);
  if (run.status !== 'SUCCESS') return optimizationResponse(run, run.status === 'RUNNING' ? await liveProgress(deps, runId) : null, null);
  const [plan, input, report] = await Promise.all([runs.plan(runId), runs.input(runId), runs.artefact(runId, 'report.json')]);
  return optimizationResponse(run, null, {
    plan: plan ?? [],
    before: input ? submittedPositions(input.bytes) : new Map(),
    report: report?.content ? (JSON.parse(report.content.toString('utf8')) as ReportDocument) : null,
    versionId: await versionIdOf(deps, run.tenantId, runId),
  });
}

/** `v<N>`: the run's version of its site's schedule for the date (see /api/sites/:siteId/schedules/:date/versions). */
async function versionIdOf(deps: ApiDeps, tenantId: string, runId: string): Promise<string> {
  const found = await versionOfRun(deps.db, tenantId, runId);
  return found ? `v${found.version}` : runId;
}

/** The seed's stream: plain messages `{ progress, step }`, the last one `{ progress: 100, step: 'Complete', versionId }`. */
function progressShape(deps: ApiDeps): StreamShape {
  return {
    progress: (_runId, status, progress) => ({
      data: { progress: progress?.percent ?? 0, step: progress?.currentStep ?? status, status },
    }),
    end: async (run, res) => {
      const response = await responseOf(deps, res, run.runId);
      if (response.result)
        return { data: { progress: 100, step: 'Complete', status: response.status, versionId: response.result.versionId } };
      return {
        data: {
          progress: 100,
          step: response.status === 'cancelled' ? 'Cancelled' : 'Failed',
          status: response.status,
          error: response.error,
        },
      };
    },
  };
}
