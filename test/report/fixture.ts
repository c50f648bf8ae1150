import { readFileSync } from 'node:fs';
import { costStatement } from '../../activities/cost/statement.ts';
import type { ChainLink, ReportInput } from '../../activities/report/input.ts';
import { chainHash } from '../../domain/hashing.ts';
import type { OptimizedSchedule } from '../../domain/plan.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import type { RunRequestInput } from '../../domain/run-request.ts';
import { problemFromRequest } from '../support/problem.ts';

const read = (name: string) => readFileSync(new URL(name, import.meta.url), 'utf8');

/** A chain over the fixture's parts, linked like a run's (tariff and equipment share the intake parent). */
function chainOf(problem: PlanningProblem, plan: OptimizedSchedule, cost: unknown): ChainLink[] {
  const link = (step: string, parents: string[], output: unknown) => ({ step, parents, hash: chainHash(parents, step, output) });
  const intake = link('intake', [], { schedule: problem.schedule, settings: problem.settings });
  const tariff = link('tariff', [intake.hash], { tariff: problem.tariff, slots: problem.slots });
  const equipment = link('equipment', [intake.hash], { equipment: problem.equipment });
  const optimize = link('optimize', [tariff.hash, equipment.hash], plan);
  return [intake, tariff, equipment, optimize, link('cost', [optimize.hash], cost)];
}

/** The example plant day with its optimal plan (solved once, deterministic mode, and kept here) and extra settings. */
export function plantDayInput(settings: RunRequestInput['settings'] = {}): ReportInput {
  const request = JSON.parse(read('../../examples/plant-day.json')) as RunRequestInput;
  request.settings = { ...request.settings, ...settings };
  const problem = problemFromRequest(request);
  const plan = JSON.parse(read('./plant-day.plan.json')) as OptimizedSchedule;
  const cost = costStatement(problem, plan);
  return { runId: 'run-plant-day', problem, plan, cost, chain: chainOf(problem, plan, cost) };
}

/** The same day with emission factors and an investment to appraise. */
export const plantDayWithEconomics = () =>
  plantDayInput({
    emissions: { gridKgCo2PerKwh: 0.385, fuelKgCo2PerKwh: { natural_gas: 0.181 } },
    economics: { operatingDaysPerYear: 250, investment: { amount: 150_000, discountRatePercent: 8, lifetimeYears: 10 } },
  });
