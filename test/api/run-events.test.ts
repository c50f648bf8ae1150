import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAfter, parsePositionId, type Position } from '../../api/routes/run-events.ts';
import { artefacts, auditEntries, optimizationRuns, runInputs } from '../../db/schema.ts';
import { startTestPipeline, type TestPipeline } from '../support/pipeline.ts';
import { readEvents } from './sse.ts';
import { call, expectErrorShape, smallRequest, startApi, testOptions, token, type TestApi } from './support.ts';

const example = JSON.parse(readFileSync(new URL('../../examples/plant-day.json', import.meta.url), 'utf8'));
const TENANT = 'events-tenant';

describe('run events (SSE), retry, plan view and report files on a real run', () => {
  let p: TestPipeline;
  let api: TestApi;
  let planner: string;
  let viewer: string;

  beforeAll(async () => {
    p = await startTestPipeline();
    api = await startApi(testOptions({ taskQueue: undefined }));
    planner = await token(TENANT, ['planner']);
    viewer = await token(TENANT, ['viewer']);
  });
  afterAll(async () => {
    await api?.close();
    await p?.close();
  });

  const submit = async () => {
    const reply = await call(api.base, 'POST', '/api/runs', { token: planner, body: smallRequest(TENANT, example) });
    expect(reply.status).toBe(202);
    return (reply.json as { runId: string }).runId;
  };

  /** Follows a run: first event, dropped connection, resumed with Last-Event-ID until the end. */
  async function followWithDrop(runId: string) {
    const url = `${api.base}/api/runs/${runId}/events`;
    const first = await readEvents(url, viewer, { limit: 1 });
    expect(first).toHaveLength(1);
    const droppedAt = first[0].id!;
    const rest = await readEvents(url, viewer, { lastEventId: droppedAt });
    return { first: first[0], rest, droppedAt };
  }

  it('follows a run to its end, resuming after a dropped connection without repeating what was seen', async () => {
    const runId = await submit();
    const { first, rest, droppedAt } = await followWithDrop(runId);
    expect(first.event).toBe('progress');
    expect(first.data).toMatchObject({ runId });
    const end = rest.at(-1)!;
    expect(end).toMatchObject({ id: 'end', event: 'end', data: { runId, status: 'completed', cost: { jobs: 3 } } });
    // Every event after the reconnection is newer than the one seen before the drop, in increasing order.
    let previous = parsePositionId(droppedAt) as Position;
    for (const e of rest.slice(0, -1)) {
      expect(e.event).toBe('progress');
      const position = parsePositionId(e.id) as Position;
      expect({ id: e.id, newer: isAfter(position, previous) }).toEqual({ id: e.id, newer: true });
      previous = position;
    }
    const row = await p.db.select().from(optimizationRuns).where(eq(optimizationRuns.runId, runId));
    expect(row[0].status).toBe('SUCCESS');
    // A client that saw the end and reconnects is told the end again, and the stream closes.
    const again = await readEvents(`${api.base}/api/runs/${runId}/events`, viewer, { lastEventId: 'end' });
    expect(again.map((e) => e.event)).toEqual(['end']);
  });

  it('the plan view matches the stored plan; report files are served when stored, a JSON 404 otherwise', async () => {
    const runId = await submit();
    await p.client.workflow.getHandle(runId).result();
    const [run] = await p.db.select().from(optimizationRuns).where(eq(optimizationRuns.runId, runId));
    const plan = (await call(api.base, 'GET', `/api/runs/${runId}/plan`, { token: viewer })).json as {
      slots: { loadKw: number; category: string }[];
      heaters: { id: string }[];
      assignments: { equipmentId: string; startSlot: number; endSlot: number }[];
      horizon: { slotMinutes: number };
      peakKw: number;
      peakLimitKw: number | null;
      verified: boolean;
    };
    expect(plan.verified).toBe(true);
    expect(plan.assignments).toHaveLength(run.assignmentsCount!);
    expect(plan.slots).toHaveLength((24 * 60) / plan.horizon.slotMinutes);
    expect(Math.max(...plan.slots.map((s) => s.loadKw))).toBeCloseTo(run.peakKw!, 3);
    expect(plan.peakLimitKw).toBe(example.settings.peakLimitKw);
    const heaterIds = new Set(plan.heaters.map((h) => h.id));
    for (const a of plan.assignments) {
      expect(heaterIds.has(a.equipmentId)).toBe(true);
      expect(a.endSlot).toBeGreaterThan(a.startSlot);
    }
    for (const kind of ['report.pdf', 'report.xlsx']) {
      const stored = await p.db
        .select()
        .from(artefacts)
        .where(and(eq(artefacts.runId, runId), eq(artefacts.kind, kind)));
      const reply = await call(api.base, 'GET', `/api/runs/${runId}/${kind}`, { token: viewer });
      if (stored.length) {
        expect(reply.status).toBe(200);
        expect(reply.headers.get('content-type')).toContain(stored[0].contentType);
      } else {
        expect(reply.status).toBe(404);
        expect(expectErrorShape(reply).message).toContain(kind);
      }
    }
  });

  it('retries a failed run as a new run from the same stored submission, audited; refuses one that has not failed', async () => {
    const runId = await submit();
    await p.client.workflow.getHandle(runId).result();
    const refused = await call(api.base, 'POST', `/api/runs/${runId}/retry`, { token: planner });
    expect(refused.status).toBe(409);
    expect(expectErrorShape(refused).details).toEqual([{ path: 'params.id', message: 'the run is completed' }]);
    // As if it had failed (say, Postgres down past the step's budget).
    await p.db.update(optimizationRuns).set({ status: 'FAILED', errorCode: 'DatabaseError' }).where(eq(optimizationRuns.runId, runId));
    const retried = await call(api.base, 'POST', `/api/runs/${runId}/retry`, { token: planner });
    expect(retried.status).toBe(202);
    const { runId: newRunId, retryOf } = retried.json as { runId: string; retryOf: string };
    expect(retryOf).toBe(runId);
    expect(newRunId).not.toBe(runId);
    const end = (await readEvents(`${api.base}/api/runs/${newRunId}/events`, viewer)).at(-1)!;
    expect(end).toMatchObject({ event: 'end', data: { runId: newRunId, status: 'completed' } });
    const inputs = await p.db.select().from(runInputs).where(eq(runInputs.runId, newRunId));
    const original = await p.db.select().from(runInputs).where(eq(runInputs.runId, runId));
    expect(inputs[0].content).toBe(original[0].content);
    const [audit] = await p.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.target, runId), eq(auditEntries.action, 'run.retry')));
    expect(audit).toMatchObject({ tenantId: TENANT, actor: `user-of-${TENANT}`, details: { statusBefore: 'FAILED', newRunId } });
    const [oldRow] = await p.db.select().from(optimizationRuns).where(eq(optimizationRuns.runId, runId));
    expect(oldRow.status).toBe('FAILED');
  });

  it('lists runs by submission date range', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const inRange = (await call(api.base, 'GET', `/api/runs?from=${today}&to=${tomorrow}&limit=100`, { token: viewer })).json as {
      items: unknown[];
    };
    expect(inRange.items.length).toBeGreaterThanOrEqual(3);
    const before = (await call(api.base, 'GET', `/api/runs?to=${today}`, { token: viewer })).json as { items: unknown[] };
    expect(before.items).toEqual([]);
    const bad = await call(api.base, 'GET', '/api/runs?from=yesterday', { token: viewer });
    expect(bad.status).toBe(400);
    expect(expectErrorShape(bad).details[0].path).toBe('query.from');
  });
});
