import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import { optimizationRuns, runSteps } from '../../db/schema.ts';
import type { EquipmentOutput } from '../../domain/problem.ts';
import type { VersionDiff, VersionSnapshot } from '../../domain/schedule-versions.ts';
import { startTestPipeline, type TestPipeline } from '../support/pipeline.ts';
import { call, expectErrorShape, smallRequest, startApi, testOptions, token, type TestApi } from './support.ts';

const example = JSON.parse(readFileSync(new URL('../../examples/plant-day.json', import.meta.url), 'utf8'));
const TENANT = 'locks-run';
const SITE = example.schedule.site as string;
const DATE = example.schedule.scheduleDate as string;
const base = `/api/sites/${SITE}/schedules/${DATE}`;

describe('real runs become versions; a resource lock keeps the next run’s jobs off the heater', () => {
  let p: TestPipeline;
  let api: TestApi;
  let planner: string;

  const runToEnd = async () => {
    const reply = await call(api.base, 'POST', '/api/runs', { token: planner, body: smallRequest(TENANT, example) });
    expect(reply.status).toBe(202);
    const { runId } = reply.json as { runId: string };
    await p.client.workflow.getHandle(runId).result();
    return runId;
  };
  const version = async (n: number) => (await call(api.base, 'GET', `${base}/versions/${n}`, { token: planner })).json as VersionSnapshot;

  beforeAll(async () => {
    p = await startTestPipeline();
    api = await startApi(testOptions({ taskQueue: undefined })); // the real pipeline queue: these runs complete
    planner = await token(TENANT, ['planner']);
  });
  afterAll(async () => {
    await api?.close();
    await p?.close();
  });

  it('version 1 from the first run; a lock on where it put J-101; version 2 keeps out of it; applying version 1 then is 423 E005', async () => {
    const first = await runToEnd();
    const v1 = await version(1);
    expect(v1.runId).toBe(first);
    const j101 = v1.jobs.find((j) => j.jobId === 'J-101')!.placement!;
    expect(j101).not.toBeNull();

    const lockReply = await call(api.base, 'POST', `${base}/locks`, {
      token: planner,
      body: { kind: 'resource', equipmentId: j101.equipmentId, start: j101.start, end: j101.end, reason: 'crane work' },
    });
    expect(lockReply.status).toBe(201);
    const { lockId } = lockReply.json as { lockId: string };

    const second = await runToEnd();
    const [equipmentStep] = await p.db
      .select()
      .from(runSteps)
      .where(and(eq(runSteps.runId, second), eq(runSteps.step, 'equipment')));
    const heater = (JSON.parse(equipmentStep.outputJson) as EquipmentOutput).equipment.find((e) => e.id === j101.equipmentId)!;
    expect(heater.unavailability).toContainEqual({
      start: j101.start,
      end: j101.end,
      reason: 'locked',
      notes: expect.stringContaining(`lock ${lockId}: ${j101.equipmentId}`),
    });

    const v2 = await version(2);
    expect(v2.runId).toBe(second);
    const overlapping = v2.jobs.filter(
      (j) =>
        j.placement?.equipmentId === j101.equipmentId &&
        Date.parse(j.placement.start) < Date.parse(j101.end) &&
        Date.parse(j.placement.end) > Date.parse(j101.start),
    );
    expect(overlapping).toEqual([]);
    const diff = (await call(api.base, 'GET', `${base}/diff?from=1&to=2`, { token: planner })).json as VersionDiff;
    const moved = diff.jobs.find((j) => j.jobId === 'J-101')!;
    expect(moved.change).not.toBe('unchanged');
    console.log(
      `J-101: v1 ${j101.equipmentId} ${j101.start}; v2 ${moved.to?.equipmentId ?? 'unscheduled'} ${moved.to?.start ?? ''};` +
        ` cost delta ${diff.costDelta}, peak delta ${diff.peakDeltaKw} kW`,
    );

    expect((await call(api.base, 'POST', `${base}/versions/2/apply`, { token: planner, body: { baseVersion: null } })).status).toBe(200);
    const refused = await call(api.base, 'POST', `${base}/versions/1/apply`, { token: planner, body: { baseVersion: 2 } });
    expect(refused.status).toBe(423);
    expect(expectErrorShape(refused)).toMatchObject({ code: 'E005', details: [{ path: `locks.${lockId}` }] });
  });

  it('a run that did not pass the API’s door (the CLI, a pull) and would let the solver move a locked job fails with E005 naming the lock', async () => {
    const lockReply = await call(api.base, 'POST', `${base}/locks`, {
      token: planner,
      body: { kind: 'event', jobId: 'J-102', equipmentId: 'HTR-002', start: `${DATE}T13:00:00Z` },
    });
    const { lockId } = lockReply.json as { lockId: string };
    const runId = await p.submit(smallRequest(TENANT, example));
    await expect(p.client.workflow.getHandle(runId).result()).rejects.toBeInstanceOf(WorkflowFailedError);
    const [row] = await p.db.select().from(optimizationRuns).where(eq(optimizationRuns.runId, runId));
    expect(row).toMatchObject({ status: 'FAILED', errorCode: 'E005' });
    expect(row.errorMessage).toContain(`schedule.jobs[1].lock: lock ${lockId}: job J-102 on HTR-002`);
  });
});
