import { jobPlacements, toAssignment, type HeaterOption, type JobPlacements } from './heating.ts';
import type { Assignment, UnscheduledJob } from './plan.ts';
import type { PlanningProblem } from './problem.ts';

/**
 * The plan a plant runs without HeatScheduler: jobs by priority, then earliest start, then id;
 * each as early as possible on the eligible heater that can start it first (registry order breaks
 * ties), keeping heaters to one job at a time and the site under its contractual peak.
 * Tariffs play no part.
 */
export function fifoBaseline(
  problem: PlanningProblem,
  placements: JobPlacements[] = jobPlacements(problem.schedule.jobs, problem.equipment, problem.grid, problem.tariff),
): { assignments: Assignment[]; unscheduled: UnscheduledJob[] } {
  const { grid, settings } = problem;
  const rates = problem.slots.map((s) => s.energyRate);
  const order = [...placements].sort(
    (a, b) => a.job.priority - b.job.priority || a.job.earliestStart.localeCompare(b.job.earliestStart) || a.job.id.localeCompare(b.job.id),
  );
  const heaterRank = new Map(problem.equipment.map((e, i) => [e.id, i]));
  const busy = new Map(problem.equipment.map((e) => [e.id, new Array<boolean>(grid.slotCount).fill(false)]));
  const load = new Array<number>(grid.slotCount).fill(settings.baseLoadKw);
  const limit = settings.peakLimitKw ?? Infinity;

  const fits = (option: HeaterOption, start: number) => {
    const slots = busy.get(option.equipmentId)!;
    for (let t = start; t < start + option.durationSlots; t++) {
      if (slots[t] || load[t] + option.electricKw > limit + 1e-9) return false;
    }
    return true;
  };

  const assignments: Assignment[] = [];
  const unscheduled: UnscheduledJob[] = [];
  for (const { job, placements, excluded } of order) {
    let best: { option: HeaterOption; start: number } | undefined;
    for (const { option, starts } of placements) {
      const start = starts.find((s) => fits(option, s));
      if (start === undefined) continue;
      if (!best || start < best.start || (start === best.start && heaterRank.get(option.equipmentId)! < heaterRank.get(best.option.equipmentId)!)) {
        best = { option, start };
      }
    }
    if (!best) {
      const reasons = Object.entries(excluded).map(([id, why]) => `${id}: ${why}`);
      if (placements.length) reasons.push(`${placements.map((p) => p.option.equipmentId).join(', ')}: busy or over the peak limit throughout the window`);
      unscheduled.push({ jobId: job.id, reason: reasons.join('; ') || 'no eligible heater' });
      continue;
    }
    const { option, start } = best;
    for (let t = start; t < start + option.durationSlots; t++) {
      busy.get(option.equipmentId)![t] = true;
      load[t] += option.electricKw;
    }
    assignments.push(toAssignment(option, start, grid, rates));
  }
  assignments.sort((a, b) => a.startSlot - b.startSlot || a.jobId.localeCompare(b.jobId));
  return { assignments, unscheduled };
}
