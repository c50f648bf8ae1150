import { z } from 'zod';
import { CopPointSchema, PartLoadPointSchema, rising } from './efficiency-curves.ts';

export const EquipmentTypeSchema = z.enum(['gas_boiler', 'electric', 'heat_pump']);
export type EquipmentType = z.infer<typeof EquipmentTypeSchema>;
export const FuelTypeSchema = z.enum(['electricity', 'natural_gas', 'propane']);
export type FuelType = z.infer<typeof FuelTypeSchema>;

export const UnavailabilitySchema = z
  .object({
    start: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset or Z' }),
    end: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset or Z' }),
    /** `locked`: a planner holds the heater over the interval (a scheduler's resource lock). */
    reason: z.enum(['maintenance', 'repair', 'offline', 'locked']),
    notes: z.string().max(2000).optional(),
  })
  .strict()
  .refine((w) => Date.parse(w.end) > Date.parse(w.start), { path: ['end'], message: 'must be after start' })
  .transform((w) => ({ ...w, start: new Date(w.start).toISOString(), end: new Date(w.end).toISOString() }));

export const EfficiencyWindowSchema = z
  .object({
    start: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset or Z' }),
    end: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset or Z' }),
    efficiency: z.number().positive(),
  })
  .strict()
  .refine((w) => Date.parse(w.end) > Date.parse(w.start), { path: ['end'], message: 'must be after start' });

export const ChangeoverSchema = z
  .object({ fromFamily: z.string().min(1), toFamily: z.string().min(1), minutes: z.number().int().min(0) })
  .strict();

export const EquipmentSchema = z
  .object({
    id: z.string().trim().min(1).max(50),
    name: z.string().trim().min(1).max(200),
    type: EquipmentTypeSchema,
    capacityKw: z.number().positive().max(1e6),
    minLoadKw: z.number().min(0).default(0),
    /** Thermal output per unit of input: a fraction for boilers and electric heaters, the COP for heat pumps. */
    efficiency: z.number().positive(),
    fuelType: FuelTypeSchema.optional(),
    /** Overrides the tariff's fuel price for this heater, per kWh of fuel. */
    fuelRatePerKwh: z.number().min(0).optional(),
    minRunTimeMinutes: z.number().int().min(0).default(0),
    maxStartsPerDay: z.number().int().positive().optional(),
    /** Least idle time between two runs. */
    minOffTimeMinutes: z.number().int().min(0).default(0),
    /** Cleaning or set-up time between a job of one product family and the next one's. */
    changeovers: z.array(ChangeoverSchema).default([]),
    /** Several jobs may share the heater as long as their thermal power fits its capacity (e.g. a large oven). */
    allowStacking: z.boolean().default(false),
    /** Input energy drawn by each cold start (a run that follows another with no gap, or a gap held hot, is no start). */
    startupEnergyKwh: z.number().min(0).default(0),
    /**
     * Hot standby: input kW that holds the heater on while idle. Set, a gap between two runs shorter than
     * minOffTimeMinutes keeps the heater on at this power; unset, such a gap is forbidden.
     */
    standbyKw: z.number().min(0).max(1e6).optional(),
    location: z.string().max(100).optional(),
    active: z.boolean().default(true),
    /** COP (or efficiency) in force over a time window, e.g. from the ambient temperature forecast; `efficiency` elsewhere. */
    efficiencyWindows: z.array(EfficiencyWindowSchema).default([]),
    /** Efficiency (COP) by fraction of capacityKw, piecewise linear, flat outside; `efficiency` at every load when left out. */
    partLoadCurve: z.array(PartLoadPointSchema).min(1).optional(),
    /** A heat pump's COP by outdoor temperature: with settings.outdoorTemperature the equipment step turns it into efficiencyWindows. */
    copCurve: z.array(CopPointSchema).min(1).optional(),
    unavailability: z.array(UnavailabilitySchema).default([]),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.minLoadKw > e.capacityKw) ctx.addIssue({ code: 'custom', path: ['minLoadKw'], message: 'must not exceed capacityKw' });
    const [lo, hi] = e.type === 'heat_pump' ? [1, 10] : e.type === 'gas_boiler' ? [0.01, 1.1] : [0.01, 1];
    const what = e.type === 'heat_pump' ? 'a COP' : 'a fraction';
    if (e.efficiency < lo || e.efficiency > hi) {
      ctx.addIssue({ code: 'custom', path: ['efficiency'], message: `must be ${what} between ${lo} and ${hi} for a ${e.type}` });
    }
    e.efficiencyWindows.forEach((w, i) => {
      if (e.type === 'gas_boiler')
        ctx.addIssue({ code: 'custom', path: ['efficiencyWindows', i], message: 'applies to heat pumps and electric heaters only' });
      else if (w.efficiency < lo || w.efficiency > hi)
        ctx.addIssue({
          code: 'custom',
          path: ['efficiencyWindows', i, 'efficiency'],
          message: `must be ${what} between ${lo} and ${hi} for a ${e.type}`,
        });
    });
    if (e.standbyKw !== undefined && e.allowStacking)
      ctx.addIssue({
        code: 'custom',
        path: ['standbyKw'],
        message: 'applies to heaters that run one job at a time (allowStacking is set)',
      });
    checkCurves(e, ctx, [lo, hi], what);
    const seen = new Set<string>();
    e.changeovers.forEach((c, i) => {
      const pair = `${c.fromFamily}\u0000${c.toFamily}`;
      if (seen.has(pair)) ctx.addIssue({ code: 'custom', path: ['changeovers', i], message: `repeats ${c.fromFamily} → ${c.toFamily}` });
      seen.add(pair);
    });
    const fuel = e.fuelType ?? defaultFuel(e.type);
    const electric = e.type !== 'gas_boiler';
    if (electric !== (fuel === 'electricity')) {
      ctx.addIssue({ code: 'custom', path: ['fuelType'], message: `${fuel} does not fit a ${e.type}` });
    }
  })
  .transform((e) => ({ ...e, fuelType: e.fuelType ?? defaultFuel(e.type) }));

