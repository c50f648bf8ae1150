import type { HeaterOption } from '../../domain/heating.ts';
import { pointOf } from '../../domain/placements.ts';
import { PlanState } from '../../domain/plan-state.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import { isComplete, planObjective, type ColumnPlan } from './construct.ts';
import { columnFinder, type Milp, type ModelContext } from './milp.ts';
import { tabuSearch, type ShopProblem, type ShopSchedule, type TabuOptions } from './tabu.ts';

/** A complete plan as a shop: its heaters and run lengths kept, its order on each heater free. */
interface PlanShop {
  shop: ShopProblem;
  /** The problem job of each operation, and the run option it keeps. */
  jobs: number[];
  options: HeaterOption[];
  /** The plan's own order on each heater. */
  sequences: number[][];
}

/**
 * The disjunctive graph of a complete plan (MODEL.md, "Production mode"): one operation per job on
 * the heater the plan gave it, the job's allowed starts on that heater, precedence as start-to-start
 * delays, and the off time and changeovers as gaps between neighbours. Null for an incomplete plan
 * or one on a heater that stacks jobs (no sequence there).
 */
export function shopOfPlan(problem: PlanningProblem, context: ModelContext, milp: Milp, plan: ColumnPlan): PlanShop | null {
  if (!isComplete(milp, plan)) return null;
  const { rules } = context;
  const jobs = milp.jobs;
  const options = jobs.map((j) => milp.runs[plan.chosen[j]].option);
  if (options.some((o) => rules.stacking.get(o.equipmentId) != null)) return null;
  const heaterIndex = new Map(problem.equipment.map((e, i) => [e.id, i]));
  const operations = jobs.map((j, v) => ({
    machine: heaterIndex.get(options[v].equipmentId)!,
    duration: options[v].durationSlots,
    starts: context.placements[j].placements.find((p) => p.option === options[v])!.starts,
  }));
  const operationOf = new Map(jobs.map((j, v) => [j, v]));
  const arcs = rules.edges
    .filter((e) => operationOf.has(e.from) && operationOf.has(e.to))
    .map((e) => {
      const [from, to] = [operationOf.get(e.from)!, operationOf.get(e.to)!];
      const delay = pointOf(e.fromPoint, 0, operations[from].duration) + e.lagSlots - pointOf(e.toPoint, 0, operations[to].duration);
      return { from, to, delay };
    });
  // Only families named in a changeover need their own index: all others share one (their gap is the off time).
  const named = new Set(problem.equipment.flatMap((h) => h.changeovers.flatMap((c) => [c.fromFamily, c.toFamily])));
  const familyNames = [...new Set(rules.families.filter((f) => named.has(f)))];
  const familyIndex = new Map(familyNames.map((f, i) => [f, i]));
  familyNames.push('\u0000any other family');
  const gap = problem.equipment.map((h) => familyNames.map((from) => familyNames.map((to) => rules.gapSlots(h.id, from, to))));
  const sequences: number[][] = problem.equipment.map(() => []);
  for (const v of operations.keys()) sequences[operations[v].machine].push(v);
  for (const seq of sequences) seq.sort((a, b) => milp.runs[plan.chosen[jobs[a]]].start - milp.runs[plan.chosen[jobs[b]]].start);
  const families = jobs.map((j) => familyIndex.get(rules.families[j]) ?? familyNames.length - 1);
  const shop: ShopProblem = { operations, machineCount: problem.equipment.length, arcs, families, gap, objective: 'makespan' };
  return { shop, jobs, options, sequences };
}

/**
 * The shop's schedule as a plan of the model's columns, or null when one of its runs is not in the
 * model or breaks a rule the shop does not see (starts per day, the peak limit, a changeover to a
 * job that is not the heater's next one).
 */
function planOfSchedule(
  problem: PlanningProblem,
  context: ModelContext,
  milp: Milp,
  ps: PlanShop,
  schedule: ShopSchedule,
): ColumnPlan | null {
  if (schedule.score.overrun > 0) return null;
  const columnOf = columnFinder(milp);
  const chosen = new Array<number>(problem.schedule.jobs.length).fill(-1);
  const state = new PlanState(problem, context.rules);
  const order = [...ps.jobs.keys()].sort((a, b) => schedule.starts[a] - schedule.starts[b]);
  for (const v of order) {
    const col = columnOf(ps.jobs[v], ps.options[v].equipmentId, schedule.starts[v], ps.options[v].durationSlots);
    if (col === undefined || state.conflict(milp.runs[col], { pairwise: true })) return null;
    state.place(milp.runs[col]);
    chosen[ps.jobs[v]] = col;
  }
  if (state.stateViolation()) return null;
  return { chosen, objective: planObjective(problem, context, milp, chosen) };
}

export interface SequenceSearch {
  /** The better plan found, or null (none better, or the search's schedule broke a rule outside the shop). */
  plan: ColumnPlan | null;
  iterations: number;
  stoppedByClock: boolean;
  makespanSlots: { from: number; to: number };
  /** The makespan no plan can beat (every job has one possible heater and run length), in slots, or null. */
  lowerBound: number | null;
}

/** Tabu search (tabu.ts) on the heaters' order of a complete makespan plan; null when the plan has no shop. */
export function improveSequences(
  problem: PlanningProblem,
  context: ModelContext,
  milp: Milp,
  plan: ColumnPlan,
  options: TabuOptions,
): SequenceSearch | null {
  const ps = shopOfPlan(problem, context, milp, plan);
  if (!ps) return null;
  const initial = tabuSearch(ps.shop, ps.sequences, { ...options, iterations: 0 });
  const result = tabuSearch(ps.shop, ps.sequences, options);
  if (!initial || !result) return null;
  const found = planOfSchedule(problem, context, milp, ps, result.best);
  return {
    plan: found && found.objective < plan.objective - 1e-9 ? found : null,
    iterations: result.iterations,
    stoppedByClock: result.stoppedByClock,
    makespanSlots: { from: initial.best.score.makespan, to: result.best.score.makespan },
    lowerBound: hasOneRunShape(context, milp) ? result.lowerBound : null,
  };
}

/** Whether the shop is the whole problem: every job has one heater and run length, and every start is in the model. */
function hasOneRunShape(context: ModelContext, milp: Milp): boolean {
  return !context.restricted && milp.jobs.every((j) => context.placements[j].placements.length === 1);
}
