import type { OptimizedSchedule } from '../../domain/plan.ts';
import type { ProductionSchedule } from '../../domain/schedule.ts';

/** The optimised schedule as the ERP / MES endpoint gets it: what runs where and when, and what could not be placed. */
export function writeBackBody(runId: string, schedule: ProductionSchedule, plan: OptimizedSchedule) {
  return {
    type: 'schedule.optimized',
    runId,
    tenant: schedule.tenant,
    site: schedule.site,
    scheduleDate: schedule.scheduleDate,
    sourceSystem: schedule.sourceSystem,
    sourceReference: schedule.sourceReference ?? null,
    assignments: plan.assignments.map((a) => ({
      jobId: a.jobId,
      equipmentId: a.equipmentId,
      start: a.start,
      end: a.end,
      thermalKw: a.thermalKw,
    })),
    unscheduled: plan.unscheduled,
  };
}
