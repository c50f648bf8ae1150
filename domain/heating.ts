import { efficiencyWindowAt, partLoadEfficiency } from './efficiency-curves.ts';
import type { Equipment } from './equipment.ts';
import { isElectric } from './equipment.ts';
import { hasHeaterState } from './heater-state.ts';
import type { Job } from './schedule.ts';
import { slotStartMs, type SlotGrid } from './slot-grid.ts';
import type { Tariff } from './tariff.ts';

/** How one job would run on one heater: contiguous slots at constant power. */
export interface HeaterOption {
  jobId: string;
  equipmentId: string;
  durationSlots: number;
  thermalKw: number;
  /** Input power drawn: electricity for electric heaters and heat pumps, fuel for boilers. */
  inputKw: number;
  /** Contribution to the site's electric load (0 for gas), at the heater's nominal efficiency. */
  electricKw: number;
  /** Per slot of the grid, the factor on `electricKw` where the heater's COP differs (efficiencyWindows). */
  electricScale?: number[];
  fuelKw: number;
  /** Price per kWh of fuel input; null when the heater runs on electricity (priced per slot). */
  fuelPrice: number | null;
  startupKwh: number;
  /** Each run is a cold start (stacking heaters); else starts come from the heater's on/off state (`heater-state.ts`). */
  startPerRun: boolean;
}

type Eligibility = { ok: true; option: HeaterOption } | { ok: false; reason: string };

const EPS = 1e-9;

export function fuelPriceFor(heater: Equipment, tariff: Tariff): number | undefined {
  if (isElectric(heater)) return undefined;
  if (heater.fuelRatePerKwh !== undefined) return heater.fuelRatePerKwh;
  return heater.fuelType === 'electricity' ? undefined : tariff.fuelPrices[heater.fuelType];
}

/** Electric draw of the option in slot t (a heat pump follows its COP by slot when given). */
export const electricKwAt = (option: HeaterOption, t: number) => option.electricKw * (option.electricScale?.[t] ?? 1);

/** Nominal efficiency over slot-time efficiency, per slot; undefined when the heater has no efficiency windows. */
function electricScale(heater: Equipment, grid: SlotGrid): number[] | undefined {
  if (!heater.efficiencyWindows.length) return undefined;
  // One array per heater and grid, shared by all of the heater's options (thousands of jobs).
  const cached = scaleCache.get(heater);
  if (cached?.grid === grid) return cached.scale;
  const scale = Array.from({ length: grid.slotCount }, (_, t) => {
    const at = slotStartMs(grid, t);
    const w = efficiencyWindowAt(heater, at);
    return w ? heater.efficiency / w.efficiency : 1;
  });
  scaleCache.set(heater, { grid, scale });
  return scale;
}

const scaleCache = new WeakMap<Equipment, { grid: SlotGrid; scale: number[] }>();

/** The run length at full power (or the job's fixed duration), in slots. */
function fullPowerSlots(job: Job, heater: Equipment, slotMinutes: number): number {
  if (job.durationMinutes !== undefined) return Math.ceil(job.durationMinutes / slotMinutes - EPS);
  const power = Math.min(heater.capacityKw, job.maxThermalKw ?? Infinity);
  return Math.ceil(job.heatingKwh / ((power * slotMinutes) / 60) - EPS);
}

/** Most run lengths a modulating job is offered per heater, and how far it may stretch (× the full-power length). */
const MODULATION_LEVELS = 4;
const MAX_STRETCH = 4;

/**
 * Run lengths the job may take on the heater: the full-power one, and for a modulating job up to
 * MODULATION_LEVELS longer ones at lower constant power, down to the heater's min load.
 */
export function runLengths(job: Job, heater: Equipment, grid: SlotGrid): number[] {
  const shortest = fullPowerSlots(job, heater, grid.slotMinutes);
  if (!job.modulating) return [shortest];
  const atMinLoad = heater.minLoadKw > 0 ? Math.floor(job.heatingKwh / ((heater.minLoadKw * grid.slotMinutes) / 60) + EPS) : Infinity;
  const longest = Math.min(atMinLoad, shortest * MAX_STRETCH, grid.slotCount);
  if (longest <= shortest) return [shortest];
  const lengths = new Set<number>();
  for (let k = 0; k < MODULATION_LEVELS; k++) lengths.add(Math.round(shortest + ((longest - shortest) * k) / (MODULATION_LEVELS - 1)));
  return [...lengths];
}

