import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erpSyncFailed } from '../../activities/notify/rules.ts';
import { saveSubscriber } from '../../db/repositories/alerts.ts';
import { alertDeliveries, alerts } from '../../db/schema.ts';
import { SubscriberSchema, type AlertInput, type SubscriberInput } from '../../domain/alerts.ts';
import { generateRequest } from '../../examples/generate.ts';
import { acknowledgeAlert, raiseAlert } from '../../runs/alerts.ts';
import type { AlertOutcome } from '../../workflows/alert.ts';
import { ALERT_LINK_SECRET, startApi, type TestApi } from '../api/support.ts';
import { startTestPipeline, waitFor, type TestPipeline } from '../support/pipeline.ts';
import { startSlack, type TestSlack } from '../support/slack.ts';
import { startSmtp, type TestSmtp } from '../support/smtp.ts';
import { startWebhookReceiver, type TestWebhookReceiver } from '../support/webhook-receiver.ts';

const SLACK_TOKEN = 'xoxb-test-token';
const SECRET = 'a-webhook-secret-of-at-least-32-chars!';

describe('alerts on the real stack: Slack, signed webhooks and e-mail peers on loopback', () => {
  let p: TestPipeline;
  let slack: TestSlack;
  let hooks: TestWebhookReceiver;
  let smtp: TestSmtp;
  /** The HTTP API the acknowledgement links point at (PUBLIC_BASE_URL). */
  let api: TestApi;

  beforeAll(async () => {
    [slack, hooks, smtp, api] = await Promise.all([startSlack(SLACK_TOKEN), startWebhookReceiver(SECRET), startSmtp(), startApi()]);
    p = await startTestPipeline({
      PUBLIC_BASE_URL: api.base,
      ALERT_LINK_SECRET,
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_API_URL: slack.url,
      WEBHOOK_SIGNING_SECRET: SECRET,
      SMTP_URL: smtp.url,
      WRITEBACK_URL: `${hooks.url}/erp`,
    });
  });

  afterAll(async () => {
    await p?.close();
    await Promise.all([slack?.stop(), hooks?.stop(), smtp?.stop(), api?.close()]);
  });

  const subscribe = (tenantId: string, ...subs: (Partial<SubscriberInput> & { userId: string })[]) =>
    Promise.all(subs.map((s) => saveSubscriber(p.db, tenantId, SubscriberSchema.parse(s))));
  const raise = async (alert: AlertInput) => {
    const { workflowId } = await raiseAlert(p.client, alert);
    return { workflowId, outcome: () => p.client.workflow.getHandle(workflowId).result() as Promise<AlertOutcome> };
  };
  const deliveriesOf = (alertId: string) => p.db.select().from(alertDeliveries).where(eq(alertDeliveries.alertId, alertId));
  const erp = (tenantId: string, occurrence: string) => erpSyncFailed({ tenantId, system: 'SAP', occurrence, error: 'HTTP 503' });

  it('Slack 429: waits the Retry-After, then posts once; ok:false channel_not_found fails for good; a signed webhook arrives', async () => {
    await subscribe(
      't-slack',
      { userId: 'rate', channels: ['slack'], slackChannel: 'C-RATE' },
      { userId: 'gone', channels: ['slack'], slackChannel: 'C-GONE' },
      { userId: 'hook', channels: ['webhook'], webhookUrl: `${hooks.url}/t-slack` },
    );
    slack.script('C-RATE', { status: 429, retryAfter: 3 });
    slack.script('C-GONE', { error: 'channel_not_found' });
    const { outcome } = await raise(erp('t-slack', '2026-11-24'));
    const result = await outcome();
    expect(result).toMatchObject({ sent: 2, failed: 1, escalated: false });
    const rate = slack.calls.filter((c) => c.channel === 'C-RATE');
    expect(rate.map((c) => c.answer)).toEqual(['{"status":429,"retryAfter":3}', 'ok']);
    expect(rate[1].at - rate[0].at).toBeGreaterThanOrEqual(3000);
    const posted = slack.posts.filter((m) => m.channel === 'C-RATE');
    expect(posted).toHaveLength(1);
    expect(posted[0].blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'actions', 'context']);
    expect(posted[0].text).toContain('[CRITICAL] ERP sync with SAP failed');
    expect(slack.calls.filter((c) => c.channel === 'C-GONE')).toHaveLength(1); // not retried
    const rows = await deliveriesOf(result.alertId);
    expect(Object.fromEntries(rows.map((r) => [r.userId, [r.status, r.attempts]]))).toEqual({
      rate: ['SENT', 2],
      gone: ['FAILED', 1],
      hook: ['SENT', 1],
    });
    expect(rows.find((r) => r.userId === 'rate')!.providerMessageId).toBe(`C-RATE:${posted[0].ts}`);
    expect(rows.find((r) => r.userId === 'gone')!.lastError).toBe('Slack refused the message: channel_not_found');
    const [hook] = hooks.delivered('/t-slack');
    expect(hook.body).toMatchObject({ type: 'alert.raised', alert: { rule: 'erp_sync_failed', severity: 'critical' } });
    // Each recipient's own acknowledgement link: the Slack button for `rate`, the payload field for `hook`.
    const button = (posted[0].blocks.find((b) => b.type === 'actions') as unknown as { elements: { url: string }[] }).elements[0];
    expect(button.url).toMatch(new RegExp(`^${api.base}/api/alerts/${result.alertId}/ack\\?u=rate&exp=\\d+&sig=[\\w-]{43}$`));
    expect(hook.body.alert.ackUrl).toMatch(new RegExp(`^${api.base}/api/alerts/${result.alertId}/ack\\?u=hook&exp=\\d+&sig=[\\w-]{43}$`));
    expect(hooks.refused).toEqual([]);
    // The same alert raised again is the same alert: nothing more is sent.
    const again = await raise(erp('t-slack', '2026-11-24'));
    expect(await again.outcome()).toMatchObject({ alertId: result.alertId, sent: 0 });
    expect(slack.posts.filter((m) => m.channel === 'C-RATE')).toHaveLength(1);
  });

  it('the worker killed mid-send: Slack shows the post once, the webhook receiver gets one delivery (one idempotency key)', async () => {
    await subscribe(
      't-kill',
      { userId: 'chat', channels: ['slack'], slackChannel: 'C-KILL' },
      { userId: 'hook', channels: ['webhook'], webhookUrl: `${hooks.url}/t-kill` },
    );
    slack.script('C-KILL', 'store-then-hang');
    hooks.holdNext('/t-kill');
    const { outcome } = await raise(erp('t-kill', '2026-11-25'));
    await waitFor('both sends under way', async () =>
      slack.posts.some((m) => m.channel === 'C-KILL') && hooks.received.some((r) => r.path === '/t-kill') ? true : undefined,
    );
    await p.restart('pipeline'); // SIGKILL mid-send, then a fresh worker
    const result = await outcome();
    expect(result).toMatchObject({ sent: 2, failed: 0 });
    expect(slack.posts.filter((m) => m.channel === 'C-KILL')).toHaveLength(1);
    expect(slack.calls.filter((c) => c.channel === 'C-KILL')).toHaveLength(1); // the retry found the post, did not post again
    const copies = hooks.received.filter((r) => r.path === '/t-kill');
    expect(copies.length).toBe(2);
    expect(new Set(copies.map((c) => c.key)).size).toBe(1);
    expect(hooks.delivered('/t-kill')).toHaveLength(1);
    const rows = await deliveriesOf(result.alertId);
    expect(rows.map((r) => [r.channel, r.status, r.attempts]).sort()).toEqual([
      ['slack', 'SENT', 2],
      ['webhook', 'SENT', 2],
    ]);
  });

  it('quiet hours hold a warning until they end (a durable timer) and let a critical alert through at once', async () => {
    // Quiet from an hour ago to the next full minute at least 45 s away (UTC): room for a busy machine to record the alerts first.
    const now = new Date();
    const end = new Date(Math.ceil((now.getTime() + 45_000) / 60_000) * 60_000);
    const hhmm = (d: Date) => d.toISOString().slice(11, 16);
    await subscribe('t-quiet', {
      userId: 'night',
      channels: ['webhook'],
      webhookUrl: `${hooks.url}/t-quiet`,
      minSeverity: 'info',
      quietHours: { from: hhmm(new Date(now.getTime() - 3_600_000)), to: hhmm(end) },
    });
    const base = { tenantId: 't-quiet', rule: 'equipment_unavailable', title: 'Heater down', text: 'HTR-9 is down.' } as const;
    const warning = await raise({ ...base, severity: 'warning', subject: 'HTR-9@1' });
    const critical = await raise({ ...base, severity: 'critical', subject: 'HTR-9@2' });
    const urgent = await critical.outcome();
    const rows = await waitFor('both alerts recorded', async () => {
      const found = await p.db.select().from(alertDeliveries).where(eq(alertDeliveries.tenantId, 't-quiet'));
      return found.length === 2 ? found : undefined;
    });
    const sentAtOnce = rows.find((r) => r.alertId === urgent.alertId)!;
    const held = rows.find((r) => r.alertId !== urgent.alertId)!;
    expect(sentAtOnce).toMatchObject({ notBefore: null, status: 'SENT' });
    expect(held.notBefore?.toISOString()).toBe(end.toISOString());
    await warning.outcome();
    const all = hooks.delivered('/t-quiet');
    expect(all.map((r) => r.body.alert.severity).sort()).toEqual(['critical', 'warning']);
    expect(all.find((r) => r.body.alert.severity === 'warning')!.at).toBeGreaterThanOrEqual(end.getTime());
  });

  it('escalates to the next person when nobody acknowledges in time, and not when someone does', async () => {
    await subscribe(
      't-esc',
      { userId: 'ops', channels: ['webhook'], webhookUrl: `${hooks.url}/t-esc/ops`, escalateTo: 'boss', ackWithinMinutes: 0.05 },
      { userId: 'boss', channels: ['webhook'], webhookUrl: `${hooks.url}/t-esc/boss`, minSeverity: 'critical' },
    );
    const ignored = await raise(erp('t-esc', 'ignored'));
    const result = await ignored.outcome();
    expect(result).toMatchObject({ escalated: true, acknowledged: false, sent: 3 }); // ops and boss (critical), then boss again
    const toBoss = hooks.delivered('/t-esc/boss');
    expect(toBoss.map((r) => r.body.type)).toEqual(['alert.raised', 'alert.escalated']);
    const [toOps] = hooks.delivered('/t-esc/ops');
    expect(toBoss[1].at - toOps.at).toBeGreaterThanOrEqual(3000);

    await subscribe('t-esc', {
      userId: 'ops',
      channels: ['webhook'],
      webhookUrl: `${hooks.url}/t-esc/ops`,
      escalateTo: 'boss',
      ackWithinMinutes: 10,
    });
    const seen = await raise({ ...erp('t-esc', 'seen'), severity: 'warning' });
    const alertId = await waitFor(
      'the alert to reach ops',
      async () =>
        hooks
          .delivered('/t-esc/ops')
          .find((r) => r.body.alert.title && r.body.type === 'alert.raised' && r.body.alert.id !== result.alertId)?.body.alert.id,
    );
    const row = await acknowledgeAlert(p.db, p.client, { tenantId: 't-esc', alertId, by: 'ops' });
    expect(row).toMatchObject({ acknowledgedBy: 'ops' });
    expect(await seen.outcome()).toMatchObject({ escalated: false, acknowledged: true, sent: 1 });
    expect(hooks.delivered('/t-esc/boss')).toHaveLength(2); // nothing new for the boss
    expect(await acknowledgeAlert(p.db, p.client, { tenantId: 'another-tenant', alertId, by: 'x' })).toBeUndefined();
  });

  it('acknowledgement by the signed link in the e-mail: GET acknowledges nothing, a tampered link is refused, POST stops the escalation', async () => {
    await subscribe(
      't-link',
      { userId: 'ops', channels: ['email'], email: 'ops@link.example', escalateTo: 'boss', ackWithinMinutes: 10 },
      // The boss hears of warnings only when they are escalated.
      { userId: 'boss', channels: ['webhook'], webhookUrl: `${hooks.url}/t-link/boss`, minSeverity: 'critical' },
    );
    const raised = await raise({ ...erp('t-link', 'link'), severity: 'warning' });
    const mail = await waitFor('the alert e-mail to ops', async () =>
      smtp.messages.find((m) => m.to && JSON.stringify(m.to).includes('ops@link.example')),
    );
    const link = /Acknowledge \(stops the escalation\): (\S+)/.exec(mail.text ?? '')?.[1];
    expect(link).toMatch(new RegExp(`^${api.base}/api/alerts/[0-9a-f-]{36}/ack\\?u=ops&exp=\\d+&sig=[\\w-]{43}$`));
    expect(mail.html).toContain(`<a href="${link!.replaceAll('&', '&amp;')}">Acknowledge this alert</a>`);
    const alertId = new URL(link!).pathname.split('/')[3];
    const row = async () => (await p.db.select().from(alerts).where(eq(alerts.alertId, alertId)))[0];

    // A mail scanner (or the person) opens the link: a page with the button, nothing acknowledged, the workflow still waits.
    const page = await fetch(link!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post">');
    expect((await row()).acknowledgedAt).toBeNull();
    expect((await p.client.workflow.getHandle(raised.workflowId).describe()).status.name).toBe('RUNNING');

    // A link altered to another user, or to another alert, is refused and acknowledges nothing.
    const forged = await fetch(link!.replace('u=ops', 'u=boss'), { method: 'POST' });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('signature does not match');
    const elsewhere = await fetch(link!.replace(alertId, randomUUID()), { method: 'POST' });
    expect(elsewhere.status).toBe(403);
    expect((await row()).acknowledgedAt).toBeNull();

    const done = await fetch(link!, { method: 'POST' });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Acknowledged by link:ops');
    expect(await raised.outcome()).toMatchObject({ alertId, acknowledged: true, escalated: false, sent: 1 });
    expect((await row()).acknowledgedBy).toBe('link:ops');
    expect(hooks.delivered('/t-link/boss')).toEqual([]); // no escalation reached the boss
  });

  it('a run posts its schedule to the ERP endpoint (signed) and raises its alerts (e-mail with the PDF attached); a failed run raises optimization_failed', async () => {
    const request = generateRequest({ seed: 5, jobs: 4, heaters: 2, timeLimitSeconds: 5 });
    const tenant = `t-run-${randomUUID().slice(0, 8)}`;
    request.schedule.tenant = tenant;
    request.settings = { ...request.settings, alerts: { savingsBelowPercent: 100 } };
    await subscribe(tenant, {
      userId: 'planner',
      channels: ['email', 'webhook'],
      email: 'planner@plant.example',
      webhookUrl: `${hooks.url}/${tenant}`,
      minSeverity: 'warning',
    });
    const runId = await p.submit(request);
    await p.client.workflow.getHandle(runId).result();
    const posted = await waitFor('the schedule written back', async () =>
      hooks.delivered('/erp').find((r) => (r.body as unknown as { runId: string }).runId === runId),
    );
    const schedule = posted.body as unknown as { type: string; assignments: { jobId: string }[]; unscheduled: unknown[] };
    expect(posted.key).toBe(`writeback-${runId}`);
    expect(schedule.type).toBe('schedule.optimized');
    expect(schedule.assignments.length + schedule.unscheduled.length).toBe(4);
    const low = await waitFor('the low-savings alert', async () =>
      hooks.delivered(`/${tenant}`).find((r) => r.body.alert.rule === 'savings_below_threshold'),
    );
    expect(low.body.alert.runId).toBe(runId);
    const mail = await waitFor('the alert e-mail', async () =>
      smtp.messages.find((m) => m.subject?.includes('Low savings') && m.text?.includes(runId)),
    );
    expect(mail.html).toContain('<h2>');
    expect(mail.text).toContain(`Run: ${api.base}/api/runs/${runId}`);
    expect(mail.text).toMatch(
      /Acknowledge \(stops the escalation\): http:\/\/127\.0\.0\.1:\d+\/api\/alerts\/[0-9a-f-]{36}\/ack\?u=planner&/,
    );
    expect(mail.html).toContain(`<a href="${api.base}/api/runs/${runId}">Open the run</a>`);
    expect(mail.attachments.map((a) => a.filename)).toEqual(['report.pdf']);
    expect(mail.attachments[0].content.subarray(0, 5).toString()).toBe('%PDF-');

    const failing = structuredClone(request);
    delete failing.tariff;
    failing.schedule.site = 'site-without-tariff';
    const failedRun = await p.submit(failing);
    await expect(p.client.workflow.getHandle(failedRun).result()).rejects.toThrow();
    const failed = await waitFor('the failure alert', async () =>
      hooks.delivered(`/${tenant}`).find((r) => r.body.alert.rule === 'optimization_failed'),
    );
    expect(failed.body.alert).toMatchObject({ severity: 'critical', runId: failedRun });
    const [row] = await p.db.select().from(alerts).where(eq(alerts.runId, failedRun));
    expect(row.text).toMatch(/^E006: /);
  });
});
