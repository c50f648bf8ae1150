import { randomUUID } from 'node:crypto';
import { Client, Connection, ScheduleOverlapPolicy, WorkflowFailedError, type ScheduleHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureErpSchedule, erpActivities, erpScheduleId, type ErpPullResult } from '../../activities/erp/activity.ts';
import { ErpConnectorSchema, type ErpConnector } from '../../activities/erp/config.ts';
import { activityInterceptors } from '../../activities/failures.ts';
import { openDb, type DbHandle } from '../../db/client.ts';
import { erpScheduleVersions } from '../../db/schema.ts';
import type { AlertInput } from '../../domain/alerts.ts';
import { spawnWorker } from '../../infra/worker-process.ts';
import { WORKFLOWS_PATH } from '../../workers/common.ts';
import { FakeErp, order } from '../erp/fake-erp.ts';
import { waitFor } from '../support/pipeline.ts';

const TASK_QUEUE = 'erp-pull-test';
const TENANT = 'erp-tenant';

describe('the erpPull workflow on its Temporal Schedule (real dev server, Postgres, a local ERP)', () => {
  let erp: FakeErp;
  let handle: DbHandle;
  let connection: Connection;
  let client: Client;
  let workerConnection: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  let connector: ErpConnector;
  let busy: ErpConnector;
  const schedules: ScheduleHandle[] = [];
  /** The alerts the pulls raised (the alert workflow itself is tested in alerts.test.ts). */
  const raised: AlertInput[] = [];

  const connectorNamed = (name: string) =>
    ErpConnectorSchema.parse({
      name,
      endpoint: {
        baseUrl: `${erp.base}/api`,
        auth: { kind: 'api_key', key: erp.apiKey },
        pageSize: 2,
        timeoutMs: 60_000,
        attempts: 2,
        backoffMs: 10,
      },
      site: { tenant: TENANT, site: name, timeZone: 'America/Chicago' },
    });
  const versions = (c: ErpConnector) =>
    handle.db
      .select()
      .from(erpScheduleVersions)
      .where(and(eq(erpScheduleVersions.tenantId, TENANT), eq(erpScheduleVersions.source, c.name)))
      .orderBy(erpScheduleVersions.version);

  /** Triggers the schedule now and returns what the pull it started did. */
  async function triggerAndWait(schedule: ScheduleHandle): Promise<ErpPullResult> {
    const before = (await schedule.describe()).info.recentActions.length;
    await schedule.trigger();
    const action = await waitFor('the triggered pull', async () => (await schedule.describe()).info.recentActions[before]);
    return client.workflow.getHandle(action.action.workflow.workflowId).result() as Promise<ErpPullResult>;
  }

  beforeAll(async () => {
    erp = await new FakeErp().start();
    erp.orders = ['A', 'B', 'C', 'D', 'E'].map((id) => order(id));
    const suffix = randomUUID().slice(0, 8);
    connector = connectorNamed(`erp-${suffix}`);
    busy = connectorNamed(`busy-${suffix}`);
    handle = openDb(inject('databaseUrl'));
    connection = await Connection.connect({ address: inject('temporalAddress') });
    client = new Client({ connection });
    workerConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
    worker = await Worker.create({
      connection: workerConnection,
      taskQueue: TASK_QUEUE,
      workflowsPath: WORKFLOWS_PATH,
      activities: erpActivities(handle.db, [connector, busy], async (alert) => {
        raised.push(alert);
        return { workflowId: 'recorded', alreadyRaised: false };
      }),
      interceptors: { activity: activityInterceptors },
    });
    running = worker.run();
  });

  afterAll(async () => {
    for (const s of schedules) await s.delete().catch(() => undefined);
    erp?.release();
    worker?.shutdown();
    await running;
    await workerConnection?.close();
    await connection?.close();
    await handle?.close();
    await erp?.stop();
  });

  it('creates the Schedule once (every 15 min, overlaps skipped, a catch-up window); triggered now, it stores the orders as version 1', async () => {
    expect(await ensureErpSchedule(client, connector, { taskQueue: TASK_QUEUE })).toBe('created');
    expect(await ensureErpSchedule(client, connector, { taskQueue: TASK_QUEUE })).toBe('exists');
    const schedule = client.schedule.getHandle(erpScheduleId(connector));
    schedules.push(schedule);
    const described = await schedule.describe();
    expect(described.spec.intervals).toMatchObject([{ every: 15 * 60_000 }]);
    expect(described.policies).toMatchObject({ overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 60 * 60_000 });
    expect(described.action).toMatchObject({ workflowType: 'erpPull', args: [{ connector: connector.name }] });
    const result = await triggerAndWait(schedule);
    expect(result).toMatchObject({ changed: true, version: 1, orders: 5, pages: 3 });
    const [v1] = await versions(connector);
    expect(v1).toMatchObject({ version: 1, ordersCount: 5, siteId: connector.name, requestHash: result.requestHash });
  });

  it('stores nothing new while the orders stay the same, and version 2 when one changes', async () => {
    const schedule = client.schedule.getHandle(erpScheduleId(connector));
    expect(await triggerAndWait(schedule)).toMatchObject({ changed: false, version: 1 });
    erp.orders[3] = order('D', 450);
    expect(await triggerAndWait(schedule)).toMatchObject({ changed: true, version: 2 });
    const rows = await versions(connector);
    expect(rows.map((r) => r.version)).toEqual([1, 2]);
    expect(rows[0].requestHash).not.toBe(rows[1].requestHash);
  });

  it('skips the pulls due while one is still running (overlap policy SKIP)', async () => {
    erp.hold();
    expect(await ensureErpSchedule(client, busy, { taskQueue: TASK_QUEUE, every: '1s' })).toBe('created');
    const schedule = client.schedule.getHandle(erpScheduleId(busy));
    schedules.push(schedule);
    const skipped = await waitFor('a skipped pull', async () => {
      const { info } = await schedule.describe();
      return info.numActionsSkippedOverlap >= 2 ? info : undefined;
    });
    expect(skipped.runningActions).toHaveLength(1);
    await schedule.pause();
    erp.release();
    const started = (await schedule.describe()).info.recentActions;
    expect(started).toHaveLength(1);
    await client.workflow.getHandle(started[0].action.workflow.workflowId).result();
    expect(await versions(busy)).toHaveLength(1);
  });

  it('raises erp_sync_failed when the retries are spent (500s), and at once for orders intake refuses', async () => {
    erp.faults.push(...Array<'500'>(4).fill('500'));
    const retry = { maximumAttempts: 2, initialIntervalSeconds: 1 };
    const failed = await client.workflow
      .execute('erpPull', { taskQueue: TASK_QUEUE, workflowId: `erp-fail-${randomUUID()}`, args: [{ connector: connector.name, retry }] })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(WorkflowFailedError);
    erp.orders[0] = { ...order('A'), heatingKwh: 'lots' };
    const refused = await client.workflow
      .execute('erpPull', { taskQueue: TASK_QUEUE, workflowId: `erp-bad-${randomUUID()}`, args: [{ connector: connector.name, retry }] })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WorkflowFailedError);
    const alerts = raised.filter((a) => a.rule === 'erp_sync_failed' && a.facts?.system === connector.name);
    expect(alerts.map((a) => [a.tenantId, a.severity, a.text])).toEqual([
      [TENANT, 'critical', expect.stringMatching(/failed: page 1: HTTP 500 Internal Server Error \(after 2 tries\)$/)],
      [TENANT, 'critical', expect.stringContaining('schedule.jobs[0].heatingKwh')],
    ]);
    // Two different failures of the day are two alerts; the same failure again would be the first one.
    expect(new Set(alerts.map((a) => a.subject)).size).toBe(2);
    expect(await versions(connector)).toHaveLength(2);
  });

  it('is created by the pipeline worker at start-up from the ERP_* variables, once however often the worker starts', async () => {
    const name = `startup-${randomUUID().slice(0, 8)}`;
    const env = {
      ...process.env,
      DATABASE_URL: inject('databaseUrl'),
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      LOG_LEVEL: 'warn',
      ERP_BASE_URL: `${erp.base}/api`,
      ERP_NAME: name,
      ERP_API_KEY: erp.apiKey,
      ERP_TENANT: TENANT,
      ERP_SITE: name,
      ERP_PULL_EVERY_MINUTES: '30',
    };
    const schedule = client.schedule.getHandle(`heatscheduler-erp-pull-${name}`);
    schedules.push(schedule);
    const created: number[] = [];
    for (let start = 1; start <= 2; start++) {
      const worker = await spawnWorker('pipeline', env);
      try {
        const described = await waitFor('the schedule', () => schedule.describe().catch(() => undefined));
        expect(described.spec.intervals).toMatchObject([{ every: 30 * 60_000 }]);
        expect(described.action).toMatchObject({
          workflowType: 'erpPull',
          taskQueue: 'heatscheduler-pipeline',
          args: [{ connector: name }],
        });
        created.push(described.info.createdAt.getTime());
      } finally {
        await worker.stop();
      }
    }
    // The second start found the Schedule and left it as it was.
    expect(created[1]).toBe(created[0]);
  });
});
