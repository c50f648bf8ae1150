import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from '../../db/schema.ts';
import { startTestPipeline, type TestPipeline } from '../support/pipeline.ts';
import { call, expectErrorShape, smallRequest, startApi, testOptions, token, type TestApi } from './support.ts';

const example = JSON.parse(readFileSync(new URL('../../examples/plant-day.json', import.meta.url), 'utf8'));
const A = 'tenant-a';
const B = 'tenant-b';

describe('tenant isolation: A never reads, lists, cancels or changes what is B’s', () => {
  let p: TestPipeline;
  let api: TestApi;
  const tokens: Record<string, string> = {};
  let runA: string;
  let runB: string;

  const submitAndFinish = async (tenant: string) => {
    const reply = await call(api.base, 'POST', '/api/runs', { token: tokens[`${tenant}:planner`], body: smallRequest(tenant, example) });
    expect(reply.status).toBe(202);
    const { runId } = reply.json as { runId: string };
    await p.client.workflow.getHandle(runId).result();
    return runId;
  };

  beforeAll(async () => {
    p = await startTestPipeline();
    api = await startApi(testOptions({ taskQueue: undefined })); // the real pipeline queue: these runs complete
    for (const tenant of [A, B]) {
      for (const role of ['admin', 'planner', 'operator', 'viewer'] as const) tokens[`${tenant}:${role}`] = await token(tenant, [role]);
    }
    [runA, runB] = await Promise.all([submitAndFinish(A), submitAndFinish(B)]);
  });
  afterAll(async () => {
    await api?.close();
    await p?.close();
  });

  it('each tenant reads its own run, report and provenance', async () => {
    for (const [tenant, runId] of [
      [A, runA],
      [B, runB],
    ]) {
      const run = await call(api.base, 'GET', `/api/runs/${runId}`, { token: tokens[`${tenant}:viewer`] });
      expect(run.json).toMatchObject({ runId, tenant, status: 'completed' });
      const report = await call(api.base, 'GET', `/api/runs/${runId}/report.json`, { token: tokens[`${tenant}:viewer`] });
      expect(report.json).toMatchObject({ tenant, site: 'plant-1' });
      const provenance = await call(api.base, 'GET', `/api/runs/${runId}/provenance`, { token: tokens[`${tenant}:viewer`] });
      expect(provenance.json).toMatchObject({ verified: true, firstBrokenLink: null });
    }
  });

  it('A gets 404 for every route on B’s run, whatever A’s role, and B’s run is untouched', async () => {
    for (const role of ['admin', 'planner', 'operator', 'viewer']) {
      for (const [method, path] of [
        ['GET', `/api/runs/${runB}`],
        ['GET', `/api/runs/${runB}/report.json`],
        ['GET', `/api/runs/${runB}/report.txt`],
        ['GET', `/api/runs/${runB}/provenance`],
        ['DELETE', `/api/runs/${runB}`],
        ['GET', `/api/runs/${runB}/events`],
        ['GET', `/api/runs/${runB}/plan`],
        ['GET', `/api/runs/${runB}/report.pdf`],
        ['GET', `/api/runs/${runB}/report.xlsx`],
        ['POST', `/api/runs/${runB}/retry`],
      ]) {
        const reply = await call(api.base, method, path, { token: tokens[`${A}:${role}`] });
        const viewerMayNot = method === 'DELETE' || path.endsWith('/retry');
        const operatorMayNot = path.endsWith('/retry');
        if ((viewerMayNot && role === 'viewer') || (operatorMayNot && role === 'operator')) expect(reply.status).toBe(403);
        else expect({ role, method, path, status: reply.status }).toEqual({ role, method, path, status: 404 });
        expect(reply.text).not.toContain(B);
        expectErrorShape(reply);
      }
    }
    const b = await call(api.base, 'GET', `/api/runs/${runB}`, { token: tokens[`${B}:viewer`] });
    expect(b.json).toMatchObject({ status: 'completed' });
    expect(await p.db.select().from(auditEntries).where(eq(auditEntries.tenantId, B))).toEqual([]);
  });

  it('lists only the caller’s runs, whatever the filters and cursors', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof call>> = await call(api.base, 'GET', `/api/runs?limit=1${cursor ? `&cursor=${cursor}` : ''}`, {
        token: tokens[`${A}:viewer`],
      });
      const body = page.json as { items: { runId: string }[]; nextCursor: string | null };
      body.items.forEach((r) => seen.add(r.runId));
      cursor = body.nextCursor;
    } while (cursor);
    expect([...seen]).toEqual([runA]);
    const filtered = await call(api.base, 'GET', '/api/runs?status=completed&siteId=plant-1', { token: tokens[`${A}:admin`] });
    expect((filtered.json as { items: { runId: string }[] }).items.map((r) => r.runId)).toEqual([runA]);
    // B's page cursor shows A nothing of B's either.
    const bPage = (await call(api.base, 'GET', '/api/runs?limit=1', { token: tokens[`${B}:viewer`] })).json as {
      items: { runId: string }[];
    };
    const forged = Buffer.from(JSON.stringify({ createdAt: '9999-01-01 00:00:00+00', runId: bPage.items[0].runId })).toString('base64url');
    const viaForged = await call(api.base, 'GET', `/api/runs?cursor=${forged}`, { token: tokens[`${A}:viewer`] });
    expect((viaForged.json as { items: { runId: string }[] }).items.map((r) => r.runId)).toEqual([runA]);
  });

  it('A cannot cancel B’s queued run; B’s operator can, and the cancel is audited', async () => {
    const idle = await startApi(); // runs stay queued there: no worker polls its queue
    try {
      const posted = await call(idle.base, 'POST', '/api/runs', { token: tokens[`${B}:planner`], body: smallRequest(B, example) });
      const { runId } = posted.json as { runId: string };
      expect((await call(idle.base, 'DELETE', `/api/runs/${runId}`, { token: tokens[`${A}:admin`] })).status).toBe(404);
      expect(await p.db.select().from(auditEntries).where(eq(auditEntries.target, runId))).toEqual([]);
      const cancelled = await call(idle.base, 'DELETE', `/api/runs/${runId}`, { token: tokens[`${B}:operator`] });
      expect(cancelled.status).toBe(202);
      const [entry] = await p.db.select().from(auditEntries).where(eq(auditEntries.target, runId));
      expect(entry).toMatchObject({ tenantId: B, actor: `user-of-${B}`, action: 'run.cancel' });
      await p.client.workflow.getHandle(runId).terminate('test done');
    } finally {
      await idle.close();
    }
  });
});
