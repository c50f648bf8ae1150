import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { runSteps } from '../db/schema.ts';
import { verifyChain } from '../domain/hashing.ts';
import type { OptimizedSchedule } from '../domain/plan.ts';
import type { EquipmentOutput, TariffOutput } from '../domain/problem.ts';
import type { IntakeOutput } from '../domain/run-request.ts';

/** What the run page draws: heaters over the horizon, the load against tariff periods and the limit. */
export const PlanViewSchema = z.object({
  runId: z.uuid(),
  timeZone: z.string(),
  horizon: z.object({ start: z.string(), end: z.string(), slotMinutes: z.number().int() }),
  /** One per slot: its local start, tariff period category and energy rate, and the site's electric load. */
  slots: z.array(z.object({ start: z.string(), localStart: z.string(), category: z.string(), energyRate: z.number(), loadKw: z.number() })),
  heaters: z.array(z.object({ id: z.string(), name: z.string(), type: z.string(), capacityKw: z.number() })),
  assignments: z.array(
    z.object({
      jobId: z.string(),
      product: z.string().nullable(),
      equipmentId: z.string(),
      startSlot: z.number().int(),
      endSlot: z.number().int(),
      start: z.string(),
      end: z.string(),
      thermalKw: z.number(),
      electricKw: z.number(),
      energyCost: z.number(),
    }),
  ),
  unscheduled: z.array(z.object({ jobId: z.string(), reason: z.string() })),
  peakKw: z.number(),
  peakLimitKw: z.number().nullable(),
  baseLoadKw: z.number(),
  solverNotes: z.array(z.string()),
  /** The stored outputs it was drawn from still match their hashes. */
  verified: z.boolean(),
});
export type PlanView = z.infer<typeof PlanViewSchema>;

interface StepOutputs {
  intake: IntakeOutput;
  tariff: TariffOutput;
  equipment: EquipmentOutput;
  optimize: OptimizedSchedule;
}

/** The plan as the page draws it, built from the run's stored step outputs (pure). */
export function buildPlanView(runId: string, out: StepOutputs, verified: boolean): PlanView {
  const { grid, slots } = out.tariff;
  const products = new Map(out.intake.schedule.jobs.map((j) => [j.id, j.product]));
  return {
    runId,
    timeZone: grid.timeZone,
    horizon: { start: grid.startUtc, end: grid.endUtc, slotMinutes: grid.slotMinutes },
    slots: slots.map((s, i) => ({
      start: s.startUtc,
      localStart: s.localStart,
      category: s.category,
      energyRate: s.energyRate,
      loadKw: out.optimize.loadProfileKw[i] ?? 0,
    })),
    heaters: out.equipment.equipment.map((e) => ({ id: e.id, name: e.name, type: e.type, capacityKw: e.capacityKw })),
    assignments: out.optimize.assignments.map((a) => ({
      jobId: a.jobId,
      product: products.get(a.jobId) ?? null,
      equipmentId: a.equipmentId,
      startSlot: a.startSlot,
      endSlot: a.endSlot,
      start: a.start,
      end: a.end,
      thermalKw: a.thermalKw,
      electricKw: a.electricKw,
      energyCost: a.energyCost,
    })),
    unscheduled: out.optimize.unscheduled,
    peakKw: out.optimize.peakKw,
    peakLimitKw: out.intake.settings.peakLimitKw ?? null,
    baseLoadKw: out.intake.settings.baseLoadKw,
    solverNotes: out.optimize.solver.notes,
    verified,
  };
}

/**
 * The plan view of a run whose optimize step has been recorded, or null before that. The caller
 * has checked that the run is the tenant's; the rows are filtered by tenant again all the same.
 */
export async function loadPlanView(db: Db, runId: string, tenantId: string | null): Promise<PlanView | null> {
  const rows = await db
    .select()
    .from(runSteps)
    .where(and(eq(runSteps.runId, runId), tenantId === null ? undefined : eq(runSteps.tenantId, tenantId)))
    .orderBy(asc(runSteps.seq));
  const byStep = new Map(rows.map((r) => [r.step, r]));
  const needed = ['intake', 'tariff', 'equipment', 'optimize'] as const;
  if (!needed.every((s) => byStep.has(s))) return null;
  const outputs = Object.fromEntries(needed.map((s) => [s, JSON.parse(byStep.get(s)!.outputJson)])) as unknown as StepOutputs;
  return buildPlanView(runId, outputs, verifyChain(rows).ok);
}