/** Decides whether `job` can run on `heater` (for `durationSlots`, default: at full power) and at what power; the reason says why not. */
export function heaterOption(
  job: Job,
  heater: Equipment,
  grid: SlotGrid,
  tariff: Tariff,
  durationSlots = fullPowerSlots(job, heater, grid.slotMinutes),
): Eligibility {
  const { slotMinutes } = grid;
  if (job.allowedEquipment && !job.allowedEquipment.includes(heater.id)) return { ok: false, reason: "not in the job's allowedEquipment" };
  if (!heater.active) return { ok: false, reason: 'heater is inactive' };
  const slotHours = slotMinutes / 60;
  if (durationSlots !== fullPowerSlots(job, heater, slotMinutes) && !job.modulating) {
    return {
      ok: false,
      reason: `runs ${durationSlots * slotMinutes} min, but the job does not modulate (its run takes ${fullPowerSlots(job, heater, slotMinutes) * slotMinutes} min)`,
    };
  }
  const thermalKw = job.heatingKwh / (durationSlots * slotHours);
  if (thermalKw > heater.capacityKw + EPS) {
    return { ok: false, reason: `needs ${round(thermalKw)} kW thermal, capacity is ${heater.capacityKw} kW` };
  }
  if (thermalKw < heater.minLoadKw - EPS) {
    return { ok: false, reason: `would run at ${round(thermalKw)} kW, below the min load of ${heater.minLoadKw} kW` };
  }
  // Min run time holds over the heater's on/off state (runs back to back count together), else per run.
  const minRunSlots = Math.ceil(heater.minRunTimeMinutes / slotMinutes - EPS);
  if (!hasHeaterState(heater) && durationSlots < minRunSlots) {
    return {
      ok: false,
      reason: `runs ${durationSlots * slotMinutes} min, shorter than the min run time of ${heater.minRunTimeMinutes} min`,
    };
  }
  const inputKw = thermalKw / partLoadEfficiency(heater, thermalKw);
  const electric = isElectric(heater);
  let fuelPrice: number | null = null;
  if (!electric) {
    const price = fuelPriceFor(heater, tariff);
    if (price === undefined) return { ok: false, reason: `no ${heater.fuelType} price (set fuelRatePerKwh or the tariff's fuelPrices)` };
    fuelPrice = price;
  }
  return {
    ok: true,
    option: {
      jobId: job.id,
      equipmentId: heater.id,
      durationSlots,
      thermalKw,
      inputKw,
      electricKw: electric ? inputKw : 0,
      electricScale: electric ? electricScale(heater, grid) : undefined,
      fuelKw: electric ? 0 : inputKw,
      fuelPrice,
      startupKwh: heater.startupEnergyKwh,
      startPerRun: !hasHeaterState(heater),
    },
  };
}

/** Energy cost of running the option from `start`: electricity per slot rate, fuel at its price, and its cold start when each run is one. */
export function runCost(option: HeaterOption, start: number, slotHours: number, energyRates: number[]): number {
  const startup = option.startPerRun ? option.startupKwh : 0;
  if (option.fuelPrice !== null) {
    return (option.fuelKw * slotHours * option.durationSlots + startup) * option.fuelPrice;
  }
  let cost = startup * energyRates[start];
  for (let t = start; t < start + option.durationSlots; t++) cost += electricKwAt(option, t) * slotHours * energyRates[t];
  return cost;
}

const round = (x: number) => Math.round(x * 100) / 100;

/** What a heater pays to start (cold) in slot t, and to stay on idle through slot t (hot standby). */
export interface StatePrices {
  start: (t: number) => number;
  standby: (t: number) => number;
  /** Electric kW the standby adds to the site load (0 for fuel heaters). */
  standbyElectricKw: number;
}

export function statePrices(heater: Equipment, tariff: Tariff, slotMinutes: number, energyRates: number[]): StatePrices {
  const fuel = fuelPriceFor(heater, tariff);
  const price = (t: number) => fuel ?? energyRates[t];
  const standbyKw = heater.standbyKw ?? 0;
  return {
    start: (t) => heater.startupEnergyKwh * price(t),
    standby: (t) => ((standbyKw * slotMinutes) / 60) * price(t),
    standbyElectricKw: isElectric(heater) ? standbyKw : 0,
  };
}

/** The assignment record for running `option` from `start`. */
export function toAssignment(option: HeaterOption, start: number, grid: SlotGrid, energyRates: number[]) {
  const end = start + option.durationSlots;
  const slotMs = grid.slotMinutes * 60_000;
  const t0 = Date.parse(grid.startUtc);
  return {
    jobId: option.jobId,
    equipmentId: option.equipmentId,
    startSlot: start,
    endSlot: end,
    start: new Date(t0 + start * slotMs).toISOString(),
    end: new Date(t0 + end * slotMs).toISOString(),
    thermalKw: option.thermalKw,
    electricKw: option.electricKw,
    ...(option.electricScale
      ? { electricKwBySlot: Array.from({ length: option.durationSlots }, (_, k) => electricKwAt(option, start + k)) }
      : {}),
    fuelKw: option.fuelKw,
    energyCost: runCost(option, start, grid.slotMinutes / 60, energyRates),
  };
}
