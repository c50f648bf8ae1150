import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toSchedulerDto } from '../../activities/intake/dto-export.ts';
import type { OptimizationResponse } from '../../api/optimization-dto.ts';
import { RunRequestSchema } from '../../domain/run-request.ts';
import { startTestPipeline, type TestPipeline } from '../support/pipeline.ts';
import { readEvents } from './sse.ts';
import { call, expectErrorShape, smallRequest, startApi, testOptions, token, type TestApi } from './support.ts';

const example = JSON.parse(readFileSync(new URL('../../examples/plant-day.json', import.meta.url), 'utf8'));
const TENANT = 'dto-tenant';

/** The small plant day as the scheduler UI sends it: J-101 locked on HTR-002 where it stands, HTR-001 locked all day. */
function optimizationRequest() {
  const scheduleData = toSchedulerDto(RunRequestSchema.parse(smallRequest(TENANT, example)), 'v1', '2026-11-23T10:00:00Z');
  const j101 = scheduleData.snapshot.events.find((e) => e.id === 'J-101')!;
  j101.resourceId = 'HTR-002';
  return {
    body: {
      scheduleData,
      algorithmId: 1,
      options: { objective: 'minimize_cost', timeLimit: 5 },
      locks: {
        events: ['J-101'],
        resourceIntervals: [{ resourceId: 'HTR-001', start: '2026-11-23T00:00:00Z', end: '2026-11-26T00:00:00Z', reason: 'burner trial' }],
      },
    },
    lockedStart: j101.startDate,
  };
}

describe('the scheduler UI’s job API (/api/schedules/optimize) on a real run', () => {
  let p: TestPipeline;
  let api: TestApi;
  let planner: string;

  beforeAll(async () => {
    p = await startTestPipeline();
    api = await startApi(testOptions({ taskQueue: undefined }));
    planner = await token(TENANT, ['planner']);
  });
  afterAll(async () => {
    await api?.close();
    await p?.close();
  });

  it('runs an OptimizationRequestDTO with its locks and answers with the events, what moved, and the metrics', async () => {
    const { body, lockedStart } = optimizationRequest();
    const accepted = await call(api.base, 'POST', '/api/schedules/optimize', { token: planner, body });
    expect(accepted.status).toBe(202);
    const { runId, status, estimatedStartTime } = accepted.json as { runId: string; status: string; estimatedStartTime: string };
    expect(status).toBe('queued');
    expect(accepted.headers.get('location')).toBe(`/api/schedules/optimize/${runId}`);
    expect(Number.isNaN(Date.parse(estimatedStartTime))).toBe(false);

    const stream = await readEvents(`${api.base}/api/schedules/optimize/${runId}/progress`, planner);
    expect(new Set(stream.map((e) => e.event))).toEqual(new Set(['message']));
    expect(stream.at(-1)!.data).toEqual({ progress: 100, step: 'Complete', status: 'completed', versionId: expect.any(String) });

    const response = (await call(api.base, 'GET', `/api/schedules/optimize/${runId}`, { token: planner })).json as OptimizationResponse;
    expect(response.status).toBe('completed');
    const result = response.result!;
    const j101 = result.events.find((e) => e.id === 'J-101')!;
    expect(j101).toMatchObject({ resourceId: 'HTR-002', changed: false });
    expect(Date.parse(j101.startDate)).toBe(Date.parse(lockedStart));
    expect(result.events.filter((e) => e.resourceId === 'HTR-001')).toEqual([]);
    expect(result.events.length + result.metrics.constraintViolations).toBe(3);
    const first = Math.min(...result.events.map((e) => Date.parse(e.startDate)));
    const last = Math.max(...result.events.map((e) => Date.parse(e.endDate)));
    expect(result.metrics.makespan).toBe((last - first) / 60_000);
    expect(result.metrics.resourceUtilization).toBeGreaterThan(0);
    expect(result.metrics.resourceUtilization).toBeLessThanOrEqual(1);
    const run = (await call(api.base, 'GET', `/api/runs/${runId}`, { token: planner })).json as { cost: { savingsPercent: number } };
    expect(result.metrics.improvementPercentage).toBe(run.cost.savingsPercent);
    expect(result.versionId).toBe((stream.at(-1)!.data as { versionId: string }).versionId);
    const versions = (
      await call(api.base, 'GET', `/api/sites/${example.schedule.site}/schedules/${example.schedule.scheduleDate}/versions`, {
        token: planner,
      })
    ).json as { items: { version: number; runId: string }[] };
    expect(result.versionId).toBe(`v${versions.items.find((v) => v.runId === runId)!.version}`);

    const again = await call(api.base, 'DELETE', `/api/schedules/optimize/${runId}`, { token: planner });
    expect(again.status).toBe(409);
    const other = await call(api.base, 'GET', `/api/schedules/optimize/${runId}`, { token: await token('another-co', ['viewer']) });
    expect(other.status).toBe(404);
  });

  it('refuses by name what it cannot honour, before anything is stored', async () => {
    const { body } = optimizationRequest();
    const reply = await call(api.base, 'POST', '/api/schedules/optimize', {
      token: planner,
      body: { ...body, options: { objective: 'maximize_throughput', warmStart: true }, locks: { events: ['J-999'] } },
    });
    expect(reply.status).toBe(400);
    expect(expectErrorShape(reply).details.map((d) => d.path)).toEqual([
      'body.options.objective',
      'body.options.warmStart',
      'body.locks.events[0]',
    ]);
  });

  it('cancels a queued run with 204', async () => {
    const idle = await startApi();
    try {
      const { body } = optimizationRequest();
      const accepted = await call(idle.base, 'POST', '/api/schedules/optimize', { token: planner, body });
      const { runId } = accepted.json as { runId: string };
      expect((await call(idle.base, 'DELETE', `/api/schedules/optimize/${runId}`, { token: planner })).status).toBe(204);
    } finally {
      await idle.close();
    }
  });
});
