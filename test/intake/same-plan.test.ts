import { describe, expect, it } from 'vitest';
import { toIntakeOutput } from '../../activities/intake/parse.ts';
import { solvePlan } from '../../activities/optimize/solve.ts';
import { assembleProblem, heatersOverHorizon, tariffOverHorizon } from '../../domain/problem.ts';
import { SettingsSchema } from '../../domain/settings.ts';
import { TariffSchema } from '../../domain/tariff.ts';
import { SEED_TARIFF } from '../../examples/generate.ts';
import { planViolations } from '../support/plan-check.ts';
import { fixture, read, SAME_DAY_HEATERS } from './support.ts';

const TARIFF = TariffSchema.parse(SEED_TARIFF);
const SETTINGS = SettingsSchema.parse({ deterministic: true, solverTimeLimitSeconds: 30, mipGap: 0 });

async function planFor(name: string) {
  const { request } = await read(fixture(name), name);
  const intake = { ...toIntakeOutput(request), settings: SETTINGS };
  const tariff = tariffOverHorizon(TARIFF, intake.schedule, intake.settings);
  const problem = assembleProblem(intake, tariff, heatersOverHorizon(SAME_DAY_HEATERS, tariff.grid));
  const plan = await solvePlan(problem, { timeLimitSeconds: SETTINGS.solverTimeLimitSeconds, mipGap: 0 });
  expect(planViolations(problem, plan.assignments, plan.unscheduled)).toEqual([]);
  return plan;
}

describe('the same day in every format', () => {
  it('gives the same plan', async () => {
    const names = ['same-day.json', 'same-day.legacy.json', 'same-day.eu.csv', 'same-day.xlsx', 'same-day.xml', 'same-day.dto.json'];
    const plans = [];
    for (const name of names) plans.push(await planFor(name));
    const [first] = plans;
    expect(first.unscheduled).toEqual([]);
    expect(first.assignments).toHaveLength(7);
    for (const plan of plans.slice(1)) {
      expect(plan.assignments).toEqual(first.assignments);
      expect(plan.solver.objective).toBe(first.solver.objective);
    }
  });
});
