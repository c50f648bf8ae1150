import prand from 'pure-rand';
import type { EquipmentInput } from '../domain/equipment.ts';
import type { RunRequestInput } from '../domain/run-request.ts';
import type { TariffInput } from '../domain/tariff.ts';

export interface InstanceSpec {
  seed: number;
  jobs: number;
  heaters: number;
  days?: number;
  /** Share of the heaters' thermal capacity over the horizon that the jobs need. */
  utilisation?: number;
  windows?: 'tight' | 'loose';
  peakLimitKw?: number;
  timeLimitSeconds?: number;
  slotMinutes?: number;
  /**
   * Operating rules on top: three product families with changeovers, a min off time and a cap on
   * starts per day on every heater, day and late shifts, and chains of jobs (finish-to-start).
   */
  rules?: boolean;
}

/** The ToU table of the GL-019 design (rates per kWh, demand per kW). */
export const SEED_TARIFF: TariffInput = {
  name: 'GL-019 ToU',
  timeZone: 'America/Chicago',
  currency: 'USD',
  effectiveDate: '2026-01-01',
  periods: [
    { start: '00:00', end: '06:00', energyRate: 0.045, demandRate: 8, category: 'off-peak' },
    { start: '06:00', end: '10:00', energyRate: 0.085, demandRate: 12, category: 'mid-peak' },
    { start: '10:00', end: '14:00', energyRate: 0.125, demandRate: 18, category: 'on-peak' },
    { start: '14:00', end: '18:00', energyRate: 0.145, demandRate: 22, category: 'critical' },
    { start: '18:00', end: '22:00', energyRate: 0.085, demandRate: 12, category: 'mid-peak' },
    { start: '22:00', end: '00:00', energyRate: 0.045, demandRate: 8, category: 'off-peak' },
  ],
  fuelPrices: { natural_gas: 0.038 },
};

const HEATER_KINDS: Omit<EquipmentInput, 'id' | 'name'>[] = [
  { type: 'gas_boiler', capacityKw: 500, minLoadKw: 50, efficiency: 0.92, startupEnergyKwh: 20 },
  { type: 'electric', capacityKw: 250, efficiency: 0.98, startupEnergyKwh: 2 },
  { type: 'heat_pump', capacityKw: 300, minLoadKw: 30, efficiency: 3.5, startupEnergyKwh: 5 },
  { type: 'gas_boiler', capacityKw: 750, minLoadKw: 75, efficiency: 0.88, startupEnergyKwh: 30 },
];

/** A reproducible plant day (or week) of the given size, for tests and benchmarks. */
export function generateRequest(spec: InstanceSpec): RunRequestInput {
  const rng = prand.xoroshiro128plus(spec.seed);
  const int = (lo: number, hi: number) => prand.unsafeUniformIntDistribution(lo, hi, rng);
  const days = spec.days ?? 1;
  const slotMinutes = spec.slotMinutes ?? 15;
  const utilisation = spec.utilisation ?? 0.5;
  const equipment: EquipmentInput[] = Array.from({ length: spec.heaters }, (_, i) => ({
    ...HEATER_KINDS[i % HEATER_KINDS.length],
    id: `H${String(i + 1).padStart(3, '0')}`,
    name: `Heater ${i + 1}`,
  }));
  const capacityKwh = equipment.reduce((s, e) => s + e.capacityKw, 0) * 24 * days;
  const meanJobKwh = (capacityKwh * utilisation) / spec.jobs;
  const horizonSlots = (24 * 60 * days) / slotMinutes;
  const day0 = Date.parse('2026-11-24T06:00:00Z'); // local midnight in America/Chicago
  const iso = (slot: number) => new Date(day0 + slot * slotMinutes * 60_000).toISOString();
  const jobs = Array.from({ length: spec.jobs }, (_, i) => {
    const heatingKwh = Math.round(meanJobKwh * (0.5 + int(0, 100) / 100));
    const typicalSlots = Math.max(1, Math.ceil(heatingKwh / 300 / (slotMinutes / 60)));
    const slack = spec.windows === 'tight' ? typicalSlots * 2 + int(0, 8) : int(horizonSlots / 4, horizonSlots);
    const earliest = int(0, Math.max(0, horizonSlots - typicalSlots - 1));
    const deadline = Math.min(horizonSlots, earliest + typicalSlots + slack);
    return {
      id: `J${String(i + 1).padStart(4, '0')}`,
      product: `P${int(1, 20)}`,
      quantity: int(10, 1000),
      unit: 'kg',
      heatingKwh,
      earliestStart: iso(earliest),
      deadline: iso(deadline),
      priority: int(1, 5),
    };
  });
  if (spec.rules) addRules(jobs, equipment, spec, rng);
  return {
    schedule: {
      tenant: 'bench',
      site: `gen-${spec.seed}`,
      scheduleDate: '2026-11-24',
      timeZone: 'America/Chicago',
      horizonDays: days,
      jobs,
    },
    tariff: SEED_TARIFF,
    equipment,
    settings: {
      slotMinutes,
      solverTimeLimitSeconds: spec.timeLimitSeconds ?? 30,
      peakLimitKw: spec.peakLimitKw,
      baseLoadKw: 100,
      ...(spec.rules ? { staffedShifts: [{ from: '05:00', to: '23:00' }] } : {}),
    },
  };
}

type GeneratedJob = ReturnType<typeof generateRequest>['schedule']['jobs'][number];

function addRules(jobs: GeneratedJob[], equipment: EquipmentInput[], spec: InstanceSpec, rng: prand.RandomGenerator) {
  const int = (lo: number, hi: number) => prand.unsafeUniformIntDistribution(lo, hi, rng);
  const families = ['F1', 'F2', 'F3'];
  for (const job of jobs) job.productFamily = families[int(0, 2)];
  const perHeaterDay = Math.ceil(jobs.length / spec.heaters / (spec.days ?? 1));
  for (const heater of equipment) {
    heater.minOffTimeMinutes = 15;
    heater.maxStartsPerDay = perHeaterDay + 3;
    heater.changeovers = [
      { fromFamily: 'F1', toFamily: 'F2', minutes: 15 },
      { fromFamily: 'F2', toFamily: 'F3', minutes: 30 },
      { fromFamily: 'F3', toFamily: 'F1', minutes: 45 },
    ];
  }
  // Every fifth job follows the one before it, when their windows allow it.
  for (let i = 5; i < jobs.length; i += 5) {
    const [before, after] = [jobs[i - 1], jobs[i]];
    if (Date.parse(after.deadline) - Date.parse(before.earliestStart) > 12 * 3_600_000)
      after.predecessors = [{ jobId: before.id, type: 'finish_to_start', lagMinutes: 15 }];
  }
}
