import { parseSubmission } from '../../activities/intake/parse.ts';
import type { SolveOptions, WorkBudget } from '../../activities/optimize/solve.ts';
import { assembleProblem, heatersOverHorizon, tariffOverHorizon, type PlanningProblem } from '../../domain/problem.ts';
import type { RunRequestInput } from '../../domain/run-request.ts';
import type { TariffInput } from '../../domain/tariff.ts';

/** A planning problem straight from a request that carries its tariff and heaters (no database). */
export function problemFromRequest(request: RunRequestInput): PlanningProblem {
  const intake = parseSubmission(JSON.stringify(request), 'json');
  if (!intake.supplied.tariff || !intake.supplied.equipment) throw new Error('the request must carry tariff and equipment');
  const tariff = tariffOverHorizon(intake.supplied.tariff, intake.schedule, intake.settings);
  return assembleProblem(intake, tariff, heatersOverHorizon(intake.supplied.equipment, tariff.grid));
}

/**
 * Solve options for a test that asserts what the search finds: it is bounded by work (nodes and
 * neighbourhoods), not by the clock, so that it finds the same plan on a quiet machine and on one
 * whose cores are busy. The time limit is only a safety stop (a plan it cuts short says so in its
 * status and fails the test's figures).
 */
export function byWork(workBudget: WorkBudget = { wholeMilpNodes: 1_000, neighbourhoods: 10, neighbourhoodNodes: 50 }): SolveOptions {
  return { timeLimitSeconds: 100, mipGap: 0, workBudget };
}

/**
 * A small tariff for hand calculation, in UTC: off-peak 0.10 until 08:00, mid-peak 0.20 until
 * 16:00, on-peak 0.40 with a demand charge of 5/kW until midnight.
 */
export const HAND_TARIFF: TariffInput = {
  name: 'Hand ToU',
  timeZone: 'UTC',
  currency: 'USD',
  effectiveDate: '2026-01-01',
  periods: [
    { start: '00:00', end: '08:00', energyRate: 0.1, category: 'off-peak' },
    { start: '08:00', end: '16:00', energyRate: 0.2, category: 'mid-peak' },
    { start: '16:00', end: '00:00', energyRate: 0.4, demandRate: 5, category: 'on-peak' },
  ],
};

/** On the hand-tariff day (Monday 2 March 2026, UTC), the instant at `hh:mm`. */
export const at = (hhmm: string) => `2026-03-02T${hhmm}:00Z`;

/** A job for the hand instances; only what the case varies needs saying. */
export function handJob(id: string, heatingKwh: number, earliest: string, deadline: string, extra: Record<string, unknown> = {}) {
  return { id, product: 'batch', quantity: 1, unit: 'lot', heatingKwh, earliestStart: at(earliest), deadline: at(deadline), ...extra };
}

export function handRequest(
  jobs: ReturnType<typeof handJob>[],
  equipment: RunRequestInput['equipment'],
  settings: RunRequestInput['settings'] = {},
): RunRequestInput {
  return {
    schedule: { tenant: 'test', site: 'hand', scheduleDate: '2026-03-02', timeZone: 'UTC', jobs },
    tariff: HAND_TARIFF,
    equipment,
    settings: { slotMinutes: 60, ...settings },
  };
}
