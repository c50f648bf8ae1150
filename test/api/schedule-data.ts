import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import { optimizationRuns, optimizedAssignments, productionJobs, productionSchedules } from '../../db/schema.ts';

/** A job of a stored plan: placed on a heater from start to end (UTC ISO), or left out (no heater). */
export interface StoredJob {
  id: string;
  on?: string;
  start?: string;
  end?: string;
}

/**
 * Stores a successful run of `site` on `date` with its schedule, jobs and optimised assignments,
 * as the intake, optimize and cost steps leave them (the columns the versions read), so version
 * tests need no solve. `completedAt` orders the versions.
 */
export async function storeCompletedRun(
  db: Db,
  args: { tenant: string; site: string; date: string; jobs: StoredJob[]; cost: number; peakKw: number; completedAt: Date },
): Promise<string> {
  const runId = randomUUID();
  const placed = args.jobs.filter((j) => j.on);
  await db.insert(optimizationRuns).values({
    runId,
    tenantId: args.tenant,
    siteId: args.site,
    status: 'SUCCESS',
    completedAt: args.completedAt,
    optimizedCost: args.cost,
    baselineCost: args.cost + 100,
    peakKw: args.peakKw,
    jobsCount: args.jobs.length,
    assignmentsCount: placed.length,
  });
  const [schedule] = await db
    .insert(productionSchedules)
    .values({
      tenantId: args.tenant,
      siteId: args.site,
      runId,
      scheduleDate: args.date,
      timeZone: 'UTC',
      horizonDays: 1,
      provenanceHash: '0'.repeat(64),
    })
    .returning({ scheduleId: productionSchedules.scheduleId });
  const jobs = await db
    .insert(productionJobs)
    .values(
      args.jobs.map((j) => ({
        scheduleId: schedule.scheduleId,
        tenantId: args.tenant,
        jobRef: j.id,
        productId: 'steel',
        quantity: 1,
        unit: 'kg',
        heatingRequirementKwh: 100,
        earliestStart: new Date(`${args.date}T00:00:00Z`),
        latestEnd: new Date(`${args.date}T23:59:00Z`),
        priority: 3,
      })),
    )
    .returning({ jobId: productionJobs.jobId, jobRef: productionJobs.jobRef });
  const idOf = new Map(jobs.map((j) => [j.jobRef, j.jobId]));
  const row = (j: StoredJob, plan: 'optimized' | 'baseline') => ({
    runId,
    tenantId: args.tenant,
    scheduleId: schedule.scheduleId,
    jobId: idOf.get(j.id)!,
    plan,
    equipmentId: plan === 'optimized' ? j.on! : 'FIFO-HTR',
    scheduledStart: new Date(plan === 'optimized' ? j.start! : `${args.date}T00:00:00Z`),
    scheduledEnd: new Date(plan === 'optimized' ? j.end! : `${args.date}T01:00:00Z`),
    thermalKw: 50,
    powerKw: 50,
    electricKw: 50,
    energyCost: 10,
    provenanceHash: '0'.repeat(64),
  });
  // The FIFO baseline of every job sits beside the plan, as the cost step stores it: versions must not read it.
  await db.insert(optimizedAssignments).values([...placed.map((j) => row(j, 'optimized')), ...args.jobs.map((j) => row(j, 'baseline'))]);
  return runId;
}
