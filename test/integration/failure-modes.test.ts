import { readFileSync } from 'node:fs';
import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure, defaultPayloadConverter } from '@temporalio/common';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optimizedAssignments } from '../../db/schema.ts';
import type { OptimizeHeartbeat } from '../../domain/pipeline.ts';
import type { OptimizedSchedule } from '../../domain/plan.ts';
import { loadChain } from '../../runs/read.ts';
import { progressQuery } from '../../workflows/optimization-run.ts';
import { HARD_JOBS, hardRequest, runRow, solving, startTestPipeline, stepNames, waitFor, type TestPipeline } from '../support/pipeline.ts';

/** CPU seconds a process has used so far (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

describe('failure modes a plant meets', () => {
  let p: TestPipeline;

  beforeAll(async () => {
    p = await startTestPipeline();
  });

  afterAll(async () => {
    await p?.close();
  });

  it('cancelling mid-solve ends the run as CANCELLED and stops the solver thread', async () => {
    const runId = await p.submit(hardRequest(120));
    await solving(p, runId);
    const solverPid = p.workers.solver.child.pid!;
    const cancelledAt = Date.now();
    await p.client.workflow.getHandle(runId).cancel();
    const err = await p.client.workflow
      .getHandle(runId)
      .result()
      .catch((e: unknown) => e);
    expect(Date.now() - cancelledAt).toBeLessThan(10_000);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    expect((await runRow(p, runId)).status).toBe('CANCELLED');
    expect(await stepNames(p, runId)).toEqual(['intake', 'tariff', 'equipment']);
    // The solver process goes idle: the WASM thread was terminated, not left spinning.
    await new Promise((r) => setTimeout(r, 500));
    const before = cpuSeconds(solverPid);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(cpuSeconds(solverPid) - before).toBeLessThan(0.5);
  });

  it('a solver worker killed mid-solve is replaced, resumes from the heartbeated plan, and the run completes with exactly one result', async () => {
    const request = hardRequest(6);
    const runId = await p.submit(request);
    const beat = await waitFor('a heartbeat with a plan', async () => {
      const pending = await solving(p, runId);
      const details = pending.heartbeatDetails?.payloads?.length
        ? defaultPayloadConverter.fromPayload<OptimizeHeartbeat>(pending.heartbeatDetails.payloads[0] as never)
        : undefined;
      return details?.plan ? details : undefined;
    });
    expect(beat.plan).toHaveLength(HARD_JOBS);
    await p.restart('solver'); // SIGKILL, then a fresh process
    await p.client.workflow.getHandle(runId).result();
    const run = await runRow(p, runId);
    expect(run.status).toBe('SUCCESS');
    expect(await stepNames(p, runId)).toEqual(['intake', 'tariff', 'equipment', 'optimize', 'cost', 'report']);
    const [{ n }] = await p.db
      .select({ n: sql<number>`count(*)::int` })
      .from(optimizedAssignments)
      .where(and(eq(optimizedAssignments.runId, runId), eq(optimizedAssignments.plan, 'optimized')));
    expect(n).toBe(HARD_JOBS);
    const history = await p.client.workflow.getHandle(runId).fetchHistory();
    const optimizeStarts = history.events!.filter(
      (e) => e.activityTaskStartedEventAttributes && e.activityTaskStartedEventAttributes.attempt! > 1,
    );
    expect(optimizeStarts.length).toBeGreaterThanOrEqual(1);
    // The second attempt started from the first one's last heartbeated plan, not from scratch.
    const plan = JSON.parse((await loadChain(p.db, runId)).find((s) => s.step === 'optimize')!.outputJson) as OptimizedSchedule;
    const resumed = /resumed from the plan an earlier attempt heartbeated \(objective ([\d.]+)\)/.exec(plan.solver.notes.join('\n'));
    expect(resumed).not.toBeNull();
    expect(Number(resumed![1])).toBeLessThanOrEqual(beat.incumbent! + 0.01);
    expect(plan.solver.objective!).toBeLessThanOrEqual(Number(resumed![1]) + 0.01);
  });

  it('heartbeats carry the incumbent cost and the bound while solving, and the progress query shows them', async () => {
    // Bounded by work with a long limit: on any machine the search goes on long after HiGHS's first bound; cancelled once seen.
    const request = hardRequest(600);
    const runId = await p.submit({ ...request, settings: { ...request.settings, deterministic: true } });
    const beat = await waitFor(
      'a heartbeat with an incumbent and a bound',
      async () => {
        const pending = await solving(p, runId);
        const details = defaultPayloadConverter.fromPayload<OptimizeHeartbeat>(pending.heartbeatDetails!.payloads![0] as never);
        return details.incumbent !== null && details.bound !== null ? details : undefined;
      },
      240_000,
    );
    expect(beat.phase).toBe('solving');
    expect(beat.elapsedMs).toBeGreaterThan(0);
    expect(beat.bound!).toBeLessThanOrEqual(beat.incumbent! + 1e-6);
    // The workflow hears of them too: its progress query shows the solver's incumbent and bound.
    const shown = await waitFor('the progress query showing the solver', async () => {
      const progress = await p.client.workflow.getHandle(runId).query(progressQuery);
      return progress.solver?.incumbent != null && progress.solver.bound != null ? progress : undefined;
    });
    expect(shown.currentStep).toBe('optimize');
    expect(shown.solver!.bound!).toBeLessThanOrEqual(shown.solver!.incumbent! + 1e-6);
    expect(shown.solver!.elapsedMs).toBeGreaterThan(0);
    await p.client.workflow.getHandle(runId).cancel();
    await expect(p.client.workflow.getHandle(runId).result()).rejects.toBeInstanceOf(WorkflowFailedError);
  }, 400_000);
});
