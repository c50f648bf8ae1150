import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRecurringPull } from '../../activities/schedules.ts';
import { auditEntries } from '../../db/schema.ts';
import { waitFor } from '../support/pipeline.ts';
import { call, expectErrorShape, IDLE_QUEUE, startApi, token, type TestApi } from './support.ts';

const A = 'pulls-a';
const B = 'pulls-b';

interface PullView {
  scheduleId: string;
  pull: string;
  site: string;
  paused: boolean;
  note: string | null;
  everyMs: number[];
  recent: { workflowId: string }[];
}

describe('the data pulls’ Temporal Schedules through the API', () => {
  let api: TestApi;
  const suffix = randomUUID().slice(0, 8);
  const ids = { a: `heatscheduler-erp-pull-a-${suffix}`, b: `heatscheduler-erp-pull-b-${suffix}`, anon: `heatscheduler-other-${suffix}` };
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    api = await startApi();
    for (const [id, tenant] of [
      [ids.a, A],
      [ids.b, B],
    ] as const) {
      await ensureRecurringPull(api.deps.client, {
        scheduleId: id,
        owner: { tenant, site: 'plant-1' },
        workflowType: 'erpPull',
        args: [{ connector: id }],
        taskQueue: IDLE_QUEUE, // triggered pulls are started but never run
        every: '1h',
        catchupWindow: '1m',
      });
    }
    // A Schedule that is not a pull (no memo): never listed.
    await api.deps.client.schedule.create({
      scheduleId: ids.anon,
      spec: { intervals: [{ every: '1h' }] },
      action: { type: 'startWorkflow', workflowType: 'erpPull', taskQueue: IDLE_QUEUE, args: [{ connector: 'x' }] },
    });
    for (const [tenant, role] of [
      [A, 'operator'],
      [A, 'viewer'],
      [B, 'operator'],
    ] as const)
      tokens[`${tenant}:${role}`] = await token(tenant, [role], { sub: `${role}@${tenant}` });
  });
  afterAll(async () => {
    for (const id of Object.values(ids))
      await api?.deps.client.schedule
        .getHandle(id)
        .delete()
        .catch(() => undefined);
    await api?.close();
  });

  const post = (who: string, path: string, body: unknown = {}) => call(api.base, 'POST', path, { token: tokens[who], body });

  it('lists only the tenant’s pulls, with their state and timing', async () => {
    const list = await call(api.base, 'GET', '/api/pulls', { token: tokens[`${A}:operator`] });
    expect(list.status).toBe(200);
    const items = (list.json as { items: PullView[] }).items;
    expect(items.map((i) => i.scheduleId)).toEqual([ids.a]);
    expect(items[0]).toMatchObject({ pull: 'erpPull', site: 'plant-1', paused: false, note: null, everyMs: [3_600_000] });
  });

  it('pauses with a note and resumes, each audited under the caller; another tenant’s Schedule is 404', async () => {
    const paused = await post(`${A}:operator`, `/api/pulls/${ids.a}/pause`, { note: 'ERP maintenance until 14:00' });
    expect(paused.status, paused.text).toBe(200);
    expect(paused.json).toMatchObject({ scheduleId: ids.a, paused: true, note: 'ERP maintenance until 14:00' });
    expect((await api.deps.client.schedule.getHandle(ids.a).describe()).state.paused).toBe(true);

    const foreign = await post(`${B}:operator`, `/api/pulls/${ids.a}/pause`);
    expect(foreign.status).toBe(404);
    expect(expectErrorShape(foreign).details[0].path).toBe('params.scheduleId');
    expect((await post(`${A}:operator`, `/api/pulls/${ids.anon}/pause`)).status).toBe(404);
    expect((await post(`${A}:operator`, '/api/pulls/not-a-schedule/pause')).status).toBe(400);

    const resumed = await post(`${A}:operator`, `/api/pulls/${ids.a}/unpause`);
    expect(resumed.json).toMatchObject({ paused: false });
    const audit = await api.deps.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.tenantId, A), eq(auditEntries.target, ids.a)))
      .orderBy(auditEntries.createdAt);
    expect(audit.map((e) => [e.action, e.actor, e.details])).toEqual([
      ['pull.pause', `operator@${A}`, { note: 'ERP maintenance until 14:00' }],
      ['pull.unpause', `operator@${A}`, { note: null }],
    ]);
  });

  it('triggers a pull now: the Schedule starts it', async () => {
    expect((await post(`${A}:operator`, `/api/pulls/${ids.a}/trigger`)).status).toBe(200);
    const started = await waitFor('the triggered pull', async () => {
      const view = (await call(api.base, 'GET', '/api/pulls', { token: tokens[`${A}:viewer`] })).json as { items: PullView[] };
      return view.items[0]?.recent.length ? view.items[0].recent : undefined;
    });
    expect(started[0].workflowId).toMatch(new RegExp(`^${ids.a}-`));
  });

  it('backfills a window of missed pulls, refusing a window that ends first or spans more than a month', async () => {
    const reversed = await post(`${A}:operator`, `/api/pulls/${ids.a}/backfill`, {
      from: '2026-11-24T06:00:00Z',
      to: '2026-11-24T05:00:00Z',
    });
    expect(reversed.status).toBe(400);
    expect(expectErrorShape(reversed).details).toEqual([{ path: 'body.to', message: 'must be after from' }]);
    const long = await post(`${A}:operator`, `/api/pulls/${ids.a}/backfill`, { from: '2026-10-01T00:00:00Z', to: '2026-11-24T00:00:00Z' });
    expect(expectErrorShape(long).details).toEqual([{ path: 'body.to', message: 'at most 31 days after from' }]);
    const filled = await post(`${A}:operator`, `/api/pulls/${ids.a}/backfill`, {
      from: '2026-11-24T00:00:00-06:00',
      to: '2026-11-24T03:00:00-06:00',
    });
    expect(filled.status, filled.text).toBe(200);
    const [entry] = await api.deps.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.tenantId, A), eq(auditEntries.action, 'pull.backfill')));
    expect(entry.details).toEqual({ from: '2026-11-24T00:00:00-06:00', to: '2026-11-24T03:00:00-06:00' });
    // A viewer may look but not act.
    expect((await post(`${A}:viewer`, `/api/pulls/${ids.a}/trigger`)).status).toBe(403);
  });
});
