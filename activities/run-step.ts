import type { Db, Tx } from '../db/client.ts';
import { findStep, recordStep } from '../db/repositories/steps.ts';
import type { ChainStep, StepRef } from '../domain/pipeline.ts';

/** One chain step as an agent's activity does it: load its inputs, compute with the pure core, record. */
interface StepSpec<In, Out> {
  runId: string;
  step: ChainStep;
  /** Hashes of the outputs this step's output derives from. */
  parents: string[];
  /** Reads the inputs (earlier steps' outputs are checked against their hashes). */
  load(): Promise<In>;
  /** The agent's pure work: no database, no Temporal. */
  compute(input: In): Out | Promise<Out>;
  /** The tenant the run's rows belong to. */
  tenant(input: In, output: Out): string;
  /** The step's own rows, written in the transaction that stores its output and chain link. */
  record?(tx: Tx, done: { input: In; output: Out; hash: string }): Promise<void>;
}

/**
 * Find step → load → compute → record. A retry of a step that already completed returns the
 * stored ref without doing the work again, so each step happens once per run.
 */
export async function runStep<In, Out>(db: Db, spec: StepSpec<In, Out>): Promise<StepRef> {
  const done = await findStep(db, spec.runId, spec.step);
  if (done) return done;
  const input = await spec.load();
  const output = await spec.compute(input);
  const { record } = spec;
  return recordStep(
    db,
    { runId: spec.runId, tenantId: spec.tenant(input, output), step: spec.step, parents: spec.parents, output },
    record && ((tx, hash) => record(tx, { input, output, hash })),
  );
}
