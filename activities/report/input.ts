import { DateTime } from 'luxon';
import type { CostStatement, PlanLedger } from '../../domain/cost.ts';
import { div, dec } from '../../domain/decimal.ts';
import type { OptimizedSchedule } from '../../domain/plan.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import { slotStartMs } from '../../domain/slot-grid.ts';

/** One link of the run's hash chain, as stored. */
export interface ChainLink {
  step: string;
  hash: string;
  parents: string[];
}

/** Everything a report is rendered from: verified step outputs and the chain that covers them. */
export interface ReportInput {
  runId: string;
  problem: PlanningProblem;
  plan: OptimizedSchedule;
  cost: CostStatement;
  /** The run's chain up to the cost step, oldest first. */
  chain: ChainLink[];
}

/** Site time of a slot boundary (the horizon's end included), luxon format. */
export const siteTime = (problem: PlanningProblem, slot: number, format = 'yyyy-MM-dd HH:mm') =>
  DateTime.fromMillis(slotStartMs(problem.grid, slot), { zone: problem.grid.timeZone }).toFormat(format);

/** Share of heating electricity drawn in off-peak periods, percent; null without heating electricity. */
export function offPeakShare(ledger: PlanLedger): string | null {
  const total = dec(ledger.totals.electricKwh);
  if (total.isZero()) return null;
  const off = ledger.energyByCategory.find((c) => c.category === 'off-peak')?.kwh ?? '0';
  return div(dec(off).times(100), total).toFixed();
}
