import type { PlanLedger, Projection, SavingsCause } from '../../domain/cost.ts';
import type { OptimizedSchedule } from '../../domain/plan.ts';
import { siteTime, type ReportInput } from './input.ts';
import type { Narrative } from './narrative.ts';
import { reportWarnings, type ReportWarning } from './warnings.ts';

export interface ReportRow {
  jobId: string;
  product: string;
  priority: number;
  equipmentId: string;
  equipmentName: string;
  start: string;
  end: string;
  thermalKw: number;
  electricKw: number;
  fuelKw: number;
  period: string;
  /** The run's energy and start-up, exact (the cost statement's line). */
  cost: string;
}

/**
 * The run report: everything a planner reads, in the site's local time, every money figure the
 * cost statement's exact decimal. No clock time, so it hashes the same on every machine.
 */
export interface ReportDocument {
  tenant: string;
  site: string;
  scheduleDate: string;
  timeZone: string;
  horizonDays: number;
  currency: string;
  tariffName: string;
  jobsCount: number;
  rows: ReportRow[];
  unscheduled: { jobId: string; reason: string }[];
  peakLimitKw: number | null;
  /** Each demand charge per billing period: the floor before this plan and where it comes from, what the plan adds. */
  demand: DemandChargeSummary[];
  optimized: PlanLedger['totals'];
  baseline: PlanLedger['totals'];
  savings: { amount: string; percent: string | null; byCause: { cause: SavingsCause; amount: string }[] };
  emissions: { optimizedKgCo2: string; baselineKgCo2: string; complete: boolean } | null;
  projection: Projection;
  solver: OptimizedSchedule['solver'];
  narrative: Narrative;
  warnings: ReportWarning[];
  costHash: string;
}

export interface DemandChargeSummary {
  label: string;
  billingPeriodStart: string;
  floorKw: string;
  /** Where the floor comes from, in words, and how it was found. */
  floorFrom: string;
  billedKw: string;
  rate: string;
  /** What the plan and the baseline add to the period's charge (rate × the kW each raises it by). */
  planAdds: string;
  baselineAdds: string;
  periodCharge: string;
}

const FLOOR_SOURCES: Record<PlanLedger['demand'][number]['floorSource'], string> = {
  metered: 'the meter',
  earlier_runs: "the site's earlier runs",
  'metered+earlier_runs': "the meter and the site's earlier runs",
  'settings.incumbentPeakKw': 'settings.incumbentPeakKw',
  none: 'no earlier peak',
};

function demandSummaries({ optimized, baseline }: ReportInput['cost']): DemandChargeSummary[] {
  const baselineAdds = new Map(baseline.demand.map((d) => [d.key, d.cost]));
  return optimized.demand.map((d) => ({
    label: d.label,
    billingPeriodStart: d.billingPeriod.start,
    floorKw: d.floorKw,
    floorFrom: `${FLOOR_SOURCES[d.floorSource]} (${d.floorDetail})`,
    billedKw: d.billedKw,
    rate: d.rate,
    planAdds: d.cost,
    baselineAdds: baselineAdds.get(d.key) ?? '0',
    periodCharge: d.periodCharge,
  }));
}

export function buildReportDocument(input: ReportInput, narrative: Narrative, costHash: string): ReportDocument {
  const { problem, plan, cost } = input;
  const { schedule } = problem;
  const jobs = new Map(schedule.jobs.map((j) => [j.id, j]));
  const heaters = new Map(problem.equipment.map((e) => [e.id, e]));
  const runCost = new Map(cost.optimized.runs.map((r) => [r.jobId, r.cost]));
  const rows = plan.assignments.map((a) => ({
    jobId: a.jobId,
    product: jobs.get(a.jobId)!.product,
    priority: jobs.get(a.jobId)!.priority,
    equipmentId: a.equipmentId,
    equipmentName: heaters.get(a.equipmentId)!.name,
    start: siteTime(problem, a.startSlot),
    end: siteTime(problem, a.endSlot),
    thermalKw: a.thermalKw,
    electricKw: a.electricKw,
    fuelKw: a.fuelKw,
    period: problem.slots[a.startSlot].category,
    cost: runCost.get(a.jobId)!,
  }));
  const { emissions } = cost;
  return {
    tenant: schedule.tenant,
    site: schedule.site,
    scheduleDate: schedule.scheduleDate,
    timeZone: problem.grid.timeZone,
    horizonDays: schedule.horizonDays,
    currency: cost.currency,
    tariffName: problem.tariff.name,
    jobsCount: schedule.jobs.length,
    rows,
    unscheduled: plan.unscheduled,
    peakLimitKw: problem.settings.peakLimitKw ?? null,
    demand: demandSummaries(cost),
    optimized: cost.optimized.totals,
    baseline: cost.baseline.totals,
    savings: {
      amount: cost.savings.amount,
      percent: cost.savings.percent,
      byCause: cost.savings.byCause.map(({ cause, amount }) => ({ cause, amount })),
    },
    emissions: emissions && {
      optimizedKgCo2: emissions.optimized.kgCo2,
      baselineKgCo2: emissions.baseline.kgCo2,
      complete: emissions.optimized.complete,
    },
    projection: cost.projection,
    solver: plan.solver,
    narrative,
    warnings: reportWarnings(input),
    costHash,
  };
}
