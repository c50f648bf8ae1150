import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertTariff } from '../../db/repositories/tariffs.ts';
import { optimizedAssignments } from '../../db/schema.ts';
import { TariffSchema } from '../../domain/tariff.ts';
import { generateRequest } from '../../examples/generate.ts';
import { verifyRunChain } from '../../runs/read.ts';
import { runRow, startTestPipeline, stepNames, type TestPipeline } from '../support/pipeline.ts';

/**
 * An operator's retry from Temporal UI: the UI's "Reset" calls WorkflowService.ResetWorkflowExecution
 * to the first workflow task. The run failed for want of a tariff; once the tariff is registered,
 * the reset run completes with one result and an intact chain.
 */
describe('a failed run reset in Temporal UI', () => {
  let p: TestPipeline;

  beforeAll(async () => {
    p = await startTestPipeline();
  });

  afterAll(async () => {
    await p?.close();
  });

  it('completes after the missing tariff is added: SUCCESS, one result, the chain verified', async () => {
    const generated = generateRequest({ seed: 31, jobs: 6, heaters: 2, windows: 'loose', timeLimitSeconds: 5 });
    const site = `reset-${randomUUID().slice(0, 8)}`;
    const { tariff, ...rest } = generated;
    const request = { ...rest, schedule: { ...generated.schedule, site }, settings: { ...generated.settings, deterministic: true } };
    const runId = await p.submit(request);
    const handle = p.client.workflow.getHandle(runId);
    expect(await handle.result().catch((e: unknown) => e)).toBeInstanceOf(WorkflowFailedError);
    expect(await runRow(p, runId)).toMatchObject({ status: 'FAILED', errorCode: 'E006' });

    await upsertTariff(p.db, generated.schedule.tenant, site, TariffSchema.parse(tariff));
    const history = await handle.fetchHistory();
    const firstTask = history.events!.find((e) => e.workflowTaskCompletedEventAttributes)!;
    const { firstExecutionRunId } = await handle.describe().then((d) => ({ firstExecutionRunId: d.runId }));
    const reset = await p.connection.workflowService.resetWorkflowExecution({
      namespace: 'default',
      workflowExecution: { workflowId: runId, runId: firstExecutionRunId },
      reason: 'tariff registered',
      workflowTaskFinishEventId: firstTask.eventId,
      requestId: randomUUID(),
    });
    await p.client.workflow.getHandle(runId, reset.runId!).result();

    const row = await runRow(p, runId);
    expect(row).toMatchObject({ status: 'SUCCESS', errorCode: null, errorMessage: null });
    expect(await stepNames(p, runId)).toEqual(['intake', 'tariff', 'equipment', 'optimize', 'cost', 'report']);
    const verdict = await verifyRunChain(p.db, runId);
    expect(verdict).toEqual({ ok: true, head: row.outputHash });
    const [{ n }] = await p.db
      .select({ n: sql<number>`count(distinct ${optimizedAssignments.jobId})::int` })
      .from(optimizedAssignments)
      .where(and(eq(optimizedAssignments.runId, runId), eq(optimizedAssignments.plan, 'optimized')));
    expect(n).toBe(6);
  });
});
