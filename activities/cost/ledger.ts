import { efficiencyWindowAt, partLoadEfficiency } from '../../domain/efficiency-curves.ts';
import type { PlanLedger, RunCost } from '../../domain/cost.ts';
import { dec, type Dec, div, maxOf, mul, stored, sumOf } from '../../domain/decimal.ts';
import { isElectric, type Equipment, type FuelType } from '../../domain/equipment.ts';
import { hasHeaterState, runStates, stateRules, type RunState } from '../../domain/heater-state.ts';
import { fuelPriceFor, heaterOption } from '../../domain/heating.ts';
import type { Assignment } from '../../domain/plan.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import type { Job } from '../../domain/schedule.ts';
import { dailyPeaks } from '../../domain/demand-model.ts';
import { slotStartMs } from '../../domain/slot-grid.ts';
import { PERIOD_CATEGORIES } from '../../domain/tariff.ts';
import { demandLines, fixedChargeLines } from './site-charges.ts';

/** What the ledger needs of an assignment: which job runs on which heater over which slots. */
export type PlacedRun = Pick<Assignment, 'jobId' | 'equipmentId' | 'startSlot' | 'endSlot'>;

/** Looks up the problem's jobs and heaters once for a whole plan. */
export interface Ledger {
  problem: PlanningProblem;
  jobs: Map<string, Job>;
  heaters: Map<string, Equipment>;
}

export function ledgerFor(problem: PlanningProblem): Ledger {
  return {
    problem,
    jobs: new Map(problem.schedule.jobs.map((j) => [j.id, j])),
    heaters: new Map(problem.equipment.map((e) => [e.id, e])),
  };
}

/** A priced run and its electric draw per slot of the run (kWh), for the load profile. */
export interface PricedRun {
  run: RunCost;
  drawKwh: Dec[];
}

/**
 * Prices one run from the inputs, not from the optimiser's floating-point powers: the job's heat
 * spread evenly over its slots; electricity = heat of the slot / efficiency in force × the slot's
 * rate; fuel = heat / efficiency × fuel price; its cold start, if it makes one (`state`, default: it
 * does), at the fuel price or the first slot's rate; the hot standby before it at its slots' rates.
 */
export function priceRun(ledger: Ledger, a: PlacedRun, state: RunState = { coldStart: true, standby: null }): PricedRun {
  const { job, heater } = checkedRun(ledger, a);
  const { problem } = ledger;
  const heat = dec(job.heatingKwh);
  const startupKwh = dec(state.coldStart ? heater.startupEnergyKwh : 0);
  const standby = state.standby ? standbyLine(problem, heater, state.standby) : undefined;
  const withStandby = (cost: Dec) => (standby ? cost.plus(standby.cost) : cost);
  const runHours = ((a.endSlot - a.startSlot) * problem.grid.slotMinutes) / 60;
  const partLoad = partLoadEfficiency(heater, job.heatingKwh / runHours);
  if (isElectric(heater)) {
    const drawKwh = slotRange(a).map((t) => div(heat, dec(efficiencyAt(heater, problem, t, partLoad)).times(a.endSlot - a.startSlot)));
    const electricity = electricityLines(problem, heater, a, drawKwh, partLoad);
    const startPrice = dec(problem.slots[a.startSlot].energyRate);
    const startup = { kwh: stored(startupKwh), price: stored(startPrice), cost: stored(mul(startupKwh, startPrice)) };
    const cost = withStandby(sumOf(electricity.map((l) => dec(l.cost))).plus(startup.cost));
    return {
      run: { ...runHead(a, heater, heat), electricity, fuelUse: null, startup, ...(standby && { standby }), cost: stored(cost) },
      drawKwh,
    };
  }
  const price = dec(fuelPriceFor(heater, problem.tariff)!);
  const fuelKwh = div(heat, partLoad);
  const fuelUse = {
    kwh: stored(fuelKwh),
    efficiency: stored(dec(partLoad)),
    price: stored(price),
    cost: stored(mul(fuelKwh, price)),
  };
  const startup = { kwh: stored(startupKwh), price: stored(price), cost: stored(mul(startupKwh, price)) };
  const cost = withStandby(dec(fuelUse.cost).plus(startup.cost));
  return {
    run: { ...runHead(a, heater, heat), electricity: [], fuelUse, startup, ...(standby && { standby }), cost: stored(cost) },
    drawKwh: [],
  };
}

