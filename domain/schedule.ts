import { IANAZone } from 'luxon';
import { z } from 'zod';
import { InstantInputSchema, LocalDateSchema, TimeZoneSchema, toUtcIso } from './time.ts';

export const JobSchema = z
  .object({
    id: z.string().trim().min(1).max(64),
    product: z.string().trim().min(1).max(200),
    quantity: z.number().positive(),
    unit: z.string().trim().min(1).max(20),
    /** Thermal energy the job needs, kWh. */
    heatingKwh: z.number().positive().max(1e7),
    /** Highest thermal power the process accepts, kW; the heater may be smaller. */
    maxThermalKw: z.number().positive().optional(),
    /** Fixed process duration; the energy is then spread evenly over it. */
    durationMinutes: z.number().int().positive().max(7 * 24 * 60).optional(),
    earliestStart: InstantInputSchema,
    deadline: InstantInputSchema,
    /** 1 = most urgent, 5 = least. */
    priority: z.number().int().min(1).max(5).default(3),
    temperatureSetpointC: z.number().min(-50).max(2000).optional(),
    allowedEquipment: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();

export const ProductionScheduleInputSchema = z
  .object({
    tenant: z.string().trim().min(1).max(64),
    site: z.string().trim().min(1).max(64),
    scheduleDate: LocalDateSchema,
    timeZone: TimeZoneSchema,
    horizonDays: z.number().int().min(1).max(7).default(1),
    sourceSystem: z.string().max(50).default('API'),
    sourceReference: z.string().max(100).optional(),
    jobs: z.array(JobSchema).min(1, 'needs at least one job').max(5000),
  })
  .strict()
  .superRefine((s, ctx) => {
    // Runs even when fields failed (see `when`), so the input may be malformed anywhere.
    if (!Array.isArray(s.jobs)) return;
    const zoneOk = typeof s.timeZone === 'string' && IANAZone.isValidZone(s.timeZone);
    const seen = new Map<string, number>();
    s.jobs.forEach((job, i) => {
      if (!job || typeof job !== 'object') return;
      const first = seen.get(job.id);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['jobs', i, 'id'], message: `duplicates the id of jobs[${first}]` });
      } else seen.set(job.id, i);
      if (!zoneOk) return;
      const es = utcMillisOrNaN(job.earliestStart, s.timeZone);
      const dl = utcMillisOrNaN(job.deadline, s.timeZone);
      if (!Number.isNaN(es) && !Number.isNaN(dl) && !(dl > es)) ctx.addIssue({ code: 'custom', path: ['jobs', i, 'deadline'], message: 'must be after earliestStart' });
    });
  }, { when: () => true }) // list window problems next to type errors elsewhere, not after the planner fixes those
  .transform((s) => ({
    ...s,
    jobs: s.jobs.map((job) => ({
      ...job,
      earliestStart: toUtcIso(job.earliestStart, s.timeZone),
      deadline: toUtcIso(job.deadline, s.timeZone),
    })),
  }));

function utcMillisOrNaN(value: unknown, zone: string): number {
  if (typeof value !== 'string') return NaN;
  try {
    return Date.parse(toUtcIso(value, zone));
  } catch {
    return NaN;
  }
}

export type JobInput = z.input<typeof JobSchema>;
export type ProductionScheduleInput = z.input<typeof ProductionScheduleInputSchema>;
/** The canonical schedule: instants in UTC, defaults filled in. */
export type ProductionSchedule = z.output<typeof ProductionScheduleInputSchema>;
export type Job = ProductionSchedule['jobs'][number];
