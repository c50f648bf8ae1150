import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import { TASK_QUEUES } from '../../domain/pipeline.ts';
import type { optimizationRun } from '../../workflows/optimization-run.ts';
import { RUN_SEARCH_ATTRIBUTES as SA } from '../../workflows/search-attributes.ts';
import { STUB_SUMMARY, StubActivities, WorkflowHarness } from './harness.ts';

/** How runs show in Temporal UI: filterable by tenant, site, date, objective and outcome; figures in the memo. */
describe('a run in Temporal UI', () => {
  let h: WorkflowHarness;

  beforeAll(async () => {
    h = await WorkflowHarness.start();
  });

  afterAll(async () => {
    await h?.stop();
  });

  const run = (runId: string, stubs: StubActivities) =>
    h.withWorkers(stubs, async () => {
      const handle = await h.client.workflow.start<typeof optimizationRun>('optimizationRun', {
        taskQueue: TASK_QUEUES.pipeline,
        workflowId: runId,
        args: [{ runId }],
      });
      await handle.result().catch(() => undefined);
      return handle.describe();
    });

  /** Visibility is eventually consistent: ask until the query finds the run (bounded). */
  async function findIds(query: string, expected: number): Promise<string[]> {
    let ids: string[] = [];
    for (let i = 0; i < 50 && ids.length < expected; i++) {
      ids = [];
      for await (const wf of h.client.workflow.list({ query })) ids.push(wf.workflowId);
      if (ids.length < expected) await new Promise((r) => setTimeout(r, 200));
    }
    return ids;
  }

  it('a successful run carries tenant, site, day, objective and SUCCESS, and its figures in the memo', async () => {
    const runId = randomUUID();
    const described = await run(runId, new StubActivities());
    expect(described.typedSearchAttributes.get(SA.tenant)).toBe('acme');
    expect(described.typedSearchAttributes.get(SA.site)).toBe('plant-1');
    expect(described.typedSearchAttributes.get(SA.scheduleDate)?.toISOString()).toBe('2026-12-03T00:00:00.000Z');
    expect(described.typedSearchAttributes.get(SA.objective)).toBe('minimize_cost');
    expect(described.typedSearchAttributes.get(SA.outcome)).toBe('SUCCESS');
    expect(described.memo).toEqual({ summary: STUB_SUMMARY });
    const query = `WorkflowId = '${runId}' AND HeatSchedulerTenant = 'acme' AND HeatSchedulerOutcome = 'SUCCESS' AND HeatSchedulerScheduleDate >= '2026-12-03T00:00:00Z'`;
    expect(await findIds(query, 1)).toEqual([runId]);
  });

  it('a failed run is found by its outcome, and has no figures', async () => {
    const runId = randomUUID();
    const stubs = new StubActivities({
      resolveTariff: async () => {
        throw new DomainError(ErrorCode.TARIFF_NOT_FOUND, 'no tariff for site plant-1');
      },
    });
    const described = await run(runId, stubs);
    expect(described.typedSearchAttributes.get(SA.outcome)).toBe('FAILED');
    expect(described.typedSearchAttributes.get(SA.site)).toBe('plant-1');
    expect(described.memo?.summary).toBeUndefined();
    expect(await findIds(`WorkflowId = '${runId}' AND HeatSchedulerOutcome = 'FAILED'`, 1)).toEqual([runId]);
  });
});
