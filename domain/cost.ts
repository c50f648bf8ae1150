import { z } from 'zod';
import { EarlierRunPeaksSchema } from './billing.ts';
import { DecimalStringSchema } from './decimal.ts';
import { DemandChargeLineSchema } from './demand-model.ts';
import { FuelTypeSchema } from './equipment.ts';
import { AssignmentSchema, UnscheduledJobSchema } from './plan.ts';
import { PeriodCategorySchema } from './tariff.ts';

/** The cost agent's figures: every one an exact decimal string, stored with the inputs it came from. */

const Exact = DecimalStringSchema;

/** Electricity of one run at one rate: consecutive slots with the same rate, category and efficiency. */
export const ElectricityLineSchema = z.object({
  /** Local start of the first slot, and how many slots. */
  from: z.string(),
  slots: z.number().int().positive(),
  category: PeriodCategorySchema,
  /** Efficiency (COP) in force: kWh drawn = heat of the slots / efficiency. */
  efficiency: Exact,
  kwh: Exact,
  rate: Exact,
  cost: Exact,
});

/** One job's run, priced: cost = electricity lines + fuel + start-up. */
export const RunCostSchema = z.object({
  jobId: z.string(),
  equipmentId: z.string(),
  fuel: FuelTypeSchema,
  startSlot: z.number().int(),
  endSlot: z.number().int(),
  heatKwh: Exact,
  electricity: z.array(ElectricityLineSchema),
  /** Fuel burnt: heat / efficiency, at the fuel price (boilers only). */
  fuelUse: z.object({ kwh: Exact, efficiency: Exact, price: Exact, cost: Exact }).nullable(),
  /**
   * The cold start this run makes (the first run of an on-block of its heater, or every run of a
   * stacking heater): its energy at the fuel price, or at the electricity rate of the first slot; 0 kWh
   * for a run that follows another with no gap or a gap held hot.
   */
  startup: z.object({ kwh: Exact, price: Exact, cost: Exact }),
  /** Hot standby in the gap before this run (shorter than the heater's min off time): standbyKw over its slots at their rates. */
  standby: z.object({ slots: z.number().int().positive(), kwh: Exact, cost: Exact }).optional(),
  /** Energy (electricity or fuel) + start-up + standby before it: what this job costs by itself. */
  cost: Exact,
});
export type RunCost = z.infer<typeof RunCostSchema>;

export const HeaterCostSchema = z.object({
  equipmentId: z.string(),
  fuel: FuelTypeSchema,
  runs: z.number().int(),
  hours: Exact,
  heatKwh: Exact,
  /** Electricity or fuel drawn, start-ups included. */
  inputKwh: Exact,
  energyCost: Exact,
  startupCost: Exact,
  cost: Exact,
});

/**
 * A demand charge in one billing period: the plan's highest interval average over the charge's
 * intervals, the period's floor (its peak so far, the ratchet) and where it comes from, the kW
 * billed with the plan, and what the plan adds: rate × (billed − floor).
 */
export const DemandLineSchema = z.object({
  key: z.string(),
  label: z.string(),
  billingPeriod: z.object({ start: z.string(), end: z.string() }),
  peakKw: Exact,
  /** Local start of the first interval reaching the peak. */
  peakAt: z.string(),
  floorKw: Exact,
  floorSource: DemandChargeLineSchema.shape.floorSource,
  floorDetail: z.string(),
  billedKw: Exact,
  raisedKw: Exact,
  rate: Exact,
  cost: Exact,
  /** The whole period's charge at billedKw, for the report. */
  periodCharge: Exact,
});

export const BaseLoadLineSchema = z.object({ category: PeriodCategorySchema, rate: Exact, hours: Exact, kwh: Exact, cost: Exact });

export const FixedChargeLineSchema = z.object({
  name: z.string(),
  per: z.enum(['day', 'month']),
  amount: Exact,
  /** Local days of the horizon per calendar month: a monthly charge bills amount × days / daysInMonth. */
  months: z.array(z.object({ month: z.string(), days: z.number().int(), daysInMonth: z.number().int() })),
  cost: Exact,
});

export const FuelUseSchema = z.object({ fuel: FuelTypeSchema, kwh: Exact });

