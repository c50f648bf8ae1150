import { z } from 'zod';

/** kg CO2 per kWh of input energy; each left out means "not given" and its CO2 is not reported. */
export const EmissionFactorsSchema = z
  .object({
    /** The grid's factor for electricity drawn from it. */
    gridKgCo2PerKwh: z.number().min(0).max(5).optional(),
    /** Per fuel, per kWh of fuel burnt. */
    fuelKgCo2PerKwh: z
      .object({ natural_gas: z.number().min(0).max(5).optional(), propane: z.number().min(0).max(5).optional() })
      .strict()
      .default({}),
  })
  .strict();
export type EmissionFactors = z.output<typeof EmissionFactorsSchema>;

/** How a day's savings are projected to a year, and an investment to judge against them. */
export const EconomicsSchema = z
  .object({
    /** Days a year the plant runs like the planned horizon (default 365). */
    operatingDaysPerYear: z.number().int().min(1).max(366).default(365),
    investment: z
      .object({
        /** Paid once at the start (year 0), in the tariff's currency. */
        amount: z.number().positive().max(1e12),
        /** Yearly discount rate for the NPV, percent. */
        discountRatePercent: z.number().min(0).max(100),
        /** Years of savings counted by the NPV and the IRR. */
        lifetimeYears: z.number().int().min(1).max(50),
      })
      .strict()
      .optional(),
  })
  .strict();
export type Economics = z.output<typeof EconomicsSchema>;
