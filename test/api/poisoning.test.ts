import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from '../../db/schema.ts';
import { runRow, startTestPipeline, type TestPipeline } from '../support/pipeline.ts';
import { call, expectErrorShape, smallRequest, startApi, testOptions, token, type TestApi } from './support.ts';

const example = JSON.parse(readFileSync(new URL('../../examples/plant-day.json', import.meta.url), 'utf8'));
const A = 'poison-a';
const B = 'poison-b';
const SITE = example.schedule.site as string;
const DAY = example.schedule.scheduleDate as string;

/** The tester's run of issue 11: the same tariff name and dates at 99 USD/kWh (and 99 USD/kW of demand), and every gas boiler offline all day. */
function poisoned(tenant: string) {
  const request = smallRequest(tenant, example) as Record<string, unknown> & typeof example;
  request.tariff.periods = request.tariff.periods.map((p: object) => ({ ...p, energyRate: 99 }));
  request.tariff.demand.charges = request.tariff.demand.charges.map((c: object) => ({ ...c, rate: 99 }));
  request.equipment = request.equipment.map((e: { type: string }) =>
    e.type === 'gas_boiler'
      ? { ...e, unavailability: [{ start: `${DAY}T00:00:00-06:00`, end: `${DAY}T23:59:00-06:00`, reason: 'offline' }] }
      : e,
  );
  return request;
}

/** A request that names no tariff and no heaters: the site's registered ones price it. */
function lean(tenant: string) {
  const request = smallRequest(tenant, example) as Record<string, unknown>;
  delete request.tariff;
  delete request.equipment;
  return request;
}

describe('poisoning: a run’s inline tariff and heaters are its inputs, not the site’s registry', () => {
  let p: TestPipeline;
  let api: TestApi;
  const t: Record<string, string> = {};

  const registry = async (tenant: string) => ({
    tariff: (await call(api.base, 'GET', `/api/sites/${SITE}/tariff?date=${DAY}`, { token: t[`${tenant}:viewer`] })).json,
    heaters: (await call(api.base, 'GET', `/api/sites/${SITE}/heaters`, { token: t[`${tenant}:viewer`] })).json,
  });
  const run = async (who: string, body: unknown) => {
    const reply = await call(api.base, 'POST', '/api/runs', { token: t[who], body });
    expect(reply.status, reply.text).toBe(202);
    const { runId } = reply.json as { runId: string };
    await p.client.workflow.getHandle(runId).result();
    return runRow(p, runId);
  };
  const registryAudit = async (tenant: string) =>
    (await p.db.select().from(auditEntries).where(eq(auditEntries.tenantId, tenant))).filter((e) => e.action !== 'run.cancel');

  beforeAll(async () => {
    p = await startTestPipeline();
    api = await startApi(testOptions({ taskQueue: undefined })); // the real pipeline queue: these runs complete
    for (const tenant of [A, B]) {
      for (const role of ['admin', 'planner', 'viewer'] as const)
        t[`${tenant}:${role}`] = await token(tenant, [role], { sub: `${role}@${tenant}` });
      for (const [part, body] of [
        ['tariff', example.tariff],
        ['heaters', example.equipment],
      ]) {
        const put = await call(api.base, 'PUT', `/api/sites/${SITE}/${part}`, { token: t[`${tenant}:admin`], body });
        expect(put.status, put.text).toBe(200);
      }
    }
  });
  afterAll(async () => {
    await api?.close();
    await p?.close();
  });

  it('A’s run at 99 USD/kWh with its boilers offline changes neither A’s nor B’s registry; A’s next run prices as before', async () => {
    const before = { a: await registry(A), b: await registry(B) };
    const auditBefore = { a: await registryAudit(A), b: await registryAudit(B) };
    const normal = await run(`${A}:planner`, lean(A));
    expect(normal.status).toBe('SUCCESS');

    // Aimed at B: refused at the door, the tenant comes from the token.
    const atB = await call(api.base, 'POST', '/api/runs', { token: t[`${A}:admin`], body: poisoned(B) });
    expect(atB.status).toBe(403);
    expect(expectErrorShape(atB).details[0].path).toBe('body.schedule.tenant');

    const poison = await run(`${A}:planner`, poisoned(A));
    expect(poison.status).toBe('SUCCESS');
    expect(poison.optimizedCost!).toBeGreaterThan(10 * normal.optimizedCost!); // the run itself was priced with its own inputs

    expect({ a: await registry(A), b: await registry(B) }).toEqual(before);
    expect({ a: await registryAudit(A), b: await registryAudit(B) }).toEqual(auditBefore);
    const after = await run(`${A}:planner`, lean(A));
    expect(after.status).toBe('SUCCESS');
    expect(after.optimizedCost).toBe(normal.optimizedCost);
    expect((await run(`${B}:planner`, lean(B))).optimizedCost).toBe(normal.optimizedCost);
  });

  it('register: true is an admin’s: a planner is refused naming the field; an admin’s run registers both, audited under the admin', async () => {
    const refused = await call(api.base, 'POST', '/api/runs', { token: t[`${A}:planner`], body: { ...poisoned(A), register: true } });
    expect(refused.status).toBe(403);
    expect(expectErrorShape(refused).details.map((d) => d.path)).toEqual(['body.register']);

    const renamed = smallRequest(A, example) as typeof example;
    renamed.tariff = structuredClone(example.tariff);
    renamed.tariff.periods[0].energyRate = 0.044; // a new rate for the same version (name and effective date)
    renamed.equipment = example.equipment.map((e: { id: string }) => (e.id === 'HTR-002' ? { ...e, name: 'Renamed by a run' } : e));
    const registered = await run(`${A}:admin`, { ...renamed, register: true });
    expect(registered.status).toBe('SUCCESS');
    const now = await registry(A);
    expect((now.tariff as typeof example.tariff).periods[0]).toMatchObject({ energyRate: 0.044 });
    const entries = (await registryAudit(A)).filter((e) => (e.details as { runId?: string }).runId === registered.runId);
    expect(entries.map((e) => [e.action, e.actor, e.target]).sort()).toEqual([
      ['heaters.register', `admin@${A}`, SITE],
      ['tariff.register', `admin@${A}`, SITE],
    ]);
    expect(entries.find((e) => e.action === 'heaters.register')!.details).toMatchObject({
      ids: ['HTR-001', 'HTR-002', 'HTR-003', 'HTR-004'],
    });
    expect(now.heaters).toMatchObject({
      items: expect.arrayContaining([expect.objectContaining({ id: 'HTR-002', name: 'Renamed by a run' })]),
    });
    expect((await registry(B)).tariff).toMatchObject({ name: example.tariff.name }); // B's stays B's
  });
});
