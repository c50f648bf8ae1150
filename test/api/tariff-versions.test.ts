import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRow, startTestPipeline, type TestPipeline } from '../support/pipeline.ts';
import { call, smallRequest, startApi, testOptions, token, type TestApi } from './support.ts';

const example = JSON.parse(readFileSync(new URL('../../examples/plant-day.json', import.meta.url), 'utf8'));
const TENANT = 'tariff-versions';

/** The example day (three jobs) priced with a tariff that expired before it, and the given validity setting. */
function withExpiredTariff(settings: object) {
  const request = smallRequest(TENANT, example) as typeof example;
  request.tariff = { ...example.tariff, effectiveDate: '2025-01-01', expiryDate: '2025-12-31' };
  request.settings = { ...example.settings, ...settings };
  return request;
}

describe('tariff versions through the API: refused (E006) by default, used with a warning in the report when asked', () => {
  let p: TestPipeline;
  let api: TestApi;
  let planner: string;

  const run = async (body: unknown) => {
    const reply = await call(api.base, 'POST', '/api/runs', { token: planner, body });
    expect(reply.status, reply.text).toBe(202);
    const { runId } = reply.json as { runId: string };
    await p.client.workflow
      .getHandle(runId)
      .result()
      .catch(() => undefined); // a refused run fails its workflow: the row says how
    return runId;
  };

  beforeAll(async () => {
    p = await startTestPipeline();
    api = await startApi(testOptions({ taskQueue: undefined }));
    planner = await token(TENANT, ['planner']);
  });
  afterAll(async () => {
    await api?.close();
    await p?.close();
  });

  it('an expired tariff fails the run with E006 naming its expiry date, the same on the row and through the API', async () => {
    const runId = await run(withExpiredTariff({}));
    expect(await runRow(p, runId)).toMatchObject({ status: 'FAILED', errorCode: 'E006' });
    const view = await call(api.base, 'GET', `/api/runs/${runId}`, { token: planner });
    expect(view.json).toMatchObject({ status: 'failed' });
    expect(JSON.stringify(view.json)).toContain('tariff.expiryDate: ToU-Industrial-2026 expired on 2025-12-31');
  });

  it('with tariffValidity "warn" the run completes and its report warns that the tariff was not in force', async () => {
    const runId = await run(withExpiredTariff({ tariffValidity: 'warn' }));
    expect(await runRow(p, runId)).toMatchObject({ status: 'SUCCESS' });
    const report = (await call(api.base, 'GET', `/api/runs/${runId}/report.json`, { token: planner })).json as {
      warnings: { severity: string; text: string }[];
    };
    expect(report.warnings).toContainEqual({
      severity: 'warning',
      text: `The tariff is not in force on these days: ToU-Industrial-2026 expired on 2025-12-31, before the end of the schedule's ${example.schedule.scheduleDate}.`,
    });
  });
});
