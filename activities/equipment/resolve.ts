import { withForecastCop } from '../../domain/efficiency-curves.ts';
import type { Equipment } from '../../domain/equipment.ts';
import { DomainError, ErrorCode, type FieldProblem } from '../../domain/errors.ts';
import { heatersOverHorizon, type EquipmentOutput } from '../../domain/problem.ts';
import type { IntakeOutput } from '../../domain/run-request.ts';
import { buildSlotGrid, type SlotGrid } from '../../domain/slot-grid.ts';

/** The slot grid of the request's horizon (the window whose unavailability matters). */
export function requestHorizon({ schedule, settings }: IntakeOutput): SlotGrid {
  return buildSlotGrid(schedule.scheduleDate, schedule.timeZone, schedule.horizonDays, settings.slotMinutes);
}

/**
 * The heaters in the request (what the planner says the site has today), else the site's
 * registered ones (already clipped to the horizon), heat pumps' COP windows from the outdoor temperature
 * forecast; E007 when there are none or jobs name others.
 */
export function resolveEquipment(request: IntakeOutput, registered: Equipment[]): EquipmentOutput {
  const { schedule, supplied } = request;
  const grid = requestHorizon(request);
  const { equipment: heaters } = supplied.equipment ? heatersOverHorizon(supplied.equipment, grid) : { equipment: registered };
  // COP from the forecast where the user gave no efficiency window of their own.
  const equipment = heaters.map((h) => withForecastCop(h, request.settings.outdoorTemperature, grid.startUtc, grid.endUtc));
  if (equipment.length === 0) {
    throw new DomainError(ErrorCode.EQUIPMENT_NOT_FOUND, `no heaters registered for tenant ${schedule.tenant}, site ${schedule.site}`);
  }
  const known = new Set(equipment.map((e) => e.id));
  const problems: FieldProblem[] = [];
  schedule.jobs.forEach((job, i) =>
    job.allowedEquipment?.forEach((id, k) => {
      if (!known.has(id)) {
        problems.push({ path: `schedule.jobs[${i}].allowedEquipment[${k}]`, message: `unknown heater ${id} at site ${schedule.site}` });
      }
    }),
  );
  if (problems.length) throw new DomainError(ErrorCode.EQUIPMENT_NOT_FOUND, 'jobs name heaters the site does not have', problems);
  return { equipment };
}
