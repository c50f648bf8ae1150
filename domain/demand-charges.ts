import { z } from 'zod';
import { PeriodCategorySchema } from './tariff-categories.ts';

const Rate = z.number().min(0).max(10_000);

/**
 * One demand charge, per kW of the billing period's highest interval-average load: a facility
 * charge on every interval (any time), a time-of-use charge on the intervals of its categories
 * (one peak over all of them, billed once). With `season`, it bills only in that season.
 */
export const DemandChargeSchema = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('facility'), rate: Rate, season: z.string().min(1).optional(), name: z.string().max(100).optional() })
    .strict(),
  z
    .object({
      kind: z.literal('time_of_use'),
      categories: z
        .array(PeriodCategorySchema)
        .min(1)
        .refine((c) => new Set(c).size === c.length, { message: 'lists a category twice' }),
      rate: Rate,
      season: z.string().min(1).optional(),
      name: z.string().max(100).optional(),
    })
    .strict(),
]);
export type DemandCharge = z.infer<typeof DemandChargeSchema>;

/** Billed demand at least `percent` % of the highest monthly peak of the last `months` billing periods. */
export const RatchetSchema = z
  .object({
    percent: z.number().min(0).max(100),
    months: z.number().int().min(1).max(36),
    /** facility: the facility charges only (the usual case); all: every demand charge. */
    appliesTo: z.enum(['facility', 'all']).default('facility'),
  })
  .strict();
export type Ratchet = z.infer<typeof RatchetSchema>;

export const TariffDemandSchema = z
  .object({
    /** The meter's demand interval: charges bill the highest average load over one such interval. */
    intervalMinutes: z.union([z.literal(15), z.literal(30), z.literal(60)], { error: 'must be 15, 30 or 60 (minutes)' }).default(15),
    charges: z.array(DemandChargeSchema).default([]),
    ratchet: RatchetSchema.optional(),
  })
  .strict();
export type TariffDemandInput = z.input<typeof TariffDemandSchema>;
export type TariffDemand = z.output<typeof TariffDemandSchema>;

const scope = (c: DemandCharge) => (c.kind === 'facility' ? 'facility' : [...c.categories].sort().join('+'));

/** Identifies a charge within a tariff: kind, categories and season. */
export const chargeKey = (c: DemandCharge) => [scope(c), c.season ?? ''].join('|');

/** "facility", "on-peak", "mid-peak+on-peak (summer)": how a report names the charge. */
export const chargeLabel = (c: DemandCharge) => c.name ?? `${scope(c)}${c.season === undefined ? '' : ` (${c.season})`}`;
