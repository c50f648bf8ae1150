import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erpSyncFailed } from '../../activities/notify/rules.ts';
import { listSubscribers, loadAlert, storeAlert } from '../../db/repositories/alerts.ts';
import { AlertSchema } from '../../domain/alerts.ts';
import { ackLinkUrl } from '../../activities/notify/ack-link.ts';
import { ALERT_LINK_SECRET, call, expectErrorShape, startApi, testOptions, token, type TestApi } from './support.ts';

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

  it('acknowledges by signed link without login: GET shows the alert and a button, only POST acknowledges', async () => {
    const alert = AlertSchema.parse(erpSyncFailed({ tenantId: 'link-tenant', system: 'SAP <b>', occurrence: 'link', error: 'HTTP 503' }));
    const { alertId: id } = await storeAlert(api.deps.db, alert);
    const inAnHour = Math.floor(Date.now() / 1000) + 3600;
    const link = (claims: { alertId?: string; userId?: string; expiresAt?: number } = {}, secret = ALERT_LINK_SECRET) =>
      ackLinkUrl(api.base, secret, { alertId: id, userId: 'anna', expiresAt: inAnHour, ...claims }).slice(api.base.length);
    const page = await call(api.base, 'GET', link());
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('ERP sync with SAP &lt;b&gt; failed'); // the title, escaped
    expect(page.text).toContain('<form method="post"><button type="submit"');
    expect((await loadAlert(api.deps.db, id))!.acknowledgedAt).toBeNull(); // a mail scanner's GET acknowledges nothing

    const refusals = [
      [link({ userId: 'bert' }).replace('u=bert', 'u=anna'), 403, 'signature does not match'], // another person's link, user changed
      [link().replace(id, alertId), 403, 'signature does not match'], // the link of one alert on another
      [link({}, `${ALERT_LINK_SECRET}-other`), 403, 'signature does not match'],
      [link({ expiresAt: inAnHour - 7200 }), 410, 'the link expired on'],
      [link().replace(/&sig=[^&]+/, ''), 400, 'the link has no signature (sig)'],
      [`/api/alerts/not-a-uuid/ack?u=anna&exp=${inAnHour}&sig=x`, 400, 'the link names no alert'],
    ] as const;
    for (const [path, status, problem] of refusals) {
      for (const method of ['GET', 'POST']) {
        const reply = await call(api.base, method, path);
        expect({ method, path, status: reply.status }).toEqual({ method, path, status });
        expect(reply.text).toContain(problem);
      }
    }
    expect((await loadAlert(api.deps.db, id))!.acknowledgedAt).toBeNull();

    const done = await call(api.base, 'POST', link());
    expect(done.status).toBe(200);
    expect(done.text).toContain('Acknowledged by link:anna at ');
    expect(await loadAlert(api.deps.db, id)).toMatchObject({ acknowledgedBy: 'link:anna' });
    const again = await call(api.base, 'POST', link({ userId: 'bert' }));
    expect(again.text).toContain('Acknowledged by link:anna'); // the first acknowledgement stands
    expect((await call(api.base, 'GET', link())).text).toContain('Alert already acknowledged');
    // The login-free route is the link's only: the token route still wants a token.
    expect((await call(api.base, 'POST', `/api/alerts/${id}/acknowledge`)).status).toBe(401);
  });

  it('answers 404 on a link when the server has no ALERT_LINK_SECRET', async () => {
    const bare = await startApi(testOptions({ alertLinkSecret: undefined }));
    try {
      const reply = await call(bare.base, 'POST', `/api/alerts/${alertId}/ack?u=anna&exp=9999999999&sig=x`);
      expect(reply.status).toBe(404);
      expect(reply.text).toContain('acknowledgement links are not configured on this server (ALERT_LINK_SECRET)');
      expect((await loadAlert(bare.deps.db, alertId))!.acknowledgedBy).not.toMatch(/^link:/);
    } finally {
      await bare.close();
    }
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
