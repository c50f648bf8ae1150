import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client.ts';
import { optimizationRuns, runInputs } from '../db/schema.ts';
import { TASK_QUEUES } from '../domain/pipeline.ts';
import type { optimizationRun } from '../workflows/optimization-run.ts';

export interface Submission {
  content: string;
  format: string;
  /** Falls back to the tenant named in a JSON body, so the row is attributable before validation. */
  tenantId?: string;
}

/**
 * Stores the submission exactly as received (so nothing is lost, even if it turns out invalid),
 * then starts the run's workflow with the run id as workflow id.
 */
export async function submitRun(db: Db, client: Client, submission: Submission): Promise<{ runId: string }> {
  const runId = randomUUID();
  const tenantId = submission.tenantId ?? sniffTenant(submission) ?? 'unknown';
  await db.transaction(async (tx) => {
    await tx.insert(optimizationRuns).values({ runId, tenantId, status: 'PENDING' });
    await tx.insert(runInputs).values({ runId, tenantId, format: submission.format, content: submission.content });
  });
  await client.workflow.start<typeof optimizationRun>('optimizationRun', {
    taskQueue: TASK_QUEUES.pipeline,
    workflowId: runId,
    args: [{ runId }],
  });
  return { runId };
}

function sniffTenant(s: Submission): string | undefined {
  if (s.format !== 'json') return undefined;
  try {
    const tenant = (JSON.parse(s.content) as { schedule?: { tenant?: unknown } }).schedule?.tenant;
    return typeof tenant === 'string' && tenant.length <= 64 ? tenant : undefined;
  } catch {
    return undefined;
  }
}
