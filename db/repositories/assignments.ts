import { eq } from 'drizzle-orm';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import type { Assignment } from '../../domain/plan.ts';
import type { SlotTariff } from '../../domain/tariff.ts';
import type { Tx } from '../client.ts';
import { optimizedAssignments, productionJobs, productionSchedules } from '../schema.ts';

/** Writes a plan's assignments as rows of optimized_assignments (plan = 'optimized' or 'baseline'). */
export async function insertAssignments(
  tx: Tx,
  args: { runId: string; tenantId: string; plan: 'optimized' | 'baseline'; assignments: Assignment[]; slots: SlotTariff[]; hash: string },
): Promise<void> {
  if (args.assignments.length === 0) return;
  const [schedule] = await tx
    .select({ scheduleId: productionSchedules.scheduleId })
    .from(productionSchedules)
    .where(eq(productionSchedules.runId, args.runId));
  if (!schedule) throw new DomainError(ErrorCode.INTEGRITY_VIOLATION, `run ${args.runId} has no stored schedule`);
  const jobs = await tx
    .select({ jobId: productionJobs.jobId, jobRef: productionJobs.jobRef })
    .from(productionJobs)
    .where(eq(productionJobs.scheduleId, schedule.scheduleId));
  const jobIdByRef = new Map(jobs.map((j) => [j.jobRef, j.jobId]));
  const rowOf = (a: Assignment) => {
    const jobId = jobIdByRef.get(a.jobId);
    if (!jobId) throw new DomainError(ErrorCode.INTEGRITY_VIOLATION, `run ${args.runId} has no stored job ${a.jobId}`);
    return {
      runId: args.runId,
      tenantId: args.tenantId,
      scheduleId: schedule.scheduleId,
      jobId,
      plan: args.plan,
      equipmentId: a.equipmentId,
      scheduledStart: new Date(a.start),
      scheduledEnd: new Date(a.end),
      thermalKw: a.thermalKw,
      powerKw: a.electricKw + a.fuelKw,
      electricKw: a.electricKw,
      energyCost: a.energyCost,
      tariffPeriod: args.slots[a.startSlot]?.category,
      provenanceHash: args.hash,
    };
  };
  await tx.insert(optimizedAssignments).values(args.assignments.map(rowOf));
}
