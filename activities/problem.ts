import type { Db } from '../db/client.ts';
import { loadStepOutput } from '../db/repositories/steps.ts';
import type { StepRef } from '../domain/pipeline.ts';
import { assembleProblem, type EquipmentOutput, type PlanningProblem, type TariffOutput } from '../domain/problem.ts';
import type { IntakeOutput } from '../domain/run-request.ts';

export interface ProblemRefs {
  intake: StepRef;
  tariff: StepRef;
  equipment: StepRef;
}

/** Assembles the planning problem from the three verified step outputs. */
export async function loadProblem(db: Db, runId: string, refs: ProblemRefs): Promise<PlanningProblem> {
  const [intake, tariff, equipment] = await Promise.all([
    loadStepOutput<IntakeOutput>(db, runId, refs.intake),
    loadStepOutput<TariffOutput>(db, runId, refs.tariff),
    loadStepOutput<EquipmentOutput>(db, runId, refs.equipment),
  ]);
  return assembleProblem(intake, tariff, equipment);
}
