import { z } from 'zod';

/**
 * The parts of an OpenEI Utility Rate Database (URDB) record the import reads (API v7/v8 field
 * names); other fields are kept but ignored. Rate structures are arrays of periods, each an
 * array of tiers; schedules are 12 months × 24 hours of period indices (0-based).
 */
const TierSchema = z.looseObject({
  rate: z.number().optional(),
  adj: z.number().optional(),
  max: z.number().optional(),
  unit: z.string().optional(),
  sell: z.number().optional(),
});
export type UrdbTier = z.infer<typeof TierSchema>;

const StructureSchema = z.array(z.array(TierSchema).min(1, 'a period needs at least one tier'));

const ScheduleSchema = z
  .array(z.array(z.number().int().min(0), 'must be 24 period indices').length(24, 'must have 24 hours'), 'must be 12 months of 24 hours')
  .length(12, 'must have 12 months');

export const UrdbRecordSchema = z
  .looseObject({
    label: z.string().optional(),
    uri: z.string().optional(),
    name: z.string().trim().min(1),
    utility: z.string().trim().min(1),
    sector: z.string().optional(),
    description: z.string().optional(),
    source: z.string().optional(),
    /** Unix seconds. */
    startdate: z.number().optional(),
    enddate: z.number().optional(),
    fixedchargefirstmeter: z.number().min(0).optional(),
    fixedchargeunits: z.string().optional(),
    fixedmonthlycharge: z.number().min(0).optional(),
    mincharge: z.number().optional(),
    minchargeunits: z.string().optional(),
    energyratestructure: StructureSchema.min(1),
    energyweekdayschedule: ScheduleSchema,
    energyweekendschedule: ScheduleSchema,
    demandratestructure: StructureSchema.optional(),
    demandweekdayschedule: ScheduleSchema.optional(),
    demandweekendschedule: ScheduleSchema.optional(),
    demandrateunit: z.string().optional(),
    flatdemandstructure: StructureSchema.optional(),
    flatdemandmonths: z.array(z.number().int().min(0)).length(12, 'must have 12 months').optional(),
    flatdemandunit: z.string().optional(),
    demandwindow: z.number().positive().optional(),
    demandratchetpercentage: z.array(z.number().min(0).max(100)).length(12, 'must have 12 months').optional(),
    lookbackpercent: z.number().min(0).optional(),
    lookbackrange: z.number().int().min(0).optional(),
    coincidentratestructure: z.unknown().optional(),
  })
  .superRefine((r, ctx) => {
    const check = (schedule: number[][] | undefined, field: string, periods: number | undefined) => {
      if (!schedule) return;
      if (periods === undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: `needs ${field.replace(/week(day|end)schedule$/, 'ratestructure')}` });
        return;
      }
      schedule.forEach((row, m) =>
        row.forEach((p, h) => {
          if (p >= periods)
            ctx.addIssue({ code: 'custom', path: [field, m, h], message: `period ${p} is not in the rate structure (${periods} periods)` });
        }),
      );
    };
    check(r.energyweekdayschedule, 'energyweekdayschedule', r.energyratestructure.length);
    check(r.energyweekendschedule, 'energyweekendschedule', r.energyratestructure.length);
    check(r.demandweekdayschedule, 'demandweekdayschedule', r.demandratestructure?.length);
    check(r.demandweekendschedule, 'demandweekendschedule', r.demandratestructure?.length);
    if (r.demandratestructure?.length && (!r.demandweekdayschedule || !r.demandweekendschedule)) {
      ctx.addIssue({ code: 'custom', path: ['demandratestructure'], message: 'needs demandweekdayschedule and demandweekendschedule' });
    }
    (r.flatdemandmonths ?? []).forEach((p, m) => {
      const periods = r.flatdemandstructure?.length ?? 0;
      if (p >= periods)
        ctx.addIssue({
          code: 'custom',
          path: ['flatdemandmonths', m],
          message: `period ${p} is not in flatdemandstructure (${periods} periods)`,
        });
    });
  });
export type UrdbRecord = z.infer<typeof UrdbRecordSchema>;

/** A URDB API response (`{ items: [...] }`) or a single record. */
export const UrdbDocumentSchema = z.union([
  z.looseObject({ items: z.array(z.unknown()).min(1, 'has no rate') }),
  z.looseObject({ name: z.unknown() }),
]);
