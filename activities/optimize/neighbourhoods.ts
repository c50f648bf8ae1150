import prand from 'pure-rand';
import { PlanState, runEnd, type Run } from '../../domain/plan-state.ts';
import { chosenFromVector, isComplete, planObjective, toColumnVector, type ColumnPlan } from './construct.ts';
import { withModel } from './highs.ts';
import { assembleMilp, columnsByJob, type Milp } from './milp.ts';
import type { SolveState } from './solve.ts';

/** Time limit of one neighbourhood re-optimisation. */
const NEIGHBOURHOOD_SECONDS = 1;
/** Jobs freed per neighbourhood. */
const NEIGHBOURHOOD_JOBS = 16;
/** Neighbourhoods in a row without improvement after which the search stops early. */
const MAX_STALL = 40;
/** …or, in large problems, as many as it takes to free every job about once. */
const maxStall = (jobs: number) => Math.max(MAX_STALL, Math.ceil(jobs / NEIGHBOURHOOD_JOBS));

/** Where neighbourhoods are drawn from: the model, its heaters, the time window's length, and the seeded generator. */
interface Draw {
  milp: Milp;
  heaterIds: string[];
  windowSlots: number;
  slotCount: number;
  int: (lo: number, hi: number) => number;
}

/**
 * Repeatedly frees a neighbourhood of jobs (those running in a random time window, on two random
 * heaters, or picked at random), holds every other job where it is, and solves the small MILP of
 * the freed jobs around them from the current plan. Keeps strict improvements; stops at the
 * deadline or when `maxStall` neighbourhoods in a row bring nothing, or, with a work budget, after
 * its neighbourhoods (each then limited by nodes, the deadline only a safety stop).
 */
export function improveByNeighbourhoods(s: SolveState, start: ColumnPlan): { plan: ColumnPlan; stoppedByClock: boolean } {
  const { problem, milp, budget } = s;
  if (milp.jobs.length < 2) return { plan: start, stoppedByClock: false };
  const rng = prand.xoroshiro128plus(s.seed);
  const draw: Draw = {
    milp,
    heaterIds: problem.equipment.map((e) => e.id),
    windowSlots: Math.max(1, Math.round((4 * 60) / problem.grid.slotMinutes)),
    slotCount: problem.grid.slotCount,
    int: (lo, hi) => prand.unsafeUniformIntDistribution(lo, hi, rng),
  };
  const byJob = columnsByJob(milp, problem.schedule.jobs.length);
  let best = start;
  let stall = 0;
  const stallLimit = maxStall(milp.jobs.length);
  for (let round = 0; stall < stallLimit && (!budget || round < budget.neighbourhoods); round++) {
    const left = (s.deadline - performance.now()) / 1000;
    if (left < 0.1) return { plan: best, stoppedByClock: true };
    const free = [...neighbourhood(draw, round % 3, best)];
    const limits = budget ? { seconds: left, nodes: budget.neighbourhoodNodes } : { seconds: Math.min(NEIGHBOURHOOD_SECONDS, left) };
    const { plan: found, stoppedByClock } = reoptimise(s, best, { free, byJob, ...limits });
    if (budget && stoppedByClock) return { plan: best, stoppedByClock };
    if (found && found.objective < best.objective - 1e-6 * Math.max(1, Math.abs(best.objective))) {
      best = found;
      stall = 0;
      s.improvedTo(best);
    } else stall++;
  }
  return { plan: best, stoppedByClock: false };
}

