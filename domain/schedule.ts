import { IANAZone } from 'luxon';
import { z } from 'zod';
import { InstantInputSchema, LocalDateSchema, TimeZoneSchema, toUtcIso } from './time.ts';

export const PrecedenceTypeSchema = z.enum(['finish_to_start', 'start_to_start', 'finish_to_finish', 'start_to_finish']);
export type PrecedenceType = z.infer<typeof PrecedenceTypeSchema>;

/** This job's start or end (per `type`) comes at least `lagMinutes` after the predecessor's start or end. */
export const PredecessorSchema = z
  .object({
    jobId: z.string().trim().min(1),
    type: PrecedenceTypeSchema.default('finish_to_start'),
    /** May be negative (an overlap). */
    lagMinutes: z
      .number()
      .int()
      .min(-7 * 24 * 60)
      .max(7 * 24 * 60)
      .default(0),
  })
  .strict();

/** A fixed heater and start, from an earlier plan version or set by an operator. */
export const LockSchema = z.object({ equipmentId: z.string().trim().min(1), start: InstantInputSchema }).strict();

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
    durationMinutes: z
      .number()
      .int()
      .positive()
      .max(7 * 24 * 60)
      .optional(),
    earliestStart: InstantInputSchema,
    deadline: InstantInputSchema,
    /** 1 = most urgent, 5 = least. */
    priority: z.number().int().min(1).max(5).default(3),
    temperatureSetpointC: z.number().min(-50).max(2000).optional(),
    allowedEquipment: z.array(z.string().min(1)).min(1).optional(),
    /**
     * The process accepts any constant power between the heater's min load and its capacity (or
     * maxThermalKw): runs may stretch to lower the electric peak. Not with durationMinutes.
     */
    modulating: z.boolean().default(false),
    /** Product family, for the heaters' changeover times (default: the product). */
    productFamily: z.string().trim().min(1).max(100).optional(),
    predecessors: z.array(PredecessorSchema).default([]),
    lock: LockSchema.optional(),
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
  .superRefine(
    (s, ctx) => {
      // Runs even when fields failed (see `when`), so the input may be malformed anywhere.
      if (!s || !Array.isArray(s.jobs)) return;
      const zoneOk = typeof s.timeZone === 'string' && IANAZone.isValidZone(s.timeZone);
      const seen = new Map<string, number>();
      s.jobs.forEach((job, i) => {
        if (!job || typeof job !== 'object') return;
        const first = seen.get(job.id);
        if (first !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['jobs', i, 'id'], message: `duplicates the id of jobs[${first}]` });
        } else seen.set(job.id, i);
        if (job.modulating === true && job.durationMinutes !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['jobs', i, 'modulating'],
            message: 'a modulating job takes its duration from its power: drop durationMinutes',
          });
        }
        if (!zoneOk) return;
        const es = utcMillisOrNaN(job.earliestStart, s.timeZone);
        const dl = utcMillisOrNaN(job.deadline, s.timeZone);
        if (!Number.isNaN(es) && !Number.isNaN(dl) && !(dl > es))
          ctx.addIssue({ code: 'custom', path: ['jobs', i, 'deadline'], message: 'must be after earliestStart' });
      });
      precedenceProblems(s.jobs).forEach(({ path, message }) => ctx.addIssue({ code: 'custom', path, message }));
    },
    { when: () => true },
  ) // list window problems next to type errors elsewhere, not after the planner fixes those
  .transform((s) => ({
    ...s,
    jobs: s.jobs.map((job) => ({
      ...job,
      earliestStart: toUtcIso(job.earliestStart, s.timeZone),
      deadline: toUtcIso(job.deadline, s.timeZone),
      productFamily: job.productFamily ?? job.product,
      lock: job.lock && { ...job.lock, start: toUtcIso(job.lock.start, s.timeZone) },
    })),
  }));

/** Unknown or self predecessors, and cycles (each named once, at the job that closes it). */
function precedenceProblems(jobs: unknown[]): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const index = new Map<string, number>();
  jobs.forEach((job, i) => {
    const id = (job as { id?: unknown })?.id;
    if (typeof id === 'string' && !index.has(id.trim())) index.set(id.trim(), i);
  });
  const edges: number[][] = jobs.map(() => []);
  jobs.forEach((job, i) => {
    const preds = (job as { predecessors?: unknown })?.predecessors;
    if (!Array.isArray(preds)) return;
    preds.forEach((p, k) => {
      const ref = (p as { jobId?: unknown })?.jobId;
      if (typeof ref !== 'string') return;
      const from = index.get(ref.trim());
      if (from === undefined)
        problems.push({ path: ['jobs', i, 'predecessors', k, 'jobId'], message: `names no job of this schedule (${ref})` });
      else if (from === i) problems.push({ path: ['jobs', i, 'predecessors', k, 'jobId'], message: 'a job cannot precede itself' });
      else edges[from].push(i);
    });
  });
  // Depth-first search for back edges.
  const state = new Uint8Array(jobs.length); // 0 new, 1 on the stack, 2 done
  const visit = (v: number, path: number[]): void => {
    state[v] = 1;
    path.push(v);
    for (const w of edges[v]) {
      if (state[w] === 1) {
        const cycle = path.slice(path.indexOf(w)).map((j) => (jobs[j] as { id: string }).id);
        problems.push({ path: ['jobs', w, 'predecessors'], message: `closes a precedence cycle: ${[...cycle, cycle[0]].join(' → ')}` });
      } else if (state[w] === 0) visit(w, path);
    }
    path.pop();
    state[v] = 2;
  };
  jobs.forEach((_, v) => state[v] === 0 && visit(v, []));
  return problems;
}

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