/** A plan priced line by line: each total is the sum of the lines above it. */
export const PlanLedgerSchema = z.object({
  runs: z.array(RunCostSchema),
  byHeater: z.array(HeaterCostSchema),
  /** Heating electricity (start-ups excluded) by tariff period category. */
  energyByCategory: z.array(z.object({ category: PeriodCategorySchema, kwh: Exact, cost: Exact })),
  /** Heating input energy by fuel, start-ups included (base load excluded). */
  byFuel: z.array(FuelUseSchema),
  baseLoad: z.object({ kw: Exact, lines: z.array(BaseLoadLineSchema) }),
  demand: z.array(DemandLineSchema),
  fixed: z.array(FixedChargeLineSchema),
  /** Site electric load per slot (base load + heating), kW. */
  loadProfileKw: z.array(Exact),
  /** Each local day's highest interval average per demand charge: the floor a later run of the billing period starts from. */
  dailyPeaks: z.array(EarlierRunPeaksSchema),
  totals: z.object({
    electricKwh: Exact,
    electricCost: Exact,
    fuelKwh: Exact,
    fuelCost: Exact,
    startupKwh: Exact,
    startupCost: Exact,
    /** Hot standby between runs (heaters with standbyKw), electricity and fuel. */
    standbyKwh: Exact.default('0'),
    standbyCost: Exact.default('0'),
    baseLoadKwh: Exact,
    baseLoadCost: Exact,
    demandCharge: Exact,
    fixedCharge: Exact,
    peakKw: Exact,
    total: Exact,
  }),
});
export type PlanLedger = z.infer<typeof PlanLedgerSchema>;

export const SavingsCauseSchema = z.enum(['time_of_use_shift', 'equipment_choice', 'peak_shaving', 'startups', 'unmatched_work']);
export type SavingsCause = z.infer<typeof SavingsCauseSchema>;

export const SavingsSchema = z.object({
  /** Baseline total − optimised total (negative when the optimised plan costs more). */
  amount: Exact,
  /** amount / baseline total × 100; null when the baseline costs nothing. */
  percent: Exact.nullable(),
  /** The parts add up to `amount` exactly; `inputs` holds the figures each part is the difference of. */
  byCause: z.array(z.object({ cause: SavingsCauseSchema, amount: Exact, method: z.string(), inputs: z.record(z.string(), Exact) })),
  /** Per job: its baseline heater at the optimised start, the middle step of the split. */
  shifted: z.array(z.object({ jobId: z.string(), equipmentId: z.string(), startSlot: z.number().int(), energyCost: Exact })),
});
export type Savings = z.infer<typeof SavingsSchema>;

export const EmissionsSchema = z.object({
  byFuel: z.array(z.object({ fuel: FuelTypeSchema, kwh: Exact, kgCo2PerKwh: Exact.nullable(), kgCo2: Exact.nullable() })),
  /** Sum over the fuels with a factor; `complete` says whether every fuel used had one. */
  kgCo2: Exact,
  complete: z.boolean(),
});
export type Emissions = z.infer<typeof EmissionsSchema>;

export const ProjectionSchema = z.object({
  horizonDays: z.number().int(),
  operatingDaysPerYear: z.number().int(),
  dailySavings: Exact,
  annualSavings: Exact,
  annualBaselineCost: Exact,
  annualOptimizedCost: Exact,
  investment: z
    .object({
      amount: Exact,
      discountRatePercent: Exact,
      lifetimeYears: z.number().int(),
      /** amount / annual savings; null when nothing is saved. */
      paybackYears: Exact.nullable(),
      npv: Exact,
      /** The rate at which the NPV is zero, percent (to 1e-10); null when there is none. */
      irrPercent: Exact.nullable(),
    })
    .nullable(),
});
export type Projection = z.infer<typeof ProjectionSchema>;

/** The cost agent's output: both plans priced, the savings split by cause, CO2 and the projection. */
export const CostStatementSchema = z.object({
  currency: z.string(),
  optimized: PlanLedgerSchema,
  baseline: PlanLedgerSchema,
  baselineAssignments: z.array(AssignmentSchema),
  baselineUnscheduled: z.array(UnscheduledJobSchema),
  excludedFromBoth: z.array(z.string()),
  savings: SavingsSchema,
  emissions: z.object({ optimized: EmissionsSchema, baseline: EmissionsSchema, savedKgCo2: Exact }).nullable(),
  projection: ProjectionSchema,
});
export type CostStatement = z.infer<typeof CostStatementSchema>;
