import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { AUTO_FORMAT } from '../activities/intake/adapters/types.ts';
import { storedBytes } from '../db/repositories/run-inputs.ts';
import { idempotencyKeys, optimizationRuns, runInputs } from '../db/schema.ts';
import { TASK_QUEUES } from '../domain/pipeline.ts';
import type { optimizationRun } from '../workflows/optimization-run.ts';

export interface Submission {
  /** The file as received: text or bytes (XLSX), any input format. */
  content: string | Uint8Array;
  /** The format the submitter names; without it (`auto`) intake recognises it from the content. */
  format?: string;
  /** The file's name, for messages (`plant.csv row 5`). */
  fileName?: string;
  /** The submitter's tenant; without it (the CLI), the tenant named in a JSON body, so the row is attributable before validation. */
  tenantId?: string;
  /** Who submitted (a token's subject). */
  submittedBy?: string;
  /** A repeated submission with the same key (and body) returns the first run instead of starting another. */
  idempotencyKey?: string;
  taskQueue?: string;
}

export interface Submitted {
  runId: string;
  /** True when an earlier submission with the same idempotency key is returned. */
  replayed: boolean;
}

/** The idempotency key was used before with a different body. */
export class IdempotencyKeyReused extends Error {
  constructor(readonly runId: string) {
    super('this Idempotency-Key was sent before with a different body');
  }
}

/** The submission was stored but Temporal would not start its workflow; the run is closed as FAILED. */
export class WorkflowNotStarted extends Error {
  constructor(
    readonly runId: string,
    cause: unknown,
  ) {
    super('the workflow could not be started (Temporal unavailable); nothing will run', { cause });
  }
}

class KeyTaken extends Error {}

/**
 * Stores the submission exactly as received (so nothing is lost, even if it turns out invalid),
 * then starts the run's workflow with the run id as workflow id.
 */
export async function submitRun(db: Db, client: Client, submission: Submission): Promise<Submitted> {
  const runId = randomUUID();
  const tenantId = submission.tenantId ?? sniffTenant(submission) ?? 'unknown';
  const key = submission.idempotencyKey;
  const stored = storedBytes(typeof submission.content === 'string' ? Buffer.from(submission.content, 'utf8') : submission.content);
  const requestHash = stored.sha256;
  try {
    await db.transaction(async (tx) => {
      await tx.insert(optimizationRuns).values({ runId, tenantId, status: 'PENDING', submittedBy: submission.submittedBy ?? null });
      const format = submission.format ?? AUTO_FORMAT;
      await tx.insert(runInputs).values({ runId, tenantId, format, fileName: submission.fileName?.slice(0, 255), ...stored });
      if (key === undefined) return;
      // A concurrent submission with the same key waits here for ours to commit, then finds it taken.
      const taken = await tx.insert(idempotencyKeys).values({ tenantId, key, requestHash, runId }).onConflictDoNothing().returning();
      if (taken.length === 0) throw new KeyTaken();
    });
  } catch (err) {
    if (!(err instanceof KeyTaken)) throw err;
    return replay(db, client, submission, tenantId, requestHash);
  }
  await startWorkflow(db, client, runId, submission);
  return { runId, replayed: false };
}

async function replay(db: Db, client: Client, submission: Submission, tenantId: string, requestHash: string): Promise<Submitted> {
  const [first] = await db
    .select({ runId: idempotencyKeys.runId, requestHash: idempotencyKeys.requestHash, status: optimizationRuns.status })
    .from(idempotencyKeys)
    .innerJoin(optimizationRuns, eq(optimizationRuns.runId, idempotencyKeys.runId))
    .where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, submission.idempotencyKey!)));
  if (!first) throw new Error('idempotency key vanished during the submission; retry');
  if (first.requestHash !== requestHash) throw new IdempotencyKeyReused(first.runId);
  // The first request may have died between storing and starting: start it now (never a second execution).
  if (first.status === 'PENDING') await startWorkflow(db, client, first.runId, submission);
  return { runId: first.runId, replayed: true };
}

async function startWorkflow(db: Db, client: Client, runId: string, submission: Submission): Promise<void> {
  try {
    await client.workflow.start<typeof optimizationRun>('optimizationRun', {
      taskQueue: submission.taskQueue ?? TASK_QUEUES.pipeline,
      workflowId: runId,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [{ runId }],
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return;
    await db.transaction(async (tx) => {
      await tx
        .update(optimizationRuns)
        .set({ status: 'FAILED', errorMessage: 'the workflow could not be started', completedAt: new Date() })
        .where(eq(optimizationRuns.runId, runId));
      await tx.delete(idempotencyKeys).where(eq(idempotencyKeys.runId, runId));
    });
    throw new WorkflowNotStarted(runId, err);
  }
}

function sniffTenant(s: Submission): string | undefined {
  if ((s.format ?? 'json') !== 'json' || typeof s.content !== 'string') return undefined;
  try {
    const tenant = (JSON.parse(s.content) as { schedule?: { tenant?: unknown } }).schedule?.tenant;
    return typeof tenant === 'string' && tenant.length <= 64 ? tenant : undefined;
  } catch {
    return undefined;
  }
}