interface CurveFields {
  type: EquipmentType;
  partLoadCurve?: z.output<typeof PartLoadPointSchema>[];
  copCurve?: z.output<typeof CopPointSchema>[];
}

/** Points of a curve rise along x, and its efficiencies keep the type's bounds; a COP curve is for heat pumps only. */
function checkCurves(e: CurveFields, ctx: z.RefinementCtx, [lo, hi]: number[], what: string) {
  const bounds = `must be ${what} between ${lo} and ${hi} for a ${e.type}`;
  if (e.partLoadCurve) {
    rising(e.partLoadCurve, (p) => p.loadFraction, 'loadFraction', ctx, ['partLoadCurve']);
    e.partLoadCurve.forEach((p, i) => {
      if (p.efficiency < lo || p.efficiency > hi)
        ctx.addIssue({ code: 'custom', path: ['partLoadCurve', i, 'efficiency'], message: bounds });
    });
  }
  if (!e.copCurve) return;
  if (e.type !== 'heat_pump') {
    ctx.addIssue({ code: 'custom', path: ['copCurve'], message: `applies to heat pumps only, not a ${e.type}` });
    return;
  }
  rising(e.copCurve, (p) => p.outdoorC, 'outdoorC', ctx, ['copCurve']);
  e.copCurve.forEach((p, i) => {
    if (p.cop < lo || p.cop > hi) ctx.addIssue({ code: 'custom', path: ['copCurve', i, 'cop'], message: bounds });
  });
}

function defaultFuel(type: EquipmentType): FuelType {
  return type === 'gas_boiler' ? 'natural_gas' : 'electricity';
}

export type EquipmentInput = z.input<typeof EquipmentSchema>;
export type Equipment = z.output<typeof EquipmentSchema>;
export type Unavailability = Equipment['unavailability'][number];

export const isElectric = (e: Pick<Equipment, 'type'>) => e.type !== 'gas_boiler';

/** Keeps the unavailability windows that touch [from, to), clipped to it. */
export function clipUnavailability(heater: Equipment, from: string, to: string): Equipment {
  const lo = Date.parse(from);
  const hi = Date.parse(to);
  const unavailability = heater.unavailability
    .filter((w) => Date.parse(w.start) < hi && Date.parse(w.end) > lo)
    .map((w) => ({
      ...w,
      start: new Date(Math.max(Date.parse(w.start), lo)).toISOString(),
      end: new Date(Math.min(Date.parse(w.end), hi)).toISOString(),
    }))
    .sort((a, b) => a.start.localeCompare(b.start) || a.end.localeCompare(b.end));
  return { ...heater, unavailability };
}
