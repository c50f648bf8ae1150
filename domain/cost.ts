import { z } from 'zod';
import { AssignmentSchema, UnscheduledJobSchema } from './plan.ts';
import { PeriodCategorySchema } from './tariff.ts';

const Money = z.number();

export const PlanCostSchema = z.object({
  /** Heating electricity by tariff period category. */
  energyByCategory: z.array(z.object({ category: PeriodCategorySchema, kwh: z.number(), cost: Money })),
  electricKwh: z.number(),
  electricCost: Money,
  fuelKwh: z.number(),
  fuelCost: Money,
  startupKwh: z.number(),
  startupCost: Money,
  baseLoadKwh: z.number(),
  baseLoadCost: Money,
  /** Per category: the plan's peak, the kW billed (at least the incumbent peak and the ratchet floor), rate and charge. */
  demandCharges: z.array(
    z.object({ category: PeriodCategorySchema, peakKw: z.number(), billedKw: z.number(), rate: z.number(), cost: Money }),
  ),
  demandCharge: Money,
  fixedCharges: z.array(z.object({ name: z.string(), amount: Money })),
  fixedCharge: Money,
  peakKw: z.number(),
  total: Money,
});
export type PlanCost = z.infer<typeof PlanCostSchema>;

export const CostAnalysisSchema = z.object({
  currency: z.string(),
  optimized: PlanCostSchema,
  baseline: PlanCostSchema,
  baselineAssignments: z.array(AssignmentSchema),
  baselineUnscheduled: z.array(UnscheduledJobSchema),
  /** Jobs the optimised plan could not place, left out of the baseline as well (like for like). */
  excludedFromBoth: z.array(z.string()).default([]),
  savings: z.object({ amount: Money, percent: z.number() }),
});
export type CostAnalysis = z.infer<typeof CostAnalysisSchema>;
