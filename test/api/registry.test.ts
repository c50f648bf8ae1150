import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from '../../db/schema.ts';
import { call, expectErrorShape, startApi, token, type TestApi } from './support.ts';

const example = JSON.parse(readFileSync(new URL('../../examples/plant-day.json', import.meta.url), 'utf8'));
const VICTIM = 'victim-co';
const OTHER = 'other-co';
const SITE = example.schedule.site as string;

describe('the site registry: validated, audited, within the tenant', () => {
  let api: TestApi;
  const t: Record<string, string> = {};

  const registry = async (who: string) => ({
    tariff: (await call(api.base, 'GET', `/api/sites/${SITE}/tariff?date=${example.schedule.scheduleDate}`, { token: t[who] })).json,
    heaters: (await call(api.base, 'GET', `/api/sites/${SITE}/heaters`, { token: t[who] })).json,
  });

  beforeAll(async () => {
    api = await startApi();
    for (const tenant of [VICTIM, OTHER]) {
      for (const role of ['admin', 'planner', 'viewer'] as const)
        t[`${tenant}:${role}`] = await token(tenant, [role], { sub: `${role}@${tenant}` });
    }
    const tariff = await call(api.base, 'PUT', `/api/sites/${SITE}/tariff`, { token: t[`${VICTIM}:admin`], body: example.tariff });
    expect(tariff.status).toBe(200);
    const heaters = await call(api.base, 'PUT', `/api/sites/${SITE}/heaters`, { token: t[`${VICTIM}:admin`], body: example.equipment });
    expect(heaters.status).toBe(200);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('registry changes are validated, and audited with who and what', async () => {
    const bad = await call(api.base, 'PUT', `/api/sites/${SITE}/tariff`, {
      token: t[`${VICTIM}:admin`],
      body: { ...example.tariff, periods: [{ start: '00:00', end: '12:00', energyRate: -1, category: 'peak' }] },
    });
    expect(bad.status).toBe(400);
    expect(expectErrorShape(bad).details.map((d) => d.path)).toEqual(['body.periods[0].energyRate', 'body.periods[0].category']);
    const entries = await api.deps.db.select().from(auditEntries).where(eq(auditEntries.tenantId, VICTIM));
    expect(entries.map((e) => [e.action, e.actor, e.target])).toEqual(
      expect.arrayContaining([
        ['tariff.put', `admin@${VICTIM}`, SITE],
        ['heaters.put', `admin@${VICTIM}`, SITE],
      ]),
    );
    expect((await registry(`${VICTIM}:viewer`)).tariff).toMatchObject({ name: example.tariff.name });
  });

  it('another tenant can neither read nor change the registry, and its own registry of a same-named site is its own', async () => {
    const before = await registry(`${VICTIM}:viewer`);
    for (const [method, path] of [
      ['PUT', `/api/sites/${SITE}/tariff?tenant=${VICTIM}`],
      ['PUT', `/api/sites/${SITE}/heaters?tenant=${VICTIM}`],
      ['GET', `/api/sites/${SITE}/heaters?tenant=${VICTIM}`],
      ['GET', `/api/sites/${SITE}/tariffs?tenant=${VICTIM}`],
    ]) {
      const reply = await call(api.base, method, path, { token: t[`${OTHER}:admin`], body: method === 'PUT' ? example.tariff : undefined });
      expect({ path, status: reply.status }).toEqual({ path, status: 403 });
      expect(expectErrorShape(reply).details[0].path).toBe('query.tenant');
    }
    expect((await call(api.base, 'GET', `/api/sites/${SITE}/heaters`, { token: t[`${OTHER}:viewer`] })).json).toEqual({ items: [] });
    const own = structuredClone(example.equipment).slice(0, 1);
    expect((await call(api.base, 'PUT', `/api/sites/${SITE}/heaters`, { token: t[`${OTHER}:admin`], body: own })).status).toBe(200);
    expect(((await registry(`${OTHER}:viewer`)).heaters as { items: unknown[] }).items).toHaveLength(1);
    expect(await registry(`${VICTIM}:viewer`)).toEqual(before);
  });

  it('PUT heaters replaces the list: heaters left out are removed and said so', async () => {
    const two = structuredClone(example.equipment).slice(0, 2);
    const reply = await call(api.base, 'PUT', `/api/sites/${SITE}/heaters`, { token: t[`${OTHER}:admin`], body: two });
    expect(reply.json).toMatchObject({ removed: [] });
    const one = await call(api.base, 'PUT', `/api/sites/${SITE}/heaters`, { token: t[`${OTHER}:admin`], body: two.slice(1) });
    expect(one.json).toMatchObject({ removed: [two[0].id] });
    const listed = (await call(api.base, 'GET', `/api/sites/${SITE}/heaters`, { token: t[`${OTHER}:viewer`] })).json as {
      items: { id: string }[];
    };
    expect(listed.items.map((h) => h.id)).toEqual([two[1].id]);
    const dup = await call(api.base, 'PUT', `/api/sites/${SITE}/heaters`, { token: t[`${OTHER}:admin`], body: [two[1], two[1]] });
    expect(expectErrorShape(dup).details).toContainEqual({ path: 'body[1].id', message: `duplicate heater id ${two[1].id}` });
  });

  it('a registered heater keeps every rule it was given: changeovers, min off time, stacking, COP windows', async () => {
    const pump = example.equipment.find((h: { type: string }) => h.type === 'heat_pump');
    const ruled = [
      {
        ...example.equipment[0],
        minRunTimeMinutes: 30,
        maxStartsPerDay: 3,
        minOffTimeMinutes: 45,
        allowStacking: true,
        changeovers: [{ fromFamily: 'dairy', toFamily: 'bakery', minutes: 30 }],
      },
      { ...pump, efficiencyWindows: [{ start: '2026-06-01T00:00:00Z', end: '2026-06-01T06:00:00Z', efficiency: 2.4 }] },
    ];
    expect((await call(api.base, 'PUT', `/api/sites/${SITE}/heaters`, { token: t[`${OTHER}:admin`], body: ruled })).status).toBe(200);
    const listed = (await call(api.base, 'GET', `/api/sites/${SITE}/heaters`, { token: t[`${OTHER}:viewer`] })).json as {
      items: Record<string, unknown>[];
    };
    expect(listed.items[0]).toMatchObject({
      id: ruled[0].id,
      minRunTimeMinutes: 30,
      maxStartsPerDay: 3,
      minOffTimeMinutes: 45,
      allowStacking: true,
      changeovers: [{ fromFamily: 'dairy', toFamily: 'bakery', minutes: 30 }],
    });
    expect(listed.items[1]).toMatchObject({
      id: pump.id,
      efficiencyWindows: [{ start: '2026-06-01T00:00:00Z', end: '2026-06-01T06:00:00Z', efficiency: 2.4 }],
    });
  });

  it('lists the tariff versions and finds the one in force on a date', async () => {
    const next = { ...example.tariff, effectiveDate: '2027-01-01', expiryDate: undefined };
    expect((await call(api.base, 'PUT', `/api/sites/${SITE}/tariff`, { token: t[`${VICTIM}:admin`], body: next })).status).toBe(200);
    const versions = (await call(api.base, 'GET', `/api/sites/${SITE}/tariffs`, { token: t[`${VICTIM}:viewer`] })).json as {
      items: { effectiveDate: string }[];
    };
    expect(versions.items.map((v) => v.effectiveDate)).toEqual(['2027-01-01', '2026-01-01']);
    const inForce = (await call(api.base, 'GET', `/api/sites/${SITE}/tariff?date=2027-03-01`, { token: t[`${VICTIM}:viewer`] })).json;
    expect(inForce).toMatchObject({ effectiveDate: '2027-01-01' });
    const none = await call(api.base, 'GET', `/api/sites/${SITE}/tariff?date=2025-03-01`, { token: t[`${VICTIM}:viewer`] });
    expect(none.status).toBe(404);
    const badDate = await call(api.base, 'GET', `/api/sites/${SITE}/tariff?date=2025-02-30`, { token: t[`${VICTIM}:viewer`] });
    expect(expectErrorShape(badDate).details[0].path).toBe('query.date');
  });
});
