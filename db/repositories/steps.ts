import { and, asc, eq } from 'drizzle-orm';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import { canonicalJson, chainHash } from '../../domain/hashing.ts';
import { CHAIN_STEPS, type ChainStep, type StepRef } from '../../domain/pipeline.ts';
import type { Db, Tx } from '../client.ts';
import { runSteps } from '../schema.ts';

/**
 * Stores a step's output and its chain link, together with the step's own rows (`writeRows`), in
 * one transaction. A retried activity finds the link already stored and returns it unchanged, so
 * every step happens exactly once per run however often it is attempted.
 */
export async function recordStep(
  db: Db,
  args: { runId: string; tenantId: string; step: ChainStep; parents: string[]; output: unknown },
  writeRows?: (tx: Tx, hash: string) => Promise<void>,
): Promise<StepRef> {
  const outputJson = canonicalJson(args.output);
  const hash = chainHash(args.parents, args.step, JSON.parse(outputJson));
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(runSteps)
      .values({
        runId: args.runId,
        tenantId: args.tenantId,
        step: args.step,
        seq: CHAIN_STEPS.indexOf(args.step) + 1,
        parents: args.parents,
        outputJson,
        hash,
      })
      .onConflictDoNothing()
      .returning({ hash: runSteps.hash });
    if (inserted.length === 0) {
      const [stored] = await tx
        .select({ hash: runSteps.hash })
        .from(runSteps)
        .where(and(eq(runSteps.runId, args.runId), eq(runSteps.step, args.step)));
      return { step: args.step, hash: stored.hash };
    }
    if (writeRows) await writeRows(tx, hash);
    return { step: args.step, hash };
  });
}

/** The stored ref of a step that already completed, if any (lets a retry skip the work). */
export async function findStep(db: Db, runId: string, step: ChainStep): Promise<StepRef | undefined> {
  const [row] = await db
    .select({ hash: runSteps.hash })
    .from(runSteps)
    .where(and(eq(runSteps.runId, runId), eq(runSteps.step, step)));
  return row ? { step, hash: row.hash } : undefined;
}

/** Loads a step's output and refuses it (E008) if it no longer matches the hash the workflow carried. */
export async function loadStepOutput<T>(db: Db, runId: string, ref: StepRef): Promise<T> {
  const [row] = await db
    .select()
    .from(runSteps)
    .where(and(eq(runSteps.runId, runId), eq(runSteps.step, ref.step)));
  if (!row) throw new DomainError(ErrorCode.INTEGRITY_VIOLATION, `step ${ref.step} of run ${runId} has no stored output`);
  const output = JSON.parse(row.outputJson) as T;
  const recomputed = chainHash(row.parents, row.step, output);
  if (row.hash !== ref.hash || recomputed !== ref.hash) {
    throw new DomainError(
      ErrorCode.INTEGRITY_VIOLATION,
      `step ${ref.step} of run ${runId} was altered after it ran (expected ${ref.hash.slice(0, 12)}…, found ${recomputed.slice(0, 12)}…)`,
    );
  }
  return output;
}

/** The run's chain links recorded so far (step, hash, parents), in pipeline order. */
export async function loadChainLinks(db: Db, runId: string): Promise<{ step: string; hash: string; parents: string[] }[]> {
  return db
    .select({ step: runSteps.step, hash: runSteps.hash, parents: runSteps.parents })
    .from(runSteps)
    .where(eq(runSteps.runId, runId))
    .orderBy(asc(runSteps.seq));
}
