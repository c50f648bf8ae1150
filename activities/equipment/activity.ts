import type { Db } from '../../db/client.ts';
import { DomainError, ErrorCode, type FieldProblem } from '../../domain/errors.ts';
import type { StepRef } from '../../domain/pipeline.ts';
import { heatersOverHorizon, type EquipmentOutput } from '../../domain/problem.ts';
import type { IntakeOutput } from '../../domain/run-request.ts';
import { buildSlotGrid } from '../../domain/slot-grid.ts';
import { withDomainFailures } from '../failures.ts';
import { findStep, loadStepOutput, recordStep } from '../steps.ts';
import { loadRegistry, upsertEquipment } from './registry.ts';

export function equipmentActivities(db: Db) {
  return {
    /** Agent 3: the heaters of the site (those in the request, else the registry) over the horizon. */
    async resolveEquipment({ runId, intake }: { runId: string; intake: StepRef }): Promise<StepRef> {
      return withDomainFailures(async () => {
        const done = await findStep(db, runId, 'equipment');
        if (done) return done;
        const { schedule, settings, supplied } = await loadStepOutput<IntakeOutput>(db, runId, intake);
        const grid = buildSlotGrid(schedule.scheduleDate, schedule.timeZone, schedule.horizonDays, settings.slotMinutes);
        // Heaters in the request are what the planner says the site has today; they also update the registry.
        if (supplied.equipment) await upsertEquipment(db, schedule.tenant, schedule.site, supplied.equipment, grid.startUtc, grid.endUtc);
        const { equipment } = supplied.equipment
          ? heatersOverHorizon(supplied.equipment, grid)
          : { equipment: await loadRegistry(db, schedule.tenant, schedule.site, grid.startUtc, grid.endUtc) };
        if (equipment.length === 0) {
          throw new DomainError(
            ErrorCode.EQUIPMENT_NOT_FOUND,
            `no heaters registered for tenant ${schedule.tenant}, site ${schedule.site}`,
          );
        }
        const known = new Set(equipment.map((e) => e.id));
        const problems: FieldProblem[] = [];
        schedule.jobs.forEach((job, i) =>
          job.allowedEquipment?.forEach((id, k) => {
            if (!known.has(id))
              problems.push({
                path: `schedule.jobs[${i}].allowedEquipment[${k}]`,
                message: `unknown heater ${id} at site ${schedule.site}`,
              });
          }),
        );
        if (problems.length) throw new DomainError(ErrorCode.EQUIPMENT_NOT_FOUND, 'jobs name heaters the site does not have', problems);
        const output: EquipmentOutput = { equipment };
        return recordStep(db, { runId, tenantId: schedule.tenant, step: 'equipment', parents: [intake.hash], output });
      });
    },
  };
}
