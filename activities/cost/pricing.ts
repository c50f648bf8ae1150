import type { PlanCost } from '../../domain/cost.ts';
import type { Equipment } from '../../domain/equipment.ts';
import { electricKwAt, heaterOption, type HeaterOption } from '../../domain/heating.ts';
import type { Assignment } from '../../domain/plan.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import type { Job } from '../../domain/schedule.ts';
import { dailyPeaks, demandChargeLines } from '../../domain/demand-model.ts';
import { loadProfile } from '../../domain/load.ts';
import { PERIOD_CATEGORIES, type PeriodCategory } from '../../domain/tariff.ts';

/** Prices a plan: energy at slot rates, fuel, start-ups, base load, what it adds to the demand charges, fixed charges. */
export function pricePlan(problem: PlanningProblem, assignments: Assignment[]): PlanCost {
  const energy = priceEnergy(problem, assignments);
  const baseLoad = priceBaseLoad(problem);
  const demand = priceDemand(problem, assignments);
  const fixedCharge = problem.fixedCharges.reduce((s, f) => s + f.amount, 0);
  const presentCategories = PERIOD_CATEGORIES.filter((c) => problem.slots.some((s) => s.category === c));
  return {
    energyByCategory: presentCategories.map((category) => ({
      category,
      kwh: energy.byCategory.get(category)?.kwh ?? 0,
      cost: energy.byCategory.get(category)?.cost ?? 0,
    })),
    electricKwh: energy.electricKwh,
    electricCost: energy.electricCost,
    fuelKwh: energy.fuelKwh,
    fuelCost: energy.fuelCost,
    startupKwh: energy.startupKwh,
    startupCost: energy.startupCost,
    baseLoadKwh: baseLoad.kwh,
    baseLoadCost: baseLoad.cost,
    demandCharges: demand.charges,
    demandCharge: demand.total,
    fixedCharges: problem.fixedCharges,
    fixedCharge,
    peakKw: demand.peakKw,
    dailyPeaks: demand.dailyPeaks,
    total: energy.electricCost + energy.fuelCost + energy.startupCost + baseLoad.cost + demand.total + fixedCharge,
  };
}

/** Energy the heaters use, summed in assignment order: electricity per slot (and per category), fuel, start-ups. */
class EnergyTotals {
  readonly byCategory = new Map<PeriodCategory, { kwh: number; cost: number }>();
  electricKwh = 0;
  electricCost = 0;
  fuelKwh = 0;
  fuelCost = 0;
  startupKwh = 0;
  startupCost = 0;

  constructor(private readonly problem: PlanningProblem) {}

  add(a: Assignment, option: HeaterOption): void {
    const { grid, slots } = this.problem;
    const slotHours = grid.slotMinutes / 60;
    this.startupKwh += option.startupKwh;
    if (option.fuelPrice !== null) {
      const kwh = option.fuelKw * slotHours * (a.endSlot - a.startSlot);
      this.fuelKwh += kwh;
      this.fuelCost += kwh * option.fuelPrice;
      this.startupCost += option.startupKwh * option.fuelPrice;
      return;
    }
    this.startupCost += option.startupKwh * slots[a.startSlot].energyRate;
    for (let t = a.startSlot; t < a.endSlot; t++) {
      const kwh = electricKwAt(option, t) * slotHours;
      const cost = kwh * slots[t].energyRate;
      this.electricKwh += kwh;
      this.electricCost += cost;
      const entry = this.byCategory.get(slots[t].category) ?? { kwh: 0, cost: 0 };
      entry.kwh += kwh;
      entry.cost += cost;
      this.byCategory.set(slots[t].category, entry);
    }
  }
}

function priceEnergy(problem: PlanningProblem, assignments: Assignment[]): EnergyTotals {
  const jobs = new Map(problem.schedule.jobs.map((j) => [j.id, j]));
  const heaters = new Map(problem.equipment.map((e) => [e.id, e]));
  const totals = new EnergyTotals(problem);
  for (const a of assignments) totals.add(a, allowedOption(problem, a, jobs.get(a.jobId), heaters.get(a.equipmentId)));
  return totals;
}

/** The heater option an assignment runs on; an assignment outside the grid or the job's rules is refused. */
function allowedOption(problem: PlanningProblem, a: Assignment, job: Job | undefined, heater: Equipment | undefined): HeaterOption {
  const { grid } = problem;
  if (!job) throw new Error(`assignment names unknown job ${a.jobId}`);
  if (!heater) throw new Error(`assignment of ${a.jobId} names unknown heater ${a.equipmentId}`);
  if (a.startSlot < 0 || a.endSlot > grid.slotCount || a.endSlot <= a.startSlot) {
    throw new Error(`assignment of ${a.jobId} runs over slots ${a.startSlot}-${a.endSlot}, outside the grid of ${grid.slotCount}`);
  }
  const eligibility = heaterOption(job, heater, grid, problem.tariff, a.endSlot - a.startSlot);
  if (!eligibility.ok) throw new Error(`assignment of ${a.jobId} to ${a.equipmentId} is not allowed: ${eligibility.reason}`);
  return eligibility.option;
}

/** The site's other load over the whole horizon, at each slot's rate. */
function priceBaseLoad({ settings, grid, slots }: PlanningProblem): { kwh: number; cost: number } {
  const slotHours = grid.slotMinutes / 60;
  return {
    kwh: settings.baseLoadKw * slotHours * grid.slotCount,
    cost: slots.reduce((sum, s) => sum + settings.baseLoadKw * slotHours * s.energyRate, 0),
  };
}

/** Each demand charge per billing period on its interval averages; the plan pays only what it raises above the period's floor. */
function priceDemand(problem: PlanningProblem, assignments: Assignment[]) {
  const load = loadProfile(problem, assignments);
  const charges = demandChargeLines(problem.demand, load);
  return {
    charges,
    total: charges.reduce((s, d) => s + d.cost, 0),
    peakKw: Math.max(0, ...load),
    dailyPeaks: dailyPeaks(problem.demand, load),
  };
}
