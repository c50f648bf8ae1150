import type { ReportDocument } from '../activities/report/document.ts';
import type { optimizationRuns } from '../db/schema.ts';
import type { RunProgress } from '../workflows/progress.ts';
import { bounded } from './errors.ts';
import { z } from 'zod';
import { isPlainObject } from '../activities/intake/adapters/canonical-json.ts';
import { isOptimizationRequest } from '../activities/intake/adapters/scheduler-dto-request.ts';
import { ObjectiveSchema } from '../domain/settings.ts';
import { API_STATUSES, statusOf } from './views.ts';

type RunRow = typeof optimizationRuns.$inferSelect;

/** A placed job as the plan stores it. */
export interface PlannedJob {
  jobRef: string;
  equipmentId: string;
  start: Date;
  end: Date;
}

type PlanMetrics = NonNullable<OptimizationResponse['result']>['metrics'];

/** Where the scheduler had an event before the run (its resource and start), by event id. */
export type SubmittedPositions = Map<string, { resourceId?: string; startDate?: string }>;

const EventSchema = z.object({
  id: z.string(),
  resourceId: z.string(),
  startDate: z.string(),
  endDate: z.string(),
  changed: z
    .boolean()
    .meta({ description: 'the heater or start differs from the submitted event (always true for a run submitted in another format)' }),
});

/** The scheduler UI's OptimizationResponseDTO (seed 003). */
export const OptimizationResponseSchema = z.object({
  runId: z.uuid(),
  status: z.enum(API_STATUSES),
  progress: z.object({ percentage: z.number(), currentStep: z.string().optional() }).optional(),
  result: z
    .object({
      versionId: z.string(),
      events: z.array(EventSchema),
      metrics: z.object({
        makespan: z.number().meta({ description: "minutes from the first placed job's start to the last one's end" }),
        resourceUtilization: z.number().meta({ description: 'share of that span the heaters the plan uses run jobs' }),
        constraintViolations: z.number().meta({ description: 'jobs left unscheduled; the placed ones keep every rule' }),
        improvementPercentage: z.number().nullable().meta({ description: 'savings against the baseline plan, percent' }),
      }),
      warnings: z.array(z.string()),
    })
    .optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type OptimizationResponse = z.infer<typeof OptimizationResponseSchema>;

/** The body of POST /api/schedules/optimize, as OpenAPI shows it (intake's `dto` adapter reads it field by field). */
export const OptimizationRequestSchema = z.object({
  scheduleData: z.looseObject({ version: z.string().optional(), snapshot: z.looseObject({}), metadata: z.looseObject({}) }),
  algorithmId: z.number().int(),
  profileId: z.number().int().optional(),
  options: z.object({
    objective: ObjectiveSchema,
    timeLimit: z.number().positive().optional().meta({ description: 'seconds' }),
  }),
  locks: z
    .object({
      events: z.array(z.string()).optional(),
      resourceIntervals: z
        .array(z.object({ resourceId: z.string(), start: z.string(), end: z.string(), reason: z.string().optional() }))
        .optional(),
    })
    .optional(),
});

export const OptimizationAcceptedSchema = z.object({ runId: z.uuid(), status: z.enum(API_STATUSES), estimatedStartTime: z.string() });

/**
 * The events' positions in a submitted ScheduleDataDTO (alone or inside an OptimizationRequestDTO);
 * empty for a submission in another format, whose jobs had no position before the run.
 */
export function submittedPositions(bytes: Buffer): SubmittedPositions {
  const out: SubmittedPositions = new Map();
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    return out;
  }
  const data = isPlainObject(doc) && isOptimizationRequest(doc) ? doc.scheduleData : doc;
  const events = isPlainObject(data) && isPlainObject(data.snapshot) && Array.isArray(data.snapshot.events) ? data.snapshot.events : [];
  for (const e of events) {
    if (!isPlainObject(e) || typeof e.id !== 'string') continue;
    out.set(e.id, {
      resourceId: typeof e.resourceId === 'string' ? e.resourceId : undefined,
      startDate: typeof e.startDate === 'string' ? e.startDate : undefined,
    });
  }
  return out;
}

/** An event moved when its heater or its start differs from where the scheduler had it (or it had none). */
export function eventChanged(job: PlannedJob, before: SubmittedPositions): boolean {
  const was = before.get(job.jobRef);
  if (!was?.resourceId || !was.startDate) return true;
  return was.resourceId !== job.equipmentId || Date.parse(was.startDate) !== job.start.getTime();
}

/**
 * makespan: minutes from the first placed job's start to the last one's end; resourceUtilization:
 * the share of that span the heaters the plan uses spend running jobs; constraintViolations: jobs left
 * unscheduled (each misses its window; the placed ones keep every rule); improvementPercentage: the
 * saving against the baseline plan, in percent.
 */
export function planMetrics(plan: PlannedJob[], run: RunRow, unscheduled: number): PlanMetrics {
  if (plan.length === 0)
    return { makespan: 0, resourceUtilization: 0, constraintViolations: unscheduled, improvementPercentage: run.savingsPercent };
  const first = Math.min(...plan.map((j) => j.start.getTime()));
  const last = Math.max(...plan.map((j) => j.end.getTime()));
  const span = last - first;
  const busy = plan.reduce((sum, j) => sum + (j.end.getTime() - j.start.getTime()), 0);
  const heaters = new Set(plan.map((j) => j.equipmentId)).size;
  return {
    makespan: span / 60_000,
    resourceUtilization: span > 0 ? Math.round((busy / (span * heaters)) * 10_000) / 10_000 : 0,
    constraintViolations: unscheduled,
    improvementPercentage: run.savingsPercent,
  };
}

export function optimizationResponse(
  run: RunRow,
  progress: RunProgress | null,
  done: { plan: PlannedJob[]; before: SubmittedPositions; report: ReportDocument | null; versionId: string } | null,
): OptimizationResponse {
  const status = statusOf(run);
  const out: OptimizationResponse = { runId: run.runId, status };
  if (progress) out.progress = { percentage: progress.percent, currentStep: progress.currentStep ?? undefined };
  if (run.status === 'FAILED') out.error = { code: run.errorCode ?? 'E000', message: bounded(run.errorMessage ?? '', 1000) };
  if (run.status === 'SUCCESS' && done) {
    const unscheduled = done.report?.unscheduled ?? [];
    out.result = {
      versionId: done.versionId,
      events: done.plan.map((j) => ({
        id: j.jobRef,
        resourceId: j.equipmentId,
        startDate: j.start.toISOString(),
        endDate: j.end.toISOString(),
        changed: eventChanged(j, done.before),
      })),
      metrics: planMetrics(done.plan, run, unscheduled.length),
      warnings: [...(done.report?.warnings ?? []).map((w) => w.text), ...unscheduled.map((u) => `${u.jobId} not scheduled: ${u.reason}`)],
    };
  }
  return out;
}