/** Hot standby over slots [from, to): standbyKw for each slot's hours, at the slot's electricity rate or the fuel price. */
function standbyLine(problem: PlanningProblem, heater: Equipment, [from, to]: [number, number]): NonNullable<RunCost['standby']> {
  const slotKwh = div(mul(heater.standbyKw ?? 0, problem.grid.slotMinutes), 60);
  const fuel = fuelPriceFor(heater, problem.tariff);
  const slots = Array.from({ length: to - from }, (_, k) => from + k);
  const cost = sumOf(slots.map((t) => mul(slotKwh, fuel ?? problem.slots[t].energyRate)));
  return { slots: to - from, kwh: stored(slotKwh.times(to - from)), cost: stored(cost) };
}

/** Per assignment (same order), what it does to its heater's on/off state (`heater-state.ts`): stacking and stateless heaters start cold every run. */
function planRunStates(problem: PlanningProblem, assignments: PlacedRun[]): RunState[] {
  const states: RunState[] = assignments.map(() => ({ coldStart: true, standby: null }));
  for (const heater of problem.equipment) {
    if (!hasHeaterState(heater)) continue;
    const mine = [...assignments.keys()].filter((i) => assignments[i].equipmentId === heater.id);
    const spans = mine.map((i) => [assignments[i].startSlot, assignments[i].endSlot] as const);
    runStates(spans, stateRules(heater, problem.grid.slotMinutes)).forEach((state, k) => (states[mine[k]] = state));
  }
  return states;
}

const runHead = (a: PlacedRun, heater: Equipment, heat: Dec) => ({
  jobId: a.jobId,
  equipmentId: a.equipmentId,
  fuel: heater.fuelType,
  startSlot: a.startSlot,
  endSlot: a.endSlot,
  heatKwh: stored(heat),
});

const slotRange = (a: PlacedRun) => Array.from({ length: a.endSlot - a.startSlot }, (_, k) => a.startSlot + k);

/** Refuses a run that names an unknown job or heater, leaves the grid, or that the heater cannot run. */
function checkedRun(ledger: Ledger, a: PlacedRun): { job: Job; heater: Equipment } {
  const { grid, tariff } = ledger.problem;
  const job = ledger.jobs.get(a.jobId);
  const heater = ledger.heaters.get(a.equipmentId);
  if (!job) throw new Error(`assignment names unknown job ${a.jobId}`);
  if (!heater) throw new Error(`assignment of ${a.jobId} names unknown heater ${a.equipmentId}`);
  if (a.startSlot < 0 || a.endSlot > grid.slotCount || a.endSlot <= a.startSlot) {
    throw new Error(`assignment of ${a.jobId} runs over slots ${a.startSlot}-${a.endSlot}, outside the grid of ${grid.slotCount}`);
  }
  const eligibility = heaterOption(job, heater, grid, tariff, a.endSlot - a.startSlot);
  if (!eligibility.ok) throw new Error(`assignment of ${a.jobId} to ${a.equipmentId} is not allowed: ${eligibility.reason}`);
  return { job, heater };
}

/**
 * The heater's efficiency (COP) for a run in slot t: its part-load efficiency at the run's power
 * (the nominal one without a curve), scaled by an efficiency window's COP over the nominal one, as
 * the optimiser draws it.
 */
function efficiencyAt(heater: Equipment, problem: PlanningProblem, t: number, partLoad: number): number {
  const at = slotStartMs(problem.grid, t);
  const window = efficiencyWindowAt(heater, at);
  if (!window) return partLoad;
  return heater.partLoadCurve?.length ? (partLoad * window.efficiency) / heater.efficiency : window.efficiency;
}

