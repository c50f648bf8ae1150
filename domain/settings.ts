import { z } from 'zod';
import { BillingInputSchema } from './billing.ts';
import { OutdoorTemperatureSeriesSchema } from './efficiency-curves.ts';
import { AlertThresholdsSchema } from './alerts.ts';
import { PeriodCategorySchema } from './tariff.ts';
import { EconomicsSchema, EmissionFactorsSchema } from './economics.ts';
import { TimeOfDaySchema } from './time.ts';

export const ObjectiveSchema = z.enum(['minimize_cost', 'minimize_makespan', 'minimize_tardiness', 'balance_resources']);
export type Objective = z.infer<typeof ObjectiveSchema>;

/** Local hours when the site is staffed; `to` at or before `from` runs past midnight. */
export const ShiftSchema = z
  .object({
    from: TimeOfDaySchema,
    to: TimeOfDaySchema,
    /** ISO weekdays the shift starts on (1 = Monday … 7 = Sunday); every day when left out. */
    weekdays: z.array(z.number().int().min(1).max(7)).min(1).optional(),
  })
  .strict();
export type Shift = z.infer<typeof ShiftSchema>;

export const SettingsSchema = z
  .object({
    slotMinutes: z
      .number()
      .int()
      .refine((m) => [1, 5, 10, 15, 20, 30, 60].includes(m), { message: 'must be 1, 5, 10, 15, 20, 30 or 60 (a divisor of an hour)' })
      .default(15),
    solverTimeLimitSeconds: z.number().positive().max(3600).default(30),
    mipGap: z.number().min(0).max(1).default(0.0001),
    /**
     * Bound the search by work (branch-and-bound nodes, neighbourhoods) instead of the clock, so
     * that the same input gives the same plan on any machine; the time limit then only stops a run
     * that would take longer than it, and the plan says so.
     */
    deterministic: z.boolean().default(false),
    /**
     * A tariff not in force on the schedule's days (expired, or not yet effective): `refuse` (the
     * default when left out) fails the run with E006; `warn` uses it and says so in the report.
     */
    tariffValidity: z.enum(['refuse', 'warn']).optional(),
    /**
     * minimize_cost: energy + fuel + start-ups + demand charges; minimize_tardiness: the same plus
     * tardinessCostPerHour per hour late (deadlines become soft); minimize_makespan: the end of the
     * last job; balance_resources: the busiest heater's running hours.
     */
    objective: ObjectiveSchema.default('minimize_cost'),
    /** Weight of a job by its priority 1..5: scales its tardiness cost and the penalty for leaving it unscheduled. */
    priorityWeights: z.array(z.number().positive().max(1000)).length(5, 'needs one weight per priority 1..5').default([5, 4, 3, 2, 1]),
    /** Price of one hour of lateness at weight 1 (minimize_tardiness). */
    tardinessCostPerHour: z.number().min(0).default(100),
    /** Fail with E003 instead of returning a partial plan with the jobs that could not be placed. */
    allOrNothing: z.boolean().default(false),
    /** Contractual limit on the site's electric load, kW (15-min average). */
    peakLimitKw: z.number().positive().optional(),
    /** Electric load of the rest of the site, present in every slot. */
    baseLoadKw: z.number().min(0).default(0),
    /**
     * The billing period's metered peak so far and past months' peaks (for the tariff's ratchet):
     * a day's plan then pays only for raising the period's demand.
     */
    billing: BillingInputSchema.optional(),
    /** Older form of `billing.meteredPeak`: the billing period's peak so far per category, kW (used when `billing` has none). */
    incumbentPeakKw: z.partialRecord(PeriodCategorySchema, z.number().min(0)).default({}),
    /** Older form of the tariff's `demand.ratchet`: every demand charge bills at least `percent` % of `peakKw`. */
    demandRatchet: z
      .object({ percent: z.number().min(0).max(100), peakKw: z.number().min(0) })
      .strict()
      .optional(),
    /**
     * Outdoor temperature forecast for the horizon: the equipment step turns each heat pump's
     * copCurve into efficiencyWindows over these intervals (nominal COP outside them).
     */
    outdoorTemperature: OutdoorTemperatureSeriesSchema.optional(),
    /** Jobs may start only inside these shifts (site time); always when left out. */
    staffedShifts: z.array(ShiftSchema).min(1).optional(),
    /** CO2 factors of the grid and the fuels, for the cost agent's emissions (none given: no CO2 figures). */
    emissions: EmissionFactorsSchema.optional(),
    /** Annual projection and investment appraisal of the savings. */
    economics: EconomicsSchema.optional(),
    /** Thresholds of the alert rules raised after a run (defaults when left out). */
    alerts: AlertThresholdsSchema.optional(),
  })
  .strict();

export type SettingsInput = z.input<typeof SettingsSchema>;
export type Settings = z.output<typeof SettingsSchema>;

/** The least kW each category bills, from the incumbent peak and the ratchet (0 when neither applies). */
export function demandFloorKw(settings: Settings, category: z.infer<typeof PeriodCategorySchema>): number {
  const ratchet = settings.demandRatchet ? (settings.demandRatchet.percent / 100) * settings.demandRatchet.peakKw : 0;
  return Math.max(settings.incumbentPeakKw[category] ?? 0, ratchet);
}

/** The weight of a job of this priority. */
export const priorityWeight = (settings: Settings, priority: number) => settings.priorityWeights[priority - 1];
