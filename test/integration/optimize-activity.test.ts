import { randomUUID } from 'node:crypto';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { equipmentActivities } from '../../activities/equipment/activity.ts';
import { intakeActivities } from '../../activities/intake/activity.ts';
import { optimizeActivities } from '../../activities/optimize/activity.ts';
import type { ProblemRefs } from '../../activities/problem.ts';
import { tariffActivities } from '../../activities/tariff/activity.ts';
import { openDb, type DbHandle } from '../../db/client.ts';
import { loadStepOutput } from '../../db/repositories/steps.ts';
import { optimizationRuns, optimizedAssignments, runInputs, runSteps } from '../../db/schema.ts';
import type { OptimizeHeartbeat, SolverProgress, StepRef } from '../../domain/pipeline.ts';
import type { OptimizedSchedule } from '../../domain/plan.ts';
import { HARD_JOBS, hardRequest, waitFor } from '../support/pipeline.ts';

/** The optimize activity in a mocked activity context (heartbeats and cancellation), on the suite's Postgres. */
describe('the optimize activity', () => {
  let handle: DbHandle;

  beforeAll(() => {
    handle = openDb(inject('databaseUrl'));
  });

  afterAll(async () => {
    await handle?.close();
  });

  /** A run whose intake, tariff and equipment steps are done: what optimize starts from. */
  async function runReadyToOptimize(request: unknown): Promise<{ runId: string } & ProblemRefs> {
    const { db } = handle;
    const runId = randomUUID();
    await db.insert(optimizationRuns).values({ runId, tenantId: 'gen', status: 'RUNNING' });
    await db.insert(runInputs).values({ runId, tenantId: 'gen', format: 'json', content: JSON.stringify(request) });
    const intake = (await intakeActivities(db).intake({ runId })).ref;
    const [tariff, equipment] = await Promise.all([
      tariffActivities(db).resolveTariff({ runId, intake }),
      equipmentActivities(db).resolveEquipment({ runId, intake }),
    ]);
    return { runId, intake, tariff, equipment };
  }

  const stepOf = async (runId: string) =>
    (
      await handle.db
        .select()
        .from(runSteps)
        .where(and(eq(runSteps.runId, runId), eq(runSteps.step, 'optimize')))
    )[0];

  it('heartbeats the incumbent plan while solving, tells the workflow, and stops with nothing recorded when cancelled', async () => {
    const refs = await runReadyToOptimize(hardRequest(120));
    const told: { workflowId: string; progress: SolverProgress }[] = [];
    const optimize = optimizeActivities(handle.db, async (workflowId, progress) => {
      told.push({ workflowId, progress });
    }).optimize;
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 15_000 }, { logger: new DefaultLogger('ERROR') });
    const beats: OptimizeHeartbeat[] = [];
    env.on('heartbeat', (details: OptimizeHeartbeat) => beats.push(details));
    const solving = env.run(optimize, refs).catch((err: unknown) => err);

    const withPlan = await waitFor('a heartbeat with a plan', async () => beats.find((b) => b.plan !== null), 90_000);
    expect(withPlan).toMatchObject({ phase: 'solving', incumbent: expect.any(Number) });
    expect(withPlan.plan).toHaveLength(HARD_JOBS);
    expect(withPlan.plan!.every((code) => Number.isInteger(code) && code >= 0)).toBe(true); // every job placed
    await waitFor('the workflow to hear of the incumbent', async () => told[0], 30_000);
    expect(told[0].workflowId).toBe(refs.runId);
    expect(told[0].progress.incumbent).toBeGreaterThan(0);

    env.cancel();
    expect(await solving).toBeInstanceOf(CancelledFailure);
    expect(await stepOf(refs.runId)).toBeUndefined();
    const beatsAtCancel = beats.length;
    await new Promise((r) => setTimeout(r, 1_500));
    expect(beats.length).toBe(beatsAtCancel); // the heartbeat timer stopped with the solve
  });

  it("a retried attempt resumes from the earlier attempt's heartbeated plan and records one result", async () => {
    // An earlier attempt's last heartbeat: its incumbent plan, taken from a solve of the same day.
    const first = await runReadyToOptimize(hardRequest(120));
    const env1 = new MockActivityEnvironment({ heartbeatTimeoutMs: 15_000 }, { logger: new DefaultLogger('ERROR') });
    const beats: OptimizeHeartbeat[] = [];
    env1.on('heartbeat', (details: OptimizeHeartbeat) => beats.push(details));
    const cancelled = env1.run(optimizeActivities(handle.db).optimize, first).catch(() => undefined);
    const last = await waitFor('a heartbeat with a plan', async () => beats.find((b) => b.plan !== null), 90_000);
    env1.cancel();
    await cancelled;

    const refs = await runReadyToOptimize(hardRequest(3));
    const env2 = new MockActivityEnvironment(
      { heartbeatTimeoutMs: 15_000, heartbeatDetails: last, attempt: 2 },
      { logger: new DefaultLogger('ERROR') },
    );
    const ref: StepRef = await env2.run(optimizeActivities(handle.db).optimize, refs);
    const plan = await loadStepOutput<OptimizedSchedule>(handle.db, refs.runId, ref);
    const resumed = /resumed from the plan an earlier attempt heartbeated \(objective ([\d.]+)\)/.exec(plan.solver.notes.join('\n'));
    expect(resumed).not.toBeNull();
    expect(Number(resumed![1])).toBeCloseTo(last.incumbent!, 2);
    expect(plan.solver.objective!).toBeLessThanOrEqual(last.incumbent! + 0.01);
    expect(plan.assignments).toHaveLength(HARD_JOBS);

    // Run again (a retry after the result was stored): the stored step comes back, nothing is written twice.
    expect(await env2.run(optimizeActivities(handle.db).optimize, refs)).toEqual(ref);
    const [{ n }] = await handle.db
      .select({ n: sql<number>`count(*)::int` })
      .from(optimizedAssignments)
      .where(and(eq(optimizedAssignments.runId, refs.runId), eq(optimizedAssignments.plan, 'optimized')));
    expect(n).toBe(HARD_JOBS);
    const [run] = await handle.db.select().from(optimizationRuns).where(eq(optimizationRuns.runId, refs.runId));
    expect(run).toMatchObject({ solverType: 'highs', assignmentsCount: HARD_JOBS });
    expect(run.objectiveValue!).toBeCloseTo(plan.solver.objective!, 3);
  });
});
