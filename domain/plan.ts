import { z } from 'zod';
import { ObjectiveSchema } from './settings.ts';
import { PeriodCategorySchema } from './tariff.ts';

export const AssignmentSchema = z.object({
  jobId: z.string(),
  equipmentId: z.string(),
  /** First slot of the run and the slot boundary where it ends (exclusive). */
  startSlot: z.number().int().min(0),
  endSlot: z.number().int().min(1),
  start: z.string(),
  end: z.string(),
  thermalKw: z.number(),
  electricKw: z.number(),
  /** Electric draw per slot of the run, when the heater's COP changes over it (else electricKw throughout). */
  electricKwBySlot: z.array(z.number()).optional(),
  fuelKw: z.number(),
  /** Energy cost of this run alone: electricity at slot rates or fuel, plus its cold start. */
  energyCost: z.number(),
});
export type Assignment = z.infer<typeof AssignmentSchema>;

export const UnscheduledJobSchema = z.object({ jobId: z.string(), reason: z.string() });
export type UnscheduledJob = z.infer<typeof UnscheduledJobSchema>;

/** `time_limit`: the clock ended the search; `work_limit`: the work budget of `settings.deterministic` did. */
export const SolverStatusSchema = z.enum(['optimal', 'time_limit', 'work_limit', 'interrupted', 'infeasible', 'no_jobs']);
export type SolverStatus = z.infer<typeof SolverStatusSchema>;

export const OptimizedScheduleSchema = z.object({
  assignments: z.array(AssignmentSchema),
  unscheduled: z.array(UnscheduledJobSchema),
  /** Site electric load per slot (base load + electric heaters + heat pumps), kW. */
  loadProfileKw: z.array(z.number()),
  peakKw: z.number(),
  /** Per-category maximum of the load profile, the basis of the demand charges. */
  peakByCategoryKw: z.partialRecord(PeriodCategorySchema, z.number()),
  solver: z.object({
    name: z.literal('highs'),
    status: SolverStatusSchema,
    objectiveKind: ObjectiveSchema,
    /** minimize_cost: heating energy + fuel + start-ups + demand charges (base-load energy and fixed charges excluded); makespan and balance in hours. */
    objective: z.number().nullable(),
    bound: z.number().nullable(),
    /** Relative gap (objective - bound) / objective; 0 when proved optimal. */
    gap: z.number().nullable(),
    columns: z.number().int(),
    rows: z.number().int(),
    nonzeros: z.number().int(),
    /** What the planner should know about how the plan was found (e.g. a solver crash recovered from). */
    notes: z.array(z.string()).default([]),
  }),
});
export type OptimizedSchedule = z.infer<typeof OptimizedScheduleSchema>;
