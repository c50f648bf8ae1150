import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { artefacts, optimizationRuns, runSteps } from '../db/schema.ts';
import { verifyChain, type ChainVerdict } from '../domain/hashing.ts';

export async function loadRun(db: Db, runId: string) {
  const [run] = await db.select().from(optimizationRuns).where(eq(optimizationRuns.runId, runId));
  return run;
}

export async function loadChain(db: Db, runId: string) {
  return db.select().from(runSteps).where(eq(runSteps.runId, runId)).orderBy(asc(runSteps.seq));
}

/** Recomputes the run's provenance chain from the stored outputs. */
export async function verifyRunChain(db: Db, runId: string): Promise<ChainVerdict> {
  const steps = await loadChain(db, runId);
  if (steps.length === 0) return { ok: false, step: '-', reason: `run ${runId} has no recorded steps` };
  return verifyChain(steps);
}

export async function loadArtefact(db: Db, runId: string, kind: string) {
  const [row] = await db
    .select()
    .from(artefacts)
    .where(and(eq(artefacts.runId, runId), eq(artefacts.kind, kind)));
  return row;
}