/** Consecutive slots of the run with the same rate, category and efficiency become one line. */
function electricityLines(
  problem: PlanningProblem,
  heater: Equipment,
  a: PlacedRun,
  drawKwh: Dec[],
  partLoad: number,
): RunCost['electricity'] {
  const lines: { first: number; slots: number; efficiency: number; kwh: Dec }[] = [];
  drawKwh.forEach((kwh, k) => {
    const t = a.startSlot + k;
    const efficiency = efficiencyAt(heater, problem, t, partLoad);
    const last = lines.at(-1);
    const same = last && sameRate(problem, last.first, t) && last.efficiency === efficiency;
    if (same) {
      last.slots += 1;
      last.kwh = last.kwh.plus(kwh);
    } else lines.push({ first: t, slots: 1, efficiency, kwh });
  });
  return lines.map(({ first, slots, efficiency, kwh }) => {
    const rate = dec(problem.slots[first].energyRate);
    return {
      from: problem.slots[first].localStart,
      slots,
      category: problem.slots[first].category,
      efficiency: stored(dec(efficiency)),
      kwh: stored(kwh),
      rate: stored(rate),
      cost: stored(mul(kwh, rate)),
    };
  });
}

const sameRate = (problem: PlanningProblem, s: number, t: number) =>
  problem.slots[s].energyRate === problem.slots[t].energyRate && problem.slots[s].category === problem.slots[t].category;

/** Prices a whole plan: its runs, the site load they make, base load, demand and fixed charges. */
export function pricePlanExact(problem: PlanningProblem, assignments: PlacedRun[]): PlanLedger {
  const ledger = ledgerFor(problem);
  const states = planRunStates(problem, assignments);
  const priced = assignments.map((a, i) => priceRun(ledger, a, states[i]));
  const runs = priced.map((p) => p.run);
  const loadKw = siteLoadKw(problem, assignments, priced, states);
  const baseLoad = baseLoadLines(problem);
  const demand = demandLines(problem, loadKw);
  const fixed = fixedChargeLines(problem);
  const electricity = runs.flatMap((r) => r.electricity);
  const fuelUses = runs.flatMap((r) => (r.fuelUse ? [r.fuelUse] : []));
  const totals = {
    electricKwh: stored(sumOf(electricity.map((l) => dec(l.kwh)))),
    electricCost: stored(sumOf(electricity.map((l) => dec(l.cost)))),
    fuelKwh: stored(sumOf(fuelUses.map((f) => dec(f.kwh)))),
    fuelCost: stored(sumOf(fuelUses.map((f) => dec(f.cost)))),
    startupKwh: stored(sumOf(runs.map((r) => dec(r.startup.kwh)))),
    startupCost: stored(sumOf(runs.map((r) => dec(r.startup.cost)))),
    standbyKwh: stored(sumOf(runs.map((r) => dec(r.standby?.kwh ?? 0)))),
    standbyCost: stored(sumOf(runs.map((r) => dec(r.standby?.cost ?? 0)))),
    baseLoadKwh: stored(sumOf(baseLoad.lines.map((l) => dec(l.kwh)))),
    baseLoadCost: stored(sumOf(baseLoad.lines.map((l) => dec(l.cost)))),
    demandCharge: stored(sumOf(demand.map((d) => dec(d.cost)))),
    fixedCharge: stored(sumOf(fixed.map((f) => dec(f.cost)))),
    peakKw: stored(maxOf(loadKw)),
  };
  const parts = [
    totals.electricCost,
    totals.fuelCost,
    totals.startupCost,
    totals.standbyCost,
    totals.baseLoadCost,
    totals.demandCharge,
    totals.fixedCharge,
  ];
  return {
    runs,
    byHeater: heaterLines(problem, runs),
    energyByCategory: energyByCategory(problem, runs),
    byFuel: fuelUse(problem, runs),
    baseLoad,
    demand,
    fixed,
    loadProfileKw: loadKw.map(stored),
    dailyPeaks: dailyPeaks(
      problem.demand,
      loadKw.map((kw) => kw.toNumber()),
    ),
    totals: { ...totals, total: stored(sumOf(parts.map((p) => dec(p)))) },
  };
}

