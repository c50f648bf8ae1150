import type { Assignment } from './plan.ts';
import type { PlanningProblem } from './problem.ts';
import type { PeriodCategory } from './tariff.ts';

/** Site electric load per slot: base load plus the electric heaters and heat pumps running. */
export function loadProfile(
  problem: PlanningProblem,
  assignments: Pick<Assignment, 'startSlot' | 'endSlot' | 'electricKw' | 'electricKwBySlot'>[],
): number[] {
  const load = new Array<number>(problem.grid.slotCount).fill(problem.settings.baseLoadKw);
  for (const a of assignments)
    for (let t = a.startSlot; t < a.endSlot; t++) load[t] += a.electricKwBySlot?.[t - a.startSlot] ?? a.electricKw;
  return load;
}

/** Highest load within each tariff category present in the grid: what demand charges bill. */
export function peakByCategory(problem: PlanningProblem, load: number[]): Map<PeriodCategory, number> {
  const peaks = new Map<PeriodCategory, number>();
  load.forEach((kw, t) => {
    const category = problem.slots[t].category;
    peaks.set(category, Math.max(peaks.get(category) ?? 0, kw));
  });
  return peaks;
}

/** The demand rate of each category present in the grid (the highest, should slots disagree). */
export function demandRates(problem: PlanningProblem): Map<PeriodCategory, number> {
  const rates = new Map<PeriodCategory, number>();
  for (const s of problem.slots) rates.set(s.category, Math.max(rates.get(s.category) ?? 0, s.demandRate));
  return rates;
}
