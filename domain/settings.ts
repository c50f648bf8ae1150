import { z } from 'zod';

export const SettingsSchema = z
  .object({
    slotMinutes: z
      .number()
      .int()
      .refine((m) => [5, 10, 15, 20, 30, 60].includes(m), { message: 'must be 5, 10, 15, 20, 30 or 60 (a divisor of an hour)' })
      .default(15),
    solverTimeLimitSeconds: z.number().positive().max(3600).default(30),
    mipGap: z.number().min(0).max(1).default(0.0001),
    objective: z.enum(['minimize_cost']).default('minimize_cost'),
    /** Contractual limit on the site's electric load, kW (15-min average). */
    peakLimitKw: z.number().positive().optional(),
    /** Electric load of the rest of the site, present in every slot. */
    baseLoadKw: z.number().min(0).default(0),
  })
  .strict();

export type SettingsInput = z.input<typeof SettingsSchema>;
export type Settings = z.output<typeof SettingsSchema>;
