import type { Equipment } from './equipment.ts';
import { isElectric } from './equipment.ts';
import type { Job } from './schedule.ts';
import type { SlotGrid } from './slot-grid.ts';
import type { Tariff } from './tariff.ts';

/** How one job would run on one heater: contiguous slots at constant power. */
export interface HeaterOption {
  jobId: string;
  equipmentId: string;
  durationSlots: number;
  thermalKw: number;
  /** Input power drawn: electricity for electric heaters and heat pumps, fuel for boilers. */
  inputKw: number;
  /** Contribution to the site's electric load (0 for gas). */
  electricKw: number;
  fuelKw: number;
  /** Price per kWh of fuel input; null when the heater runs on electricity (priced per slot). */
  fuelPrice: number | null;
  startupKwh: number;
}

export type Eligibility = { ok: true; option: HeaterOption } | { ok: false; reason: string };

const EPS = 1e-9;

export function fuelPriceFor(heater: Equipment, tariff: Tariff): number | undefined {
  if (isElectric(heater)) return undefined;
  if (heater.fuelRatePerKwh !== undefined) return heater.fuelRatePerKwh;
  return heater.fuelType === 'electricity' ? undefined : tariff.fuelPrices[heater.fuelType];
}

/** Decides whether `job` can run on `heater` and at what power; the reason says why not. */
export function heaterOption(job: Job, heater: Equipment, slotMinutes: number, tariff: Tariff): Eligibility {
  if (job.allowedEquipment && !job.allowedEquipment.includes(heater.id)) return { ok: false, reason: 'not in the job\'s allowedEquipment' };
  if (!heater.active) return { ok: false, reason: 'heater is inactive' };
  const slotHours = slotMinutes / 60;
  let durationSlots: number;
  if (job.durationMinutes !== undefined) {
    durationSlots = Math.ceil(job.durationMinutes / slotMinutes - EPS);
  } else {
    const power = Math.min(heater.capacityKw, job.maxThermalKw ?? Infinity);
    durationSlots = Math.ceil(job.heatingKwh / (power * slotHours) - EPS);
  }
  const thermalKw = job.heatingKwh / (durationSlots * slotHours);
  if (thermalKw > heater.capacityKw + EPS) {
    return { ok: false, reason: `needs ${round(thermalKw)} kW thermal, capacity is ${heater.capacityKw} kW` };
  }
  if (thermalKw < heater.minLoadKw - EPS) {
    return { ok: false, reason: `would run at ${round(thermalKw)} kW, below the min load of ${heater.minLoadKw} kW` };
  }
  const minRunSlots = Math.ceil(heater.minRunTimeMinutes / slotMinutes - EPS);
  if (durationSlots < minRunSlots) {
    return { ok: false, reason: `runs ${durationSlots * slotMinutes} min, shorter than the min run time of ${heater.minRunTimeMinutes} min` };
  }
  const inputKw = thermalKw / heater.efficiency;
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
      fuelKw: electric ? 0 : inputKw,
      fuelPrice,
      startupKwh: heater.startupEnergyKwh,
    },
  };
}

/** Energy cost of running the option from `start`: electricity per slot rate, fuel at its price, one cold start. */
export function runCost(option: HeaterOption, start: number, slotHours: number, energyRates: number[]): number {
  if (option.fuelPrice !== null) {
    return (option.fuelKw * slotHours * option.durationSlots + option.startupKwh) * option.fuelPrice;
  }
  let cost = option.startupKwh * energyRates[start];
  for (let t = start; t < start + option.durationSlots; t++) cost += option.electricKw * slotHours * energyRates[t];
  return cost;
}

const round = (x: number) => Math.round(x * 100) / 100;

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
    fuelKw: option.fuelKw,
    energyCost: runCost(option, start, grid.slotMinutes / 60, energyRates),
  };
}
