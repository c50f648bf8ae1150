import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { equipmentActivities } from '../../activities/equipment/activity.ts';
import { intakeActivities } from '../../activities/intake/activity.ts';
import { optimizeActivities } from '../../activities/optimize/activity.ts';
import { tariffActivities } from '../../activities/tariff/activity.ts';
import { openDb, type DbHandle } from '../../db/client.ts';
import { loadStepOutput } from '../../db/repositories/steps.ts';
import { optimizationRuns, runInputs } from '../../db/schema.ts';
import type { StepRef } from '../../domain/pipeline.ts';
import type { OptimizedSchedule } from '../../domain/plan.ts';
import type { EquipmentOutput } from '../../domain/problem.ts';
import type { RunRequestInput } from '../../domain/run-request.ts';
import { COLD_NIGHT_FORECAST, flatDayForPump } from '../support/heat-pump.ts';
import { at } from '../support/problem.ts';

/** The equipment step records the COP windows it derived from the forecast, and the optimize step plans by them. */
describe('the equipment step with a COP curve and a forecast', () => {
  let handle: DbHandle;

  beforeAll(() => {
    handle = openDb(inject('databaseUrl'));
  });

  afterAll(async () => {
    await handle?.close();
  });

  async function run(body: RunRequestInput) {
    const { db } = handle;
    const runId = randomUUID();
    await db.insert(optimizationRuns).values({ runId, tenantId: 'test', status: 'RUNNING' });
    await db.insert(runInputs).values({ runId, tenantId: 'test', format: 'json', content: JSON.stringify(body) });
    const intake = (await intakeActivities(db).intake({ runId })).ref;
    const [tariff, equipment] = await Promise.all([
      tariffActivities(db).resolveTariff({ runId, intake }),
      equipmentActivities(db).resolveEquipment({ runId, intake }),
    ]);
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 60_000 }, { logger: new DefaultLogger('ERROR') });
    const optimized: StepRef = await env.run(optimizeActivities(db).optimize, { runId, intake, tariff, equipment });
    return {
      equipment,
      heaters: (await loadStepOutput<EquipmentOutput>(db, runId, equipment)).equipment,
      plan: await loadStepOutput<OptimizedSchedule>(db, runId, optimized),
    };
  }

  it('records the windows in its output (its hash) and the plan runs the pump in the mild hours (15 instead of 20)', async () => {
    const forecast = await run(flatDayForPump({ outdoorTemperature: COLD_NIGHT_FORECAST }));
    expect(forecast.heaters[0].efficiencyWindows).toEqual([
      { start: '2026-03-02T00:00:00.000Z', end: '2026-03-02T08:00:00.000Z', efficiency: 2.5 },
      { start: '2026-03-02T08:00:00.000Z', end: '2026-03-02T16:00:00.000Z', efficiency: 4 },
      { start: '2026-03-02T16:00:00.000Z', end: '2026-03-03T00:00:00.000Z', efficiency: 3.25 },
    ]);
    const [placed] = forecast.plan.assignments;
    expect(Date.parse(placed.start)).toBeGreaterThanOrEqual(Date.parse(at('08:00')));
    expect(Date.parse(placed.end)).toBeLessThanOrEqual(Date.parse(at('16:00')));
    expect(forecast.plan.solver.objective).toBeCloseTo(15, 9);

    const nominal = await run(flatDayForPump());
    expect(nominal.heaters[0].efficiencyWindows).toEqual([]);
    expect(nominal.equipment.hash).not.toBe(forecast.equipment.hash);
    expect(nominal.plan.solver.objective).toBeCloseTo(20, 9);
  });
});
