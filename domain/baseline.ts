import { toAssignment, type HeaterOption } from './heating.ts';
import { jobPlacements, topologicalOrder, type JobPlacements } from './placements.ts';
import type { Assignment, UnscheduledJob } from './plan.ts';
import { blockedReason, PlanState } from './plan-state.ts';
import type { PlanningProblem } from './problem.ts';

/**
 * The plan a plant runs without HeatScheduler: jobs by priority, then earliest start, then id
 * (predecessors first); each as early as possible on the eligible heater that can start it first
 * (registry order breaks ties), keeping every operating rule (one job per heater, off times,
 * changeovers, starts per day, shifts, locks, precedence, the contractual peak). Tariffs play no part.
 */
export function fifoBaseline(
  problem: PlanningProblem,
  placements: JobPlacements[] = jobPlacements(problem),
): { assignments: Assignment[]; unscheduled: UnscheduledJob[] } {
  const { grid } = problem;
  const rates = problem.slots.map((s) => s.energyRate);
  const state = new PlanState(problem);
  const jobs = placements.map((p) => p.job);
  const order = topologicalOrder(
    jobs.length,
    state.rules.edges,
    (a, b) =>
      jobs[a].priority - jobs[b].priority ||
      jobs[a].earliestStart.localeCompare(jobs[b].earliestStart) ||
      jobs[a].id.localeCompare(jobs[b].id),
  );
  const heaterRank = new Map(problem.equipment.map((e, i) => [e.id, i]));

  const assignments: Assignment[] = [];
  const unscheduled: UnscheduledJob[] = [];
  for (const jobIndex of order) {
    const { job, placements: options, excluded } = placements[jobIndex];
    let best: { option: HeaterOption; start: number } | undefined;
    for (const { option, starts } of options) {
      const start = state.firstFit(jobIndex, option, starts);
      if (start === undefined) continue;
      if (
        !best ||
        start < best.start ||
        (start === best.start && heaterRank.get(option.equipmentId)! < heaterRank.get(best.option.equipmentId)!)
      ) {
        best = { option, start };
      }
    }
    if (!best) {
      const reasons = Object.entries(excluded).map(([id, why]) => `${id}: ${why}`);
      if (options.length)
        reasons.push(
          blockedReason(
            state,
            options.flatMap(({ option, starts }) => starts.map((start) => ({ jobIndex, option, start }))),
          ),
        );
      unscheduled.push({ jobId: job.id, reason: reasons.join('; ') || 'no eligible heater' });
      state.skip(jobIndex);
      continue;
    }
    state.place({ jobIndex, ...best });
    assignments.push(toAssignment(best.option, best.start, grid, rates));
  }
  assignments.sort((a, b) => a.startSlot - b.startSlot || a.jobId.localeCompare(b.jobId));
  return { assignments, unscheduled };
}
