import type { optimizationRuns } from '../db/schema.ts';
import type { RunStatus } from '../domain/pipeline.ts';
import type { RunProgress } from '../workflows/progress.ts';
import { bounded } from './errors.ts';

type RunRow = typeof optimizationRuns.$inferSelect;

/** Run states as the API names them (the scheduler-UI seed's state machine). */
export const API_STATUS = {
  PENDING: 'queued',
  RUNNING: 'running',
  SUCCESS: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
} as const satisfies Record<RunStatus, string>;
export type ApiStatus = (typeof API_STATUS)[RunStatus];
export const API_STATUSES = Object.values(API_STATUS) as [ApiStatus, ...ApiStatus[]];

export const TERMINAL: ReadonlySet<string> = new Set<RunStatus>(['SUCCESS', 'FAILED', 'CANCELLED']);

export const statusOf = (run: RunRow): ApiStatus => API_STATUS[run.status as RunStatus] ?? 'failed';
export const dbStatusOf = (status: ApiStatus): RunStatus => (Object.keys(API_STATUS) as RunStatus[]).find((k) => API_STATUS[k] === status)!;

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function runLinks(runId: string) {
  const self = `/api/runs/${runId}`;
  return { self, reportJson: `${self}/report.json`, reportText: `${self}/report.txt`, provenance: `${self}/provenance` };
}

/** One line of the runs list. */
export function runSummary(run: RunRow) {
  return {
    runId: run.runId,
    status: statusOf(run),
    siteId: run.siteId,
    createdAt: iso(run.createdAt),
    completedAt: iso(run.completedAt),
    errorCode: run.errorCode,
    optimizedCost: run.optimizedCost,
    savings: run.savings,
    links: { self: `/api/runs/${run.runId}` },
  };
}

/** A run with its progress (live from the workflow while it runs), solver figures and cost summary. */
export function runView(run: RunRow, progress: RunProgress | null) {
  return {
    runId: run.runId,
    status: statusOf(run),
    tenant: run.tenantId,
    siteId: run.siteId,
    submittedBy: run.submittedBy,
    createdAt: iso(run.createdAt),
    startedAt: iso(run.startedAt),
    completedAt: iso(run.completedAt),
    error: run.status === 'FAILED' ? { code: run.errorCode, message: bounded(run.errorMessage ?? '', 1000) } : null,
    progress: progress && { ...progress, error: progress.error && bounded(progress.error, 1000) },
    solver: run.solverType
      ? {
          type: run.solverType,
          status: run.solverStatus,
          timeSeconds: run.solverTimeSeconds,
          objective: run.objectiveValue,
          mipGap: run.mipGap,
        }
      : null,
    cost:
      run.optimizedCost != null
        ? {
            baseline: run.baselineCost,
            optimized: run.optimizedCost,
            savings: run.savings,
            savingsPercent: run.savingsPercent,
            peakKw: run.peakKw,
            jobs: run.jobsCount,
            assignments: run.assignmentsCount,
          }
        : null,
    inputHash: run.inputHash,
    outputHash: run.outputHash,
    links: runLinks(run.runId),
  };
}
