import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erpSyncFailed } from '../../activities/notify/rules.ts';
import { listSubscribers, storeAlert } from '../../db/repositories/alerts.ts';
import { AlertSchema } from '../../domain/alerts.ts';
import { call, expectErrorShape, startApi, token, type TestApi } from './support.ts';

describe('acknowledgement and preferences over the API', () => {
  let api: TestApi;
  let alertId: string;

  beforeAll(async () => {
    api = await startApi();
    const alert = AlertSchema.parse(erpSyncFailed({ tenantId: 'ack-tenant', system: 'SAP', occurrence: 'api', error: 'HTTP 503' }));
    alertId = (await storeAlert(api.deps.db, alert)).alertId;
  });
  afterAll(async () => {
    await api?.close();
  });

  it('acknowledges an alert of the caller tenant once, by the token subject; another tenant gets 404', async () => {
    const as = (tenant: string, sub: string) => token(tenant, ['operator'], { sub });
    const first = await call(api.base, 'POST', `/api/alerts/${alertId}/acknowledge`, { token: await as('ack-tenant', 'anna') });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ alertId, acknowledgedBy: 'anna' });
    const second = await call(api.base, 'POST', `/api/alerts/${alertId}/acknowledge`, { token: await as('ack-tenant', 'bob') });
    expect(second.json).toMatchObject({ acknowledgedBy: 'anna' }); // the first acknowledgement stands
    const other = await call(api.base, 'POST', `/api/alerts/${alertId}/acknowledge`, { token: await as('other-tenant', 'eve') });
    expect(other.status).toBe(404);
    expect(expectErrorShape(other).details).toEqual([{ path: 'params.id', message: `no alert ${alertId}` }]);
    const bad = await call(api.base, 'POST', '/api/alerts/not-a-uuid/acknowledge', { token: await as('ack-tenant', 'anna') });
    expect(bad.status).toBe(400);
    expect(expectErrorShape(bad).details[0].path).toBe('params.id');
  });

  it('stores preferences per user of the tenant, naming each bad field', async () => {
    const admin = await token('pref-tenant', ['admin']);
    const prefs = {
      userId: 'night-shift',
      channels: ['email', 'webhook'],
      email: 'night@plant.example',
      webhookUrl: 'https://hooks.plant.example/alerts',
      timeZone: 'America/Chicago',
      quietHours: { from: '22:00', to: '06:00' },
      escalateTo: 'plant-manager',
    };
    const put = await call(api.base, 'PUT', '/api/subscribers/night-shift', { token: admin, body: prefs });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ ...prefs, minSeverity: 'warning', ackWithinMinutes: 30 });
    expect(await listSubscribers(api.deps.db, 'pref-tenant')).toEqual([put.json]);
    const listed = await call(api.base, 'GET', '/api/subscribers', { token: admin });
    expect(listed.json).toEqual({ items: [put.json] });
    const bad = await call(api.base, 'PUT', '/api/subscribers/night-shift', {
      token: admin,
      body: { ...prefs, channels: ['slack'], timeZone: 'Mars/Base' },
    });
    expect(bad.status).toBe(400);
    expect(expectErrorShape(bad).details.map((d) => d.path)).toEqual(['body.slackChannel', 'body.timeZone']);
    const renamed = await call(api.base, 'PUT', '/api/subscribers/someone-else', { token: admin, body: prefs });
    expect(expectErrorShape(renamed).details).toEqual([{ path: 'body.userId', message: 'must be someone-else, the user of the path' }]);
  });
});
