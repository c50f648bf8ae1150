import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { equipmentStatusActivities } from '../../activities/equipment/activity.ts';
import { BmsConfigSchema } from '../../activities/equipment/bms-config.ts';
import { parseSubmission } from '../../activities/intake/parse.ts';
import { openDb, type DbHandle } from '../../db/client.ts';
import { loadRegistry, upsertEquipment } from '../../db/repositories/equipment.ts';
import { insertSchedule } from '../../db/repositories/schedules.ts';
import { storeAlert } from '../../db/repositories/alerts.ts';
import { optimizationRuns, optimizedAssignments, productionJobs } from '../../db/schema.ts';
import { AlertSchema, type AlertInput } from '../../domain/alerts.ts';
import { EquipmentSchema } from '../../domain/equipment.ts';
import type { RaiseAlert } from '../../runs/alerts.ts';
import { alertWorkflowId } from '../../workflows/alert.ts';

const TENANT = 'bms-tenant';
const HOUR = 3_600_000;

describe('the SCADA/BMS status pull (a local BMS gateway, the suite Postgres)', () => {
  let handle: DbHandle;
  let server: Server;
  let status: unknown;
  let site: string;
  let base: string;
  const runs: Record<'current' | 'finished', string> = { current: randomUUID(), finished: randomUUID() };

  /** A successful run of the site whose optimised plan has one job on `heater` ending at `end`. */
  async function plannedRun(runId: string, heater: string, end: Date) {
    const start = new Date(end.getTime() - HOUR);
    const day = start.toISOString().slice(0, 10);
    const { schedule } = parseSubmission(
      JSON.stringify({
        schedule: {
          tenant: TENANT,
          site,
          scheduleDate: day,
          timeZone: 'UTC',
          horizonDays: 3,
          jobs: [
            {
              id: 'J1',
              product: 'P',
              quantity: 1,
              unit: 'kg',
              heatingKwh: 100,
              earliestStart: `${day}T00:00`,
              deadline: end.toISOString(),
            },
          ],
        },
      }),
      'json',
    );
    await handle.db.insert(optimizationRuns).values({ runId, tenantId: TENANT, siteId: site, status: 'SUCCESS' });
    const scheduleId = await handle.db.transaction((tx) => insertSchedule(tx, runId, schedule, 'h'));
    const [job] = await handle.db.select().from(productionJobs).where(eq(productionJobs.scheduleId, scheduleId));
    const row = { runId, tenantId: TENANT, scheduleId, jobId: job.jobId, equipmentId: heater, scheduledStart: start, scheduledEnd: end };
    const figures = { thermalKw: 100, powerKw: 100, electricKw: 100, energyCost: 1, provenanceHash: 'h' };
    await handle.db.insert(optimizedAssignments).values({ ...row, ...figures, plan: 'optimized' });
  }

  /** What the pull raised; each alert stored as the alert workflow's first step stores it. */
  const raised: AlertInput[] = [];
  const raise: RaiseAlert = async (alert) => {
    raised.push(alert);
    await storeAlert(handle.db, AlertSchema.parse(alert));
    return { workflowId: alertWorkflowId(alert), alreadyRaised: false };
  };
  const pull = () =>
    equipmentStatusActivities(
      handle.db,
      BmsConfigSchema.parse({ url: `${base}/status`, tenant: TENANT, site, patience: { attempts: 1 } }),
      raise,
    ).pullEquipmentStatus();

  beforeAll(async () => {
    handle = openDb(inject('databaseUrl'));
    site = `site-${randomUUID().slice(0, 8)}`;
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(status)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const heaters = ['H1', 'H2'].map((id) => EquipmentSchema.parse({ id, name: id, type: 'electric', capacityKw: 500, efficiency: 0.95 }));
    await upsertEquipment(
      handle.db,
      TENANT,
      site,
      heaters,
      new Date(Date.now() - HOUR).toISOString(),
      new Date(Date.now() + 24 * HOUR).toISOString(),
    );
    await plannedRun(runs.current, 'H2', new Date(Date.now() + 2 * HOUR));
    await plannedRun(runs.finished, 'H2', new Date(Date.now() - HOUR / 2));
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await handle?.close();
  });

  it('takes a heater reported down out of new plans and alerts once for the run whose plan still needs it', async () => {
    status = {
      heaters: [
        { id: 'H1', available: true, loadKw: 120 },
        { id: 'H2', available: false, state: 'fault' },
        { id: 'H9', available: false },
      ],
      meteredPeakKw: 640,
    };
    const first = await pull();
    expect(first).toMatchObject({ heaters: 3, offline: ['H2'], unknown: ['H9'], meteredPeakKw: 640 });
    expect(first.alerts).toEqual([{ runId: runs.current, heater: 'H2' }]);
    const registry = await loadRegistry(handle.db, TENANT, site, new Date().toISOString(), new Date(Date.now() + HOUR / 2).toISOString());
    expect(registry.find((h) => h.id === 'H2')?.unavailability).toMatchObject([{ reason: 'offline', notes: 'reported by the BMS' }]);
    expect(registry.find((h) => h.id === 'H1')?.unavailability).toEqual([]);
    expect((await pull()).alerts).toEqual([]);
    // One alert for the run that still needs H2 (not for the run that has ended), not raised again by the second pull.
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({
      tenantId: TENANT,
      rule: 'equipment_unavailable',
      severity: 'warning',
      runId: runs.current,
      subject: `H2@${runs.current}`,
    });
    expect(raised[0].text).toContain(`reports it fault, and run ${runs.current} plans it`);
  });

  it('refuses an answer of the wrong shape for good, naming the field', async () => {
    status = { heaters: [{ id: 'H1', available: 'yes' }] };
    const err = await pull().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).nonRetryable).toBe(true);
    expect((err as ApplicationFailure).message).toMatch(/^the BMS status is not as expected: heaters\.0\.available: /);
  });
});
