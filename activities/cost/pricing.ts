import type { PlanCost } from '../../domain/cost.ts';
import { electricKwAt, heaterOption } from '../../domain/heating.ts';
import type { Assignment } from '../../domain/plan.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import { demandRates, loadProfile, peakByCategory } from '../../domain/load.ts';
import { demandFloorKw } from '../../domain/settings.ts';
import { PERIOD_CATEGORIES, type PeriodCategory } from '../../domain/tariff.ts';

/** Prices a plan: energy at slot rates, fuel, start-ups, base load, demand charges per category, fixed charges. */
// eslint-disable-next-line max-lines-per-function -- to be split into its phases (issue 10, part 3)
export function pricePlan(problem: PlanningProblem, assignments: Assignment[]): PlanCost {
  const { grid, slots, schedule, equipment, settings } = problem;
  const slotHours = grid.slotMinutes / 60;
  const rates = slots.map((s) => s.energyRate);
  const jobs = new Map(schedule.jobs.map((j) => [j.id, j]));
  const heaters = new Map(equipment.map((e) => [e.id, e]));

  const byCategory = new Map<PeriodCategory, { kwh: number; cost: number }>();
  let electricKwh = 0;
  let electricCost = 0;
  let fuelKwh = 0;
  let fuelCost = 0;
  let startupKwh = 0;
  let startupCost = 0;
  for (const a of assignments) {
    const job = jobs.get(a.jobId);
    const heater = heaters.get(a.equipmentId);
    if (!job) throw new Error(`assignment names unknown job ${a.jobId}`);
    if (!heater) throw new Error(`assignment of ${a.jobId} names unknown heater ${a.equipmentId}`);
    if (a.startSlot < 0 || a.endSlot > grid.slotCount || a.endSlot <= a.startSlot) {
      throw new Error(`assignment of ${a.jobId} runs over slots ${a.startSlot}-${a.endSlot}, outside the grid of ${grid.slotCount}`);
    }
    const eligibility = heaterOption(job, heater, grid, problem.tariff, a.endSlot - a.startSlot);
    if (!eligibility.ok) throw new Error(`assignment of ${a.jobId} to ${a.equipmentId} is not allowed: ${eligibility.reason}`);
    const option = eligibility.option;
    startupKwh += option.startupKwh;
    if (option.fuelPrice !== null) {
      const kwh = option.fuelKw * slotHours * (a.endSlot - a.startSlot);
      fuelKwh += kwh;
      fuelCost += kwh * option.fuelPrice;
      startupCost += option.startupKwh * option.fuelPrice;
    } else {
      startupCost += option.startupKwh * rates[a.startSlot];
      for (let t = a.startSlot; t < a.endSlot; t++) {
        const kwh = electricKwAt(option, t) * slotHours;
        const cost = kwh * rates[t];
        electricKwh += kwh;
        electricCost += cost;
        const entry = byCategory.get(slots[t].category) ?? { kwh: 0, cost: 0 };
        entry.kwh += kwh;
        entry.cost += cost;
        byCategory.set(slots[t].category, entry);
      }
    }
  }

  const baseLoadKwh = settings.baseLoadKw * slotHours * grid.slotCount;
  const baseLoadCost = rates.reduce((sum, r) => sum + settings.baseLoadKw * slotHours * r, 0);
  const load = loadProfile(problem, assignments);
  const peaks = peakByCategory(problem, load);
  const rateByCategory = demandRates(problem);
  const demandCharges = PERIOD_CATEGORIES.filter((c) => peaks.has(c)).map((category) => {
    const peakKw = peaks.get(category)!;
    const rate = rateByCategory.get(category) ?? 0;
    // The billing period's incumbent peak and the ratchet set a floor under the billed demand.
    const billedKw = Math.max(peakKw, demandFloorKw(settings, category));
    return { category, peakKw, billedKw, rate, cost: billedKw * rate };
  });
  const demandCharge = demandCharges.reduce((s, d) => s + d.cost, 0);
  const fixedCharge = problem.fixedCharges.reduce((s, f) => s + f.amount, 0);
  const presentCategories = PERIOD_CATEGORIES.filter((c) => slots.some((s) => s.category === c));
  return {
    energyByCategory: presentCategories.map((category) => ({
      category,
      kwh: byCategory.get(category)?.kwh ?? 0,
      cost: byCategory.get(category)?.cost ?? 0,
    })),
    electricKwh,
    electricCost,
    fuelKwh,
    fuelCost,
    startupKwh,
    startupCost,
    baseLoadKwh,
    baseLoadCost,
    demandCharges,
    demandCharge,
    fixedCharges: problem.fixedCharges,
    fixedCharge,
    peakKw: Math.max(0, ...load),
    total: electricCost + fuelCost + startupCost + baseLoadCost + demandCharge + fixedCharge,
  };
}
