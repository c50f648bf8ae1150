import { DateTime } from 'luxon';
import type { CostAnalysis, PlanCost } from '../../domain/cost.ts';
import type { OptimizedSchedule } from '../../domain/plan.ts';
import type { PlanningProblem } from '../../domain/problem.ts';

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
  energyCost: number;
}

/** The run report: everything a planner reads, in the site's local time. No run id or clock time, so it hashes the same on every machine. */
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
  peakKw: number;
  baselinePeakKw: number;
  peakLimitKw: number | null;
  optimized: PlanCost;
  baseline: PlanCost;
  savings: { amount: number; percent: number };
  solver: OptimizedSchedule['solver'];
  highlights: string[];
  costHash: string;
}

export function buildReportDocument(
  problem: PlanningProblem,
  plan: OptimizedSchedule,
  cost: CostAnalysis,
  costHash: string,
): ReportDocument {
  const { schedule, grid, slots } = problem;
  const jobs = new Map(schedule.jobs.map((j) => [j.id, j]));
  const heaters = new Map(problem.equipment.map((e) => [e.id, e]));
  const local = (iso: string) => DateTime.fromISO(iso, { zone: grid.timeZone }).toFormat('yyyy-MM-dd HH:mm');
  const rows = plan.assignments.map((a) => ({
    jobId: a.jobId,
    product: jobs.get(a.jobId)!.product,
    priority: jobs.get(a.jobId)!.priority,
    equipmentId: a.equipmentId,
    equipmentName: heaters.get(a.equipmentId)!.name,
    start: local(a.start),
    end: local(a.end),
    thermalKw: a.thermalKw,
    electricKw: a.electricKw,
    fuelKw: a.fuelKw,
    period: slots[a.startSlot].category,
    energyCost: a.energyCost,
  }));
  return {
    tenant: schedule.tenant,
    site: schedule.site,
    scheduleDate: schedule.scheduleDate,
    timeZone: grid.timeZone,
    horizonDays: schedule.horizonDays,
    currency: cost.currency,
    tariffName: problem.tariff.name,
    jobsCount: schedule.jobs.length,
    rows,
    unscheduled: plan.unscheduled,
    peakKw: cost.optimized.peakKw,
    baselinePeakKw: cost.baseline.peakKw,
    peakLimitKw: problem.settings.peakLimitKw ?? null,
    optimized: cost.optimized,
    baseline: cost.baseline,
    savings: cost.savings,
    solver: plan.solver,
    highlights: highlights(cost),
    costHash,
  };
}

const floorSources: Record<PlanCost['demandCharges'][number]['floorSource'], string> = {
  metered: 'the meter',
  earlier_runs: "the site's earlier runs",
  'metered+earlier_runs': "the meter and the site's earlier runs",
  'settings.incumbentPeakKw': 'settings.incumbentPeakKw',
  none: 'no earlier peak',
};

/** Plain statements computed from the figures; no wording model, no invented numbers. */
function highlights(cost: CostAnalysis): string[] {
  const money = (x: number) => `${cost.currency} ${x.toFixed(2)}`;
  const offPeakShare = (c: PlanCost) => {
    const total = c.energyByCategory.reduce((s, e) => s + e.kwh, 0);
    const off = c.energyByCategory.find((e) => e.category === 'off-peak')?.kwh ?? 0;
    return total > 0 ? (100 * off) / total : 0;
  };
  const out = [
    `The optimised plan costs ${money(cost.optimized.total)} against ${money(cost.baseline.total)} for first-come-first-served: ${money(cost.savings.amount)} (${cost.savings.percent.toFixed(1)} %) saved.`,
    `Peak electric demand ${cost.optimized.peakKw.toFixed(1)} kW (baseline ${cost.baseline.peakKw.toFixed(1)} kW); the plan adds ${money(cost.optimized.demandCharge)} to the billing period's demand charges (baseline ${money(cost.baseline.demandCharge)}).`,
    ...cost.optimized.demandCharges.map(
      (d) =>
        `Demand charge "${d.label}", billing period from ${d.billingPeriod.start}: ${d.floorKw.toFixed(1)} kW before this plan, from ${floorSources[d.floorSource]} (${d.floorDetail}); ${d.billedKw.toFixed(1)} kW with it; ${money(d.periodCharge)} for the period at ${money(d.rate)} per kW.`,
    ),
  ];
  if (cost.optimized.electricKwh > 0) {
    out.push(
      `${offPeakShare(cost.optimized).toFixed(0)} % of heating electricity falls in off-peak periods (baseline ${offPeakShare(cost.baseline).toFixed(0)} %).`,
    );
  }
  if (cost.excludedFromBoth.length) {
    out.push(
      `${cost.excludedFromBoth.length} job(s) could not be placed (${cost.excludedFromBoth.join(', ')}); both plans are priced without them.`,
    );
  }
  if (cost.baselineUnscheduled.length) out.push(`The baseline could not place ${cost.baselineUnscheduled.length} job(s) at all.`);
  return out;
}
