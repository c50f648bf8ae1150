import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../api/auth.ts';
import { PUBLIC_ROUTES, ROUTE_ROLES, type RouteName } from '../../api/permissions.ts';
import { eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { erpSyncFailed } from '../../activities/notify/rules.ts';
import { ensureRecurringPull } from '../../activities/schedules.ts';
import { storeAlert } from '../../db/repositories/alerts.ts';
import { artefacts, optimizationRuns } from '../../db/schema.ts';
import { AlertSchema } from '../../domain/alerts.ts';
import { submitRun } from '../../runs/submit.ts';
import { toSchedulerDto } from '../../activities/intake/dto-export.ts';
import { RunRequestSchema } from '../../domain/run-request.ts';
import { addLock, applyVersion, listApplications } from '../../db/repositories/schedule-versions.ts';
import { storeCompletedRun } from './schedule-data.ts';
import { call, expectErrorShape, IDLE_QUEUE, smallRequest, startApi, token, type TestApi } from './support.ts';

const example = JSON.parse(readFileSync(new URL('../../examples/plant-day.json', import.meta.url), 'utf8'));
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const TENANT = 'roles-tenant';

interface Probe {
  method: string;
  path: string;
  body?: unknown;
  /** The status an allowed caller gets. */
  ok: number;
}

describe('every route × every role', () => {
  let api: TestApi;
  let runId: string;
  /** A run that has ended (failed), so its event stream closes at once and it may be retried. */
  let endedRunId: string;
  let alertId: string;
  /** One ERP pull Schedule of the tenant, on a queue no worker polls (triggered pulls never run). */
  const pullId = `heatscheduler-erp-pull-roles-${randomUUID().slice(0, 8)}`;
  /** Two versions of a site's schedule for a date (stored plans; no solve needed). */
  const versionsKey = { tenantId: TENANT, siteId: 'plant-versions', scheduleDate: '2026-11-24' };
  const versionsBase = `/api/sites/${versionsKey.siteId}/schedules/${versionsKey.scheduleDate}`;
  const appliedVersion = async () => (await listApplications(api.deps.db, versionsKey, 1))[0]?.version ?? null;
  const freshRun = async () =>
    (
      await submitRun(api.deps.db, api.deps.client, {
        content: JSON.stringify(smallRequest(TENANT, example)),
        format: 'json',
        tenantId: TENANT,
        taskQueue: IDLE_QUEUE,
      })
    ).runId;

  const optimizationRequest = () => ({
    scheduleData: toSchedulerDto(RunRequestSchema.parse(smallRequest(TENANT, example)), 'v1', '2026-11-23T10:00:00Z'),
    algorithmId: 1,
    options: { objective: 'minimize_cost' },
  });

  /** One request per route; typed by the route table, so a new route without a probe does not compile. */
  const probes: Record<RouteName, () => Promise<Probe>> = {
    'POST /api/runs': async () => ({ method: 'POST', path: '/api/runs', body: smallRequest(TENANT, example), ok: 202 }),
    'GET /api/runs': async () => ({ method: 'GET', path: '/api/runs', ok: 200 }),
    'GET /api/runs/:id': async () => ({ method: 'GET', path: `/api/runs/${runId}`, ok: 200 }),
    'DELETE /api/runs/:id': async () => ({ method: 'DELETE', path: `/api/runs/${await freshRun()}`, ok: 202 }),
    'GET /api/runs/:id/report.json': async () => ({ method: 'GET', path: `/api/runs/${runId}/report.json`, ok: 200 }),
    'GET /api/runs/:id/report.txt': async () => ({ method: 'GET', path: `/api/runs/${runId}/report.txt`, ok: 200 }),
    'GET /api/runs/:id/provenance': async () => ({ method: 'GET', path: `/api/runs/${runId}/provenance`, ok: 200 }),
    'GET /api/runs/:id/events': async () => ({ method: 'GET', path: `/api/runs/${endedRunId}/events`, ok: 200 }),
    'POST /api/runs/:id/retry': async () => ({ method: 'POST', path: `/api/runs/${endedRunId}/retry`, ok: 202 }),
    'GET /api/runs/:id/report.pdf': async () => ({ method: 'GET', path: `/api/runs/${runId}/report.pdf`, ok: 200 }),
    'GET /api/runs/:id/report.xlsx': async () => ({ method: 'GET', path: `/api/runs/${runId}/report.xlsx`, ok: 200 }),
    // No step recorded on the idle queue: an allowed caller gets the JSON 404 "no plan (yet)".
    'GET /api/runs/:id/plan': async () => ({ method: 'GET', path: `/api/runs/${runId}/plan`, ok: 404 }),
    'POST /api/schedules/optimize': async () => ({ method: 'POST', path: '/api/schedules/optimize', body: optimizationRequest(), ok: 202 }),
    'GET /api/schedules/optimize/:id': async () => ({ method: 'GET', path: `/api/schedules/optimize/${runId}`, ok: 200 }),
    'DELETE /api/schedules/optimize/:id': async () => ({ method: 'DELETE', path: `/api/schedules/optimize/${await freshRun()}`, ok: 204 }),
    'GET /api/schedules/optimize/:id/progress': async () => ({
      method: 'GET',
      path: `/api/schedules/optimize/${endedRunId}/progress`,
      ok: 200,
    }),
    'POST /api/alerts/:id/acknowledge': async () => ({ method: 'POST', path: `/api/alerts/${alertId}/acknowledge`, ok: 200 }),
    'GET /api/subscribers': async () => ({ method: 'GET', path: '/api/subscribers', ok: 200 }),
    'PUT /api/subscribers/:userId': async () => ({
      method: 'PUT',
      path: '/api/subscribers/u1',
      body: { userId: 'u1', email: 'u1@plant.example' },
      ok: 200,
    }),
    'GET /api/sites/:siteId/tariffs': async () => ({ method: 'GET', path: '/api/sites/plant-1/tariffs', ok: 200 }),
    'GET /api/sites/:siteId/tariff': async () => ({
      method: 'GET',
      path: `/api/sites/plant-1/tariff?date=${example.schedule.scheduleDate}`,
      ok: 200,
    }),
    'PUT /api/sites/:siteId/tariff': async () => ({ method: 'PUT', path: '/api/sites/plant-1/tariff', body: example.tariff, ok: 200 }),
    'GET /api/sites/:siteId/heaters': async () => ({ method: 'GET', path: '/api/sites/plant-1/heaters', ok: 200 }),
    'PUT /api/sites/:siteId/heaters': async () => ({ method: 'PUT', path: '/api/sites/plant-1/heaters', body: example.equipment, ok: 200 }),
    'GET /api/audit': async () => ({ method: 'GET', path: '/api/audit', ok: 200 }),
    'GET /api/pulls': async () => ({ method: 'GET', path: '/api/pulls', ok: 200 }),
    'POST /api/pulls/:scheduleId/pause': async () => ({ method: 'POST', path: `/api/pulls/${pullId}/pause`, body: {}, ok: 200 }),
    'POST /api/pulls/:scheduleId/unpause': async () => ({ method: 'POST', path: `/api/pulls/${pullId}/unpause`, body: {}, ok: 200 }),
    'POST /api/pulls/:scheduleId/trigger': async () => ({ method: 'POST', path: `/api/pulls/${pullId}/trigger`, body: {}, ok: 200 }),
    'POST /api/pulls/:scheduleId/backfill': async () => ({
      method: 'POST',
      path: `/api/pulls/${pullId}/backfill`,
      body: { from: '2026-11-24T00:00:00Z', to: '2026-11-24T02:00:00Z' },
      ok: 200,
    }),
    'GET /api/sites/:siteId/schedules/:date/versions': async () => ({ method: 'GET', path: `${versionsBase}/versions`, ok: 200 }),
    'GET /api/sites/:siteId/schedules/:date/versions/:version': async () => ({
      method: 'GET',
      path: `${versionsBase}/versions/2`,
      ok: 200,
    }),
    'GET /api/sites/:siteId/schedules/:date/diff': async () => ({ method: 'GET', path: `${versionsBase}/diff?from=1&to=2`, ok: 200 }),
    'POST /api/sites/:siteId/schedules/:date/versions/:version/apply': async () => ({
      method: 'POST',
      path: `${versionsBase}/versions/2/apply`,
      body: { baseVersion: await appliedVersion(), reason: 'roles' },
      ok: 200,
    }),
    'POST /api/sites/:siteId/schedules/:date/rollback': async () => {
      // Two applications on top of whatever is applied, so that there is one to roll back to.
      await applyVersion(api.deps.db, versionsKey, 1, { baseVersion: await appliedVersion(), actor: 'setup' });
      await applyVersion(api.deps.db, versionsKey, 2, { baseVersion: 1, actor: 'setup' });
      return { method: 'POST', path: `${versionsBase}/rollback`, body: { baseVersion: 2 }, ok: 200 };
    },
    'GET /api/sites/:siteId/schedules/:date/locks': async () => ({ method: 'GET', path: `${versionsBase}/locks`, ok: 200 }),
    'POST /api/sites/:siteId/schedules/:date/locks': async () => ({
      method: 'POST',
      path: `${versionsBase}/locks`,
      body: { kind: 'event', jobId: 'NOT-PLANNED', equipmentId: 'HTR-001', start: '2026-11-24T06:00:00Z' },
      ok: 201,
    }),
    'DELETE /api/sites/:siteId/schedules/:date/locks/:lockId': async () => {
      const lock = await addLock(
        api.deps.db,
        versionsKey,
        { kind: 'event', jobId: 'NOT-PLANNED', equipmentId: 'HTR-001', start: '2026-11-24T06:00:00.000Z' },
        'setup',
      );
      return { method: 'DELETE', path: `${versionsBase}/locks/${lock.lockId}`, ok: 204 };
    },
  };

  beforeAll(async () => {
    api = await startApi();
    runId = await freshRun();
    endedRunId = await freshRun();
    await api.deps.db.update(optimizationRuns).set({ status: 'FAILED' }).where(eq(optimizationRuns.runId, endedRunId));
    alertId = (
      await storeAlert(api.deps.db, AlertSchema.parse(erpSyncFailed({ tenantId: TENANT, system: 'SAP', occurrence: 'o', error: 'e' })))
    ).alertId;
    await ensureRecurringPull(api.deps.client, {
      scheduleId: pullId,
      owner: { tenant: TENANT, site: 'plant-1' },
      workflowType: 'erpPull',
      args: [{ connector: 'roles' }],
      taskQueue: IDLE_QUEUE,
      every: '1h',
      catchupWindow: '1m',
    });
    for (const [minute, on] of [
      [0, 'HTR-001'],
      [5, 'HTR-002'],
    ] as const) {
      await storeCompletedRun(api.deps.db, {
        tenant: TENANT,
        site: versionsKey.siteId,
        date: versionsKey.scheduleDate,
        jobs: [{ id: 'J-1', on, start: '2026-11-24T06:00:00Z', end: '2026-11-24T07:00:00Z' }],
        cost: 100 + minute,
        peakKw: 50,
        completedAt: new Date(Date.UTC(2026, 10, 23, 18, minute)),
      });
    }
    const admin = await token(TENANT, ['admin']);
    expect((await call(api.base, 'PUT', '/api/sites/plant-1/tariff', { token: admin, body: example.tariff })).status).toBe(200);
    for (const [kind, type] of [
      ['report.json', 'application/json'],
      ['report.txt', 'text/plain; charset=utf-8'],
      ['report.pdf', 'application/pdf'],
      ['report.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ]) {
      await api.deps.db
        .insert(artefacts)
        .values({ runId, tenantId: TENANT, kind, contentType: type, content: Buffer.from('{}'), sha256: '0'.repeat(64), sizeBytes: 2 });
    }
  });
  afterAll(async () => {
    await api?.deps.client.schedule
      .getHandle(pullId)
      .delete()
      .catch(() => undefined);
    await api?.close();
  });

  for (const route of Object.keys(ROUTE_ROLES) as RouteName[]) {
    it(`${route}: allowed for ${ROUTE_ROLES[route].join(', ')}; 403 for the other roles; 401 without a token`, async () => {
      for (const role of [...ROLES, null] as (Role | null)[]) {
        const probe = await probes[route]();
        const reply = await call(api.base, probe.method, probe.path, {
          token: role ? await token(TENANT, [role]) : undefined,
          body: probe.body,
        });
        const allowed = role !== null && (ROUTE_ROLES[route] as readonly Role[]).includes(role);
        const expected = role === null ? 401 : allowed ? probe.ok : 403;
        expect({ role, status: reply.status }).toEqual({ role, status: expected });
        if (!allowed) expect(expectErrorShape(reply).code).toBe(role === null ? 'UNAUTHENTICATED' : 'FORBIDDEN');
      }
    });
  }

  for (const route of Object.keys(PUBLIC_ROUTES)) {
    it(`${route}: no login; every role and no token alike get the link's verdict (403 for a bad signature), never 401`, async () => {
      const [method, path] = route.split(' ');
      for (const role of [...ROLES, null] as (Role | null)[]) {
        const reply = await call(api.base, method, `${path.replace(':id', alertId)}?u=u1&exp=9999999999&sig=forged`, {
          token: role ? await token(TENANT, [role]) : undefined,
        });
        expect({ role, status: reply.status }).toEqual({ role, status: 403 });
        expect(reply.text).toContain('signature does not match');
      }
    });
  }

  it('the README table says what the code enforces', () => {
    const rows = new Map<string, Role[]>();
    const open: string[] = [];
    for (const line of readme.split('\n')) {
      const cells = line.split('|').map((c) => c.trim());
      const route = /^`([A-Z]+ \/api\/\S+)`$/.exec(cells[1] ?? '')?.[1];
      if (!route || cells.length < 7) continue;
      if (cells.slice(2, 6).every((c) => c === 'signed link')) open.push(route);
      else
        rows.set(
          route,
          ROLES.filter((_, i) => cells[2 + i] === '✓'),
        );
    }
    expect(Object.fromEntries(rows)).toEqual(
      Object.fromEntries(Object.entries(ROUTE_ROLES).map(([r, roles]) => [r, ROLES.filter((x) => roles.includes(x as never))])),
    );
    expect(open).toEqual(Object.keys(PUBLIC_ROUTES));
  });
});
