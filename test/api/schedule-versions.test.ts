import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries, optimizationRuns } from '../../db/schema.ts';
import { call, expectErrorShape, smallRequest, startApi, token, type TestApi } from './support.ts';
import { storeCompletedRun, type StoredJob } from './schedule-data.ts';

const example = JSON.parse(readFileSync(new URL('../../examples/plant-day.json', import.meta.url), 'utf8'));
const A = 'versions-a';
const B = 'versions-b';
const SITE = 'plant-v';
const DATE = '2026-11-24';
const at = (hhmm: string) => `${DATE}T${hhmm}:00.000Z`;
const job = (id: string, on?: string, from?: string, to?: string): StoredJob => ({ id, on, start: from && at(from), end: to && at(to) });
const base = `/api/sites/${SITE}/schedules/${DATE}`;

interface VersionList {
  applied: number | null;
  items: { version: number; runId: string; optimizedCost: number; peakKw: number }[];
  history: { version: number; action: string; actor: string; reason: string | null }[];
}

describe('schedule versions: list, diff, apply, rollback, locks', () => {
  let api: TestApi;
  const tokens: Record<string, string> = {};
  const runs: string[] = [];
  const get = async (path: string, who = `${A}:viewer`) => call(api.base, 'GET', path, { token: tokens[who] });
  const post = async (path: string, body: unknown, who = `${A}:planner`) => call(api.base, 'POST', path, { token: tokens[who], body });
  const versions = async (who = `${A}:viewer`) => (await get(`${base}/versions`, who)).json as VersionList;

  beforeAll(async () => {
    api = await startApi();
    for (const tenant of [A, B]) {
      for (const role of ['admin', 'planner', 'operator', 'viewer'] as const) tokens[`${tenant}:${role}`] = await token(tenant, [role]);
    }
    const store = (completedAt: string, jobs: StoredJob[], cost: number, peakKw: number, tenant = A, site = SITE, date = DATE) =>
      storeCompletedRun(api.deps.db, { tenant, site, date, jobs, cost, peakKw, completedAt: new Date(completedAt) });
    // Stored out of completion order on purpose: the numbers follow completion.
    runs[1] = await store(
      '2026-11-23T18:05:00Z',
      [
        job('J-1', 'HTR-001', '06:00', '08:00'),
        job('J-2', 'HTR-002', '06:00', '07:00'),
        job('J-3', 'HTR-001', '09:00', '10:00'),
        job('J-4'),
      ],
      812.5,
      310,
    );
    runs[0] = await store(
      '2026-11-23T18:00:00Z',
      [
        job('J-1', 'HTR-001', '06:00', '08:00'),
        job('J-2', 'HTR-001', '08:00', '09:00'),
        job('J-3'),
        job('J-4', 'HTR-002', '10:00', '11:00'),
      ],
      790.25,
      325.5,
    );
    // Not versions of this site and date: another site, another date, another tenant, a failed run.
    await store('2026-11-23T18:01:00Z', [job('J-1', 'HTR-001', '06:00', '08:00')], 1, 1, A, 'plant-w');
    await store('2026-11-23T18:01:00Z', [job('J-1', 'HTR-001', '06:00', '08:00')], 1, 1, A, SITE, '2026-11-25');
    await store('2026-11-23T18:01:00Z', [job('J-1', 'HTR-009', '06:00', '08:00')], 1, 1, B);
    const failed = await store('2026-11-23T18:02:00Z', [job('J-1', 'HTR-001', '06:00', '08:00')], 1, 1);
    await api.deps.db.update(optimizationRuns).set({ status: 'FAILED' }).where(eq(optimizationRuns.runId, failed));
  });
  afterAll(async () => {
    await api?.close();
  });

  it('numbers the site’s successful runs for the date in completion order, once', async () => {
    const list = await versions();
    expect(list.items.map((v) => [v.version, v.runId, v.optimizedCost, v.peakKw])).toEqual([
      [1, runs[0], 790.25, 325.5],
      [2, runs[1], 812.5, 310],
    ]);
    expect(list.applied).toBeNull();
    expect((await versions()).items).toHaveLength(2); // listing again adds nothing
    const one = (await get(`${base}/versions/2`)).json as { jobs: unknown[] };
    expect(one.jobs).toEqual([
      { jobId: 'J-1', placement: { equipmentId: 'HTR-001', start: at('06:00'), end: at('08:00') } },
      { jobId: 'J-2', placement: { equipmentId: 'HTR-002', start: at('06:00'), end: at('07:00') } },
      { jobId: 'J-3', placement: { equipmentId: 'HTR-001', start: at('09:00'), end: at('10:00') } },
      { jobId: 'J-4', placement: null },
    ]);
    expect(expectErrorShape(await get(`${base}/versions/3`)).details).toEqual([
      { path: 'params.version', message: expect.stringContaining('no version 3') },
    ]);
  });

  it('diffs two versions job by job with the cost and peak deltas', async () => {
    const reply = await get(`${base}/diff?from=1&to=2`);
    expect(reply.status).toBe(200);
    const diff = reply.json as {
      jobs: { jobId: string; change: string; heaterChanged: boolean; startShiftMinutes: number | null }[];
    } & Record<string, unknown>;
    expect(diff.jobs.map((j) => [j.jobId, j.change, j.heaterChanged, j.startShiftMinutes])).toEqual([
      ['J-1', 'unchanged', false, 0],
      ['J-2', 'moved', true, -120],
      ['J-3', 'scheduled', false, null],
      ['J-4', 'unscheduled', false, null],
    ]);
    expect(diff).toMatchObject({ from: 1, to: 2, costDelta: 22.25, peakDeltaKw: -15.5 });
    const bad = await get(`${base}/diff?from=x&to=9`);
    expect(bad.status).toBe(400);
    expect(expectErrorShape(bad).details.map((d) => d.path)).toEqual(['query.from']);
    expect(expectErrorShape(await get(`${base}/diff?from=1&to=9`)).details[0].path).toBe('query.to');
  });

  it('applies, refuses a stale base with 409 E004, rolls back step by step, and audits each with who and why', async () => {
    const first = await post(`${base}/versions/1/apply`, { baseVersion: null, reason: 'morning plan' });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ version: 1, action: 'apply', actor: `user-of-${A}`, reason: 'morning plan' });
    const timing = Number(/dur=([\d.]+)/.exec(first.headers.get('server-timing') ?? '')?.[1]);
    console.log(`apply of version 1 took ${timing} ms in the API (Server-Timing)`);

    const stale = await post(`${base}/versions/2/apply`, { baseVersion: null });
    expect(stale.status).toBe(409);
    const conflict = expectErrorShape(stale);
    expect(conflict.code).toBe('E004');
    expect(conflict.details).toEqual([{ path: 'body.baseVersion', message: expect.stringContaining('the applied version is 1') }]);

    expect((await post(`${base}/versions/2/apply`, { baseVersion: 1, reason: 'J-3 is back' })).status).toBe(200);
    expect((await versions()).applied).toBe(2);
    const back = await post(`${base}/rollback`, { baseVersion: 2, reason: 'furnace crew prefers v1' });
    expect(back.json).toMatchObject({ version: 1, action: 'rollback' });
    expect((await versions()).applied).toBe(1);
    const nothing = await post(`${base}/rollback`, { baseVersion: 1 });
    expect([nothing.status, expectErrorShape(nothing).code]).toEqual([409, 'E004']);
    expect(expectErrorShape(nothing).details[0].message).toBe('version 1 is the first one applied');

    const history = (await versions()).history.map((h) => [h.version, h.action, h.reason]);
    expect(history).toEqual([
      [1, 'rollback', 'furnace crew prefers v1'],
      [2, 'apply', 'J-3 is back'],
      [1, 'apply', 'morning plan'],
    ]);
    const audit = await api.deps.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.tenantId, A), eq(auditEntries.target, `${SITE}/${DATE}`)));
    expect(audit.map((e) => [e.action, e.actor, e.details.version, e.details.previousVersion, e.details.reason]).sort()).toEqual(
      [
        ['schedule.apply', `user-of-${A}`, 1, null, 'morning plan'],
        ['schedule.apply', `user-of-${A}`, 2, 1, 'J-3 is back'],
        ['schedule.rollback', `user-of-${A}`, 1, 2, 'furnace crew prefers v1'],
      ].sort(),
    );
    const invalid = await post(`${base}/versions/2/apply`, { reason: 7 });
    expect(
      expectErrorShape(invalid)
        .details.map((d) => d.path)
        .sort(),
    ).toEqual(['body.baseVersion', 'body.reason']);
  });

  it('two planners applying version 2 on the same base at once: one wins, the other gets 409 E004', async () => {
    const { applied } = await versions();
    const [x, y] = await Promise.all([
      post(`${base}/versions/2/apply`, { baseVersion: applied, reason: 'x' }),
      post(`${base}/versions/2/apply`, { baseVersion: applied, reason: 'y' }, `${A}:admin`),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    const loser = x.status === 409 ? x : y;
    expect(expectErrorShape(loser).code).toBe('E004');
    expect(expectErrorShape(loser).details[0].message).toContain('the applied version is 2');
    const { applied: now, history } = await versions();
    expect([now, history[0].reason]).toEqual([2, x.status === 200 ? 'x' : 'y']);
    // Back to version 1 for the lock test that follows.
    expect((await post(`${base}/rollback`, { baseVersion: 2 })).status).toBe(200);
  });

  it('locks: an apply that moves a locked job or uses a locked heater interval gets 423 E005 naming the lock', async () => {
    const locked = await post(
      `${base}/locks`,
      { kind: 'event', jobId: 'J-2', equipmentId: 'HTR-001', start: at('08:00'), reason: 'die change' },
      `${A}:operator`,
    );
    expect(locked.status).toBe(201);
    const eventLock = locked.json as { lockId: string };
    const heater = await post(
      `${base}/locks`,
      { kind: 'resource', equipmentId: 'HTR-001', start: at('09:30'), end: at('12:00') },
      `${A}:operator`,
    );
    const heaterLock = heater.json as { lockId: string };
    expect(((await get(`${base}/locks`)).json as { items: { lockId: string }[] }).items.map((l) => l.lockId)).toEqual([
      eventLock.lockId,
      heaterLock.lockId,
    ]);

    const refused = await post(`${base}/versions/2/apply`, { baseVersion: 1 });
    expect(refused.status).toBe(423);
    const body = expectErrorShape(refused);
    expect(body.code).toBe('E005');
    expect(body.details).toEqual([
      {
        path: `locks.${eventLock.lockId}`,
        message: `lock ${eventLock.lockId}: job J-2 on HTR-001 at ${DATE} 08:00Z; the plan puts it on HTR-002 at ${DATE} 06:00Z`,
      },
      {
        path: `locks.${heaterLock.lockId}`,
        message: `lock ${heaterLock.lockId}: HTR-001 from ${DATE} 09:30Z to ${DATE} 12:00Z; job J-3 runs there ${DATE} 09:00Z-${DATE} 10:00Z`,
      },
    ]);
    expect((await versions()).applied).toBe(1);

    expect((await call(api.base, 'DELETE', `${base}/locks/${eventLock.lockId}`, { token: tokens[`${A}:planner`] })).status).toBe(204);
    expect(expectErrorShape(await post(`${base}/versions/2/apply`, { baseVersion: 1 })).details.map((d) => d.path)).toEqual([
      `locks.${heaterLock.lockId}`,
    ]);
    expect((await call(api.base, 'DELETE', `${base}/locks/${heaterLock.lockId}`, { token: tokens[`${A}:planner`] })).status).toBe(204);
    expect((await post(`${base}/versions/2/apply`, { baseVersion: 1 })).status).toBe(200);
    expect((await call(api.base, 'DELETE', `${base}/locks/${heaterLock.lockId}`, { token: tokens[`${A}:planner`] })).status).toBe(404);

    const bad = await post(`${base}/locks`, { kind: 'resource', equipmentId: 'HTR-001', start: at('12:00'), end: at('09:00') });
    expect(expectErrorShape(bad).details.map((d) => d.path)).toEqual(['body.end']);
    const unknownKind = await post(`${base}/locks`, { kind: 'heater', equipmentId: 'HTR-001' });
    expect(expectErrorShape(unknownKind).details.map((d) => d.path)).toEqual(['body.kind']);
  });

  it('a run submitted for a site and day whose locked job it would let the solver move gets 423 E005 naming the job', async () => {
    const request = smallRequest(A, example) as unknown as {
      schedule: { site: string; scheduleDate: string; jobs: { id: string; lock?: unknown }[] };
    };
    const { site, scheduleDate, jobs } = request.schedule;
    const lock = await post(`/api/sites/${site}/schedules/${scheduleDate}/locks`, {
      kind: 'event',
      jobId: jobs[1].id,
      equipmentId: 'HTR-001',
      start: `${scheduleDate}T14:00:00Z`,
    });
    const { lockId } = lock.json as { lockId: string };
    try {
      const refused = await post('/api/runs', request);
      expect(refused.status).toBe(423);
      const body = expectErrorShape(refused);
      expect(body.code).toBe('E005');
      expect(body.details).toEqual([
        { path: 'body.schedule.jobs[1].lock', message: expect.stringContaining(`lock ${lockId}: job ${jobs[1].id} on HTR-001`) },
      ]);
    } finally {
      await call(api.base, 'DELETE', `/api/sites/${site}/schedules/${scheduleDate}/locks/${lockId}`, { token: tokens[`${A}:admin`] });
    }
  });

  it('tenant B sees none of A’s versions or locks and cannot apply, roll back or unlock them', async () => {
    const theirs = await versions(`${B}:viewer`);
    expect(theirs.items.map((v) => v.runId)).not.toContain(runs[0]);
    expect(theirs.items).toHaveLength(1);
    expect(theirs.applied).toBeNull();
    const lock = (await post(`${base}/locks`, { kind: 'resource', equipmentId: 'HTR-001', start: at('01:00'), end: at('02:00') })).json as {
      lockId: string;
    };
    expect(((await get(`${base}/locks`, `${B}:viewer`)).json as { items: unknown[] }).items).toEqual([]);
    expect((await call(api.base, 'DELETE', `${base}/locks/${lock.lockId}`, { token: tokens[`${B}:admin`] })).status).toBe(404);
    expect((await get(`${base}/diff?from=1&to=2`, `${B}:viewer`)).status).toBe(404);
    expect((await get(`${base}/versions/2`, `${B}:viewer`)).status).toBe(404);
    expect((await post(`${base}/versions/2/apply`, { baseVersion: null }, `${B}:admin`)).status).toBe(404);
    expect((await post(`${base}/rollback`, { baseVersion: null }, `${B}:admin`)).status).toBe(409);
    const other = await call(api.base, 'GET', `${base}/versions?tenant=${A}`, { token: tokens[`${B}:admin`] });
    expect([other.status, expectErrorShape(other).details[0].path]).toEqual([403, 'query.tenant']);
    expect((await versions()).applied).toBe(2);
    expect(((await get(`${base}/locks`)).json as { items: { lockId: string }[] }).items.map((l) => l.lockId)).toEqual([lock.lockId]);
  });
});