/** Base load + every electric run's draw (kWh of the slot × 60 / slot minutes) + electric hot standby, per slot, kW. */
function siteLoadKw(problem: PlanningProblem, assignments: PlacedRun[], priced: PricedRun[], states: RunState[]): Dec[] {
  const load = new Array<Dec>(problem.grid.slotCount).fill(dec(problem.settings.baseLoadKw));
  priced.forEach(({ drawKwh }, i) =>
    drawKwh.forEach((kwh, k) => {
      const t = assignments[i].startSlot + k;
      load[t] = load[t].plus(div(kwh.times(60), problem.grid.slotMinutes));
    }),
  );
  states.forEach(({ standby }, i) => {
    const heater = problem.equipment.find((e) => e.id === assignments[i].equipmentId)!;
    if (!standby || !isElectric(heater)) return;
    for (let t = standby[0]; t < standby[1]; t++) load[t] = load[t].plus(heater.standbyKw ?? 0);
  });
  return load;
}

/** The rest of the site's load in every slot, grouped by category and rate. */
function baseLoadLines(problem: PlanningProblem): PlanLedger['baseLoad'] {
  const kw = dec(problem.settings.baseLoadKw);
  const groups = new Map<string, { category: (typeof PERIOD_CATEGORIES)[number]; rate: number; slots: number }>();
  for (const s of problem.slots) {
    const key = `${s.category}|${s.energyRate}`;
    const group = groups.get(key) ?? { category: s.category, rate: s.energyRate, slots: 0 };
    group.slots += 1;
    groups.set(key, group);
  }
  const lines = [...groups.values()].map(({ category, rate, slots }) => {
    const hours = div(slots * problem.grid.slotMinutes, 60);
    const kwh = mul(kw, hours);
    return { category, rate: stored(dec(rate)), hours: stored(hours), kwh: stored(kwh), cost: stored(mul(kwh, rate)) };
  });
  return { kw: stored(kw), lines };
}

function energyByCategory(problem: PlanningProblem, runs: RunCost[]): PlanLedger['energyByCategory'] {
  const present = PERIOD_CATEGORIES.filter((c) => problem.slots.some((s) => s.category === c));
  const lines = runs.flatMap((r) => r.electricity);
  return present.map((category) => {
    const mine = lines.filter((l) => l.category === category);
    return { category, kwh: stored(sumOf(mine.map((l) => dec(l.kwh)))), cost: stored(sumOf(mine.map((l) => dec(l.cost)))) };
  });
}

/** Input energy drawn per heater and run, start-ups and standby included. */
const inputKwh = (r: RunCost) =>
  sumOf(r.electricity.map((l) => dec(l.kwh)))
    .plus(r.fuelUse?.kwh ?? 0)
    .plus(r.startup.kwh)
    .plus(r.standby?.kwh ?? 0);

function heaterLines(problem: PlanningProblem, runs: RunCost[]): PlanLedger['byHeater'] {
  return problem.equipment.map((heater) => {
    const mine = runs.filter((r) => r.equipmentId === heater.id);
    const startupCost = sumOf(mine.map((r) => dec(r.startup.cost)));
    const cost = sumOf(mine.map((r) => dec(r.cost)));
    const slots = mine.reduce((n, r) => n + r.endSlot - r.startSlot, 0);
    return {
      equipmentId: heater.id,
      fuel: heater.fuelType,
      runs: mine.length,
      hours: stored(div(slots * problem.grid.slotMinutes, 60)),
      heatKwh: stored(sumOf(mine.map((r) => dec(r.heatKwh)))),
      inputKwh: stored(sumOf(mine.map(inputKwh))),
      energyCost: stored(cost.minus(startupCost)),
      startupCost: stored(startupCost),
      cost: stored(cost),
    };
  });
}

const FUELS: FuelType[] = ['electricity', 'natural_gas', 'propane'];

/** Heating input energy per fuel the site's heaters use (zero when a fuel's heaters stay off). */
function fuelUse(problem: PlanningProblem, runs: RunCost[]): PlanLedger['byFuel'] {
  const used = FUELS.filter((f) => problem.equipment.some((e) => e.fuelType === f));
  return used.map((fuel) => ({ fuel, kwh: stored(sumOf(runs.filter((r) => r.fuel === fuel).map(inputKwh))) }));
}
