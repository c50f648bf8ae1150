import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startApi, testOptions, token, type TestApi } from '../api/support.ts';
import { hardRequest, runRow, solving, startTestPipeline, type TestPipeline } from '../support/pipeline.ts';

const TENANT = 'no-worker-tenant';

/**
 * Issue 11: a planner asks how a run is doing while the pipeline worker (which answers the
 * workflow's progress query) is gone. The API answers from the database; the run finishes once a
 * worker is back.
 */
describe('status requests while the pipeline worker is gone', () => {
  let p: TestPipeline;
  let api: TestApi;
  let planner: string;

  beforeAll(async () => {
    p = await startTestPipeline();
    api = await startApi(testOptions({ taskQueue: undefined })); // the real pipeline queue
    planner = await token(TENANT, ['planner']);
  });
  afterAll(async () => {
    await api?.close();
    await p?.close();
  });

  it('answers GET /api/runs/:id and the list from the database, then the run completes once a worker is back', async () => {
    const request = hardRequest(15);
    request.schedule.tenant = TENANT;
    const posted = await call(api.base, 'POST', '/api/runs', { token: planner, body: request });
    expect(posted.status, posted.text).toBe(202);
    const { runId } = posted.json as { runId: string };
    await solving(p, runId);
    await p.workers.pipeline.kill(); // SIGKILL: nothing polls the pipeline queue now

    const during = await call(api.base, 'GET', `/api/runs/${runId}`, { token: planner });
    expect(during.status).toBe(200);
    // The workflow cannot answer its progress query without a worker: the row's status stands, progress is null.
    expect(during.json).toMatchObject({ runId, status: 'running', progress: null, cost: null });
    const list = await call(api.base, 'GET', '/api/runs?status=running', { token: planner });
    expect(list.status).toBe(200);
    expect((list.json as { items: { runId: string }[] }).items.map((r) => r.runId)).toContain(runId);

    await p.restart('pipeline');
    await p.client.workflow.getHandle(runId).result();
    expect((await runRow(p, runId)).status).toBe('SUCCESS');
    const after = await call(api.base, 'GET', `/api/runs/${runId}`, { token: planner });
    expect(after.json).toMatchObject({ runId, status: 'completed' });
    expect((after.json as { cost: { optimized: number } | null }).cost?.optimized).toBeGreaterThan(0);
  });
});