/** Solves the sub-MILP of the `free` jobs with all others held in place; the full plan it gives, if any. */
function reoptimise(
  s: SolveState,
  plan: ColumnPlan,
  { free, byJob, seconds, nodes }: { free: number[]; byJob: number[][]; seconds: number; nodes?: number },
): { plan: ColumnPlan | null; stoppedByClock: boolean } {
  const { problem, context, milp, highs } = s;
  const isFree = new Set(free);
  const fixed = new PlanState(problem, context.rules);
  for (const j of milp.jobs) {
    if (isFree.has(j)) continue;
    if (plan.chosen[j] >= 0) fixed.place(milp.runs[plan.chosen[j]]);
    else fixed.skip(j);
  }
  const subRuns: Run[] = [];
  const fullColumn: number[] = [];
  const current = new Array<number>(problem.schedule.jobs.length).fill(-1);
  for (const j of free) {
    for (const col of byJob[j]) {
      // Pairwise only: min run time and starts per day depend on the freed jobs together (the model's rows 5, 13).
      if (fixed.conflict(milp.runs[col], { pairwise: true })) continue;
      if (col === plan.chosen[j]) current[j] = subRuns.length;
      subRuns.push(milp.runs[col]);
      fullColumn.push(col);
    }
  }
  const allowSkip = !isComplete(milp, plan);
  const sub = assembleMilp(problem, context, subRuns, free, fixed, allowSkip);
  return withModel(highs, sub, (model) => {
    model.options.set({ output_flag: false, time_limit: seconds, mip_rel_gap: 0, random_seed: 0 });
    if (nodes !== undefined) model.options.set({ mip_max_nodes: nodes });
    model.setSolution({ colValue: toColumnVector(problem, sub, current, fixed) });
    const stoppedByClock = model.run().modelStatus === highs.constants.modelStatus.timeLimit;
    if (Number(model.info.get('primal_solution_status')) !== highs.constants.solutionStatus.feasible) return { plan: null, stoppedByClock };
    const picked = chosenFromVector(sub, problem.schedule.jobs.length, model.getSolution().colValue);
    if (!allowSkip && free.some((j) => picked[j] < 0)) return { plan: null, stoppedByClock };
    const chosen = [...plan.chosen];
    for (const j of free) chosen[j] = picked[j] < 0 ? -1 : fullColumn[picked[j]];
    return { plan: { chosen, objective: planObjective(problem, context, milp, chosen) }, stoppedByClock };
  });
}

/** Job indices to free: kind 0 a time window, 1 two heaters, 2 random jobs; topped up at random. */
function neighbourhood(draw: Draw, kind: number, plan: ColumnPlan): Set<number> {
  const { milp, int } = draw;
  const left = milp.jobs.filter((j) => plan.chosen[j] < 0);
  if (left.length && kind !== 1) return aroundLeftOut(draw, plan, left[int(0, left.length - 1)]);
  const candidates: number[] = [];
  const running = (job: number, test: (run: Run) => boolean) => plan.chosen[job] >= 0 && test(milp.runs[plan.chosen[job]]);
  if (kind === 0) {
    const from = int(0, Math.max(0, draw.slotCount - draw.windowSlots));
    for (const job of milp.jobs) if (running(job, (r) => r.start < from + draw.windowSlots && runEnd(r) > from)) candidates.push(job);
  } else if (kind === 1 && draw.heaterIds.length > 1) {
    const a = draw.heaterIds[int(0, draw.heaterIds.length - 1)];
    const b = draw.heaterIds[int(0, draw.heaterIds.length - 1)];
    for (const job of milp.jobs) if (running(job, (r) => r.option.equipmentId === a || r.option.equipmentId === b)) candidates.push(job);
  }
  // Keep at most NEIGHBOURHOOD_JOBS of the candidates, at random, and top up with random jobs.
  shuffle(candidates, int);
  const free = new Set(candidates.slice(0, NEIGHBOURHOOD_JOBS));
  const count = milp.jobs.length;
  const target = Math.min(count, Math.max(2, Math.min(NEIGHBOURHOOD_JOBS, Math.ceil(count / 2))));
  while (free.size < target) free.add(milp.jobs[int(0, count - 1)]);
  return free;
}

/** A plan with jobs left out: one of them, with (at random) the jobs running in its window. */
function aroundLeftOut({ milp, int }: Draw, plan: ColumnPlan, job: number): Set<number> {
  const runs = milp.runs.filter((r) => r.jobIndex === job);
  const from = runs.reduce((min, r) => Math.min(min, r.start), Infinity);
  const to = runs.reduce((max, r) => Math.max(max, runEnd(r)), 0);
  const candidates: number[] = [];
  for (const j of milp.jobs) {
    const col = plan.chosen[j];
    if (col >= 0 && milp.runs[col].start < to && runEnd(milp.runs[col]) > from) candidates.push(j);
  }
  shuffle(candidates, int);
  return new Set([job, ...candidates.slice(0, NEIGHBOURHOOD_JOBS - 1)]);
}

function shuffle(items: number[], int: (lo: number, hi: number) => number) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = int(0, i);
    [items[i], items[j]] = [items[j], items[i]];
  }
}
