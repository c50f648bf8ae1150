import type { ProductionSchedule } from '../../domain/schedule.ts';
import type { Tx } from '../client.ts';
import { productionJobs, productionSchedules } from '../schema.ts';

/** Stores the run's validated schedule and its jobs; returns the schedule's id. */
export async function insertSchedule(tx: Tx, runId: string, schedule: ProductionSchedule, hash: string): Promise<string> {
  const [row] = await tx
    .insert(productionSchedules)
    .values({
      tenantId: schedule.tenant,
      siteId: schedule.site,
      runId,
      scheduleDate: schedule.scheduleDate,
      timeZone: schedule.timeZone,
      horizonDays: schedule.horizonDays,
      sourceSystem: schedule.sourceSystem,
      sourceReference: schedule.sourceReference,
      provenanceHash: hash,
    })
    .returning({ scheduleId: productionSchedules.scheduleId });
  await tx.insert(productionJobs).values(
    schedule.jobs.map((job) => ({
      scheduleId: row.scheduleId,
      tenantId: schedule.tenant,
      jobRef: job.id,
      productId: job.product,
      quantity: job.quantity,
      unit: job.unit,
      heatingRequirementKwh: job.heatingKwh,
      maxThermalKw: job.maxThermalKw,
      durationMinutes: job.durationMinutes,
      temperatureSetpointC: job.temperatureSetpointC,
      earliestStart: new Date(job.earliestStart),
      latestEnd: new Date(job.deadline),
      priority: job.priority,
      allowedEquipment: job.allowedEquipment,
    })),
  );
  return row.scheduleId;
}
