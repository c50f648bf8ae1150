import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../../db/client.ts';
import {
  listSubscribers,
  loadAlert,
  loadDelivery,
  markDelivery,
  openDeliveries,
  storeAlert,
  type AlertRow,
  type DeliveryRow,
} from '../../db/repositories/alerts.ts';
import { listArtefacts } from '../../db/repositories/artefacts.ts';
import {
  markNotificationFailed,
  markNotificationRetrying,
  markNotificationSent,
  openNotification,
} from '../../db/repositories/notifications.ts';
import { runTenant } from '../../db/repositories/runs.ts';
import { loadStepOutput } from '../../db/repositories/steps.ts';
import { AlertSchema, type AlertInput, type PlannedDelivery, type RecordedAlert, type Severity } from '../../domain/alerts.ts';
import type { CostStatement } from '../../domain/cost.ts';
import type { OptimizedSchedule } from '../../domain/plan.ts';
import type { StepRef } from '../../domain/pipeline.ts';
import type { IntakeOutput } from '../../domain/run-request.ts';
import { loadProblem, type ProblemRefs } from '../problem.ts';
import type { ReportDocument } from '../report/document.ts';
import { ackLinkExpiry, ackLinkUrl } from './ack-link.ts';
import type { AlertView } from './alert-message.ts';
import { audienceFor, escalationFor } from './audience.ts';
import {
  DeliveryError,
  postSigned,
  postSlackOnce,
  sendAlertEmail,
  sendAlertSlack,
  sendAlertWebhook,
  type Attachment,
  type ChannelConfig,
} from './channels.ts';
import { createTransport } from './mailer.ts';
import { optimizationFailed, runAlerts } from './rules.ts';
import { runSummaryMail, runSummarySlack } from './summary.ts';
import { writeBackBody } from './writeback.ts';

interface EmailOutcome {
  status: 'sent' | 'skipped';
  recipients: string[];
  reason?: string;
}

interface SlackOutcome {
  status: 'sent' | 'skipped';
  /** Channels posted to, and channels Slack refused for good (each with its reason). */
  channels: string[];
  refused: { channel: string; reason: string }[];
  reason?: string;
}

export function notifyActivities(db: Db, channels: ChannelConfig) {
  const { mail } = channels;
  return {
    /**
     * Sends the run summary to the request's recipients. Each recipient is recorded once sent, so a
     * retry after a partial failure mails only those still waiting; the Message-ID is fixed per
     * run and recipient so a mail server can drop a duplicate from a crash between send and record.
     */
    async sendRunEmail({ runId, intake, report }: { runId: string; intake: StepRef; report: StepRef }): Promise<EmailOutcome> {
      const { schedule, notify } = await loadStepOutput<IntakeOutput>(db, runId, intake);
      const doc = await loadStepOutput<ReportDocument>(db, runId, report);
      const recipients = notify.email;
      if (!mail) return { status: 'skipped', recipients: [], reason: 'no SMTP server configured (SMTP_URL)' };
      if (recipients.length === 0) return { status: 'skipped', recipients: [], reason: 'the request names no e-mail recipients' };
      const base = channels.publicBaseUrl?.replace(/\/$/, '');
      const message = runSummaryMail(schedule, doc, await listArtefacts(db, runId), base ? `${base}/#/runs/${runId}` : null);
      const transport = createTransport(mail);
      try {
        for (const recipient of recipients) {
          await sendOnce(db, { runId, tenantId: schedule.tenant, recipient }, (messageId) =>
            transport.sendMail({ ...message, from: mail.from, to: recipient, messageId }),
          );
        }
      } finally {
        transport.close();
      }
      return { status: 'sent', recipients };
    },

    /**
     * Posts the run summary to the request's Slack channels and SLACK_RUN_SUMMARY_CHANNELS, each once: a channel recorded as sent
     * is skipped, and after an attempt with an unknown outcome the channel's history is searched for
     * the post first. A channel Slack refuses for good (not found, bot not in it) is recorded as
     * failed and the others still get theirs; a rate limit or an outage is retried by Temporal.
     */
    async sendRunSlack({ runId, intake, report }: { runId: string; intake: StepRef; report: StepRef }): Promise<SlackOutcome> {
      const { schedule, notify } = await loadStepOutput<IntakeOutput>(db, runId, intake);
      if (!channels.slack) return { status: 'skipped', channels: [], refused: [], reason: 'no Slack bot configured (SLACK_BOT_TOKEN)' };
      const targets = [...new Set([...(notify.slack ?? []), ...(channels.slack.runSummaryChannels ?? [])])];
      if (targets.length === 0) return { status: 'skipped', channels: [], refused: [], reason: 'no Slack channel for run summaries' };
      const doc = await loadStepOutput<ReportDocument>(db, runId, report);
      const base = channels.publicBaseUrl?.replace(/\/$/, '');
      const message = runSummarySlack(schedule, doc, base ? `${base}/#/runs/${runId}` : null);
      const sent: string[] = [];
      const refused: SlackOutcome['refused'] = [];
      for (const channel of targets) {
        const key = { runId, channel: 'slack', recipient: channel };
        const row = await openNotification(db, key, schedule.tenant);
        if (row.status === 'SENT') sent.push(channel);
        if (row.status === 'FAILED') refused.push({ channel, reason: 'refused by Slack on an earlier attempt' });
        if (row.status === 'SENT' || row.status === 'FAILED') continue;
        const outgoing = { deliveryId: `run-summary:${runId}:${channel}`, recipient: channel, createdAt: row.createdAt };
        try {
          await markNotificationSent(db, key, row.attempts + 1, await postSlackOnce(channels, outgoing, message, row.attempts > 0));
          sent.push(channel);
        } catch (err) {
          const reason = (err as Error).message;
          if (err instanceof DeliveryError && err.permanent) {
            await markNotificationFailed(db, key, row.attempts + 1, reason);
            refused.push({ channel, reason });
            continue;
          }
          await markNotificationRetrying(db, key, row.attempts + 1, reason);
          throw asFailure(err);
        }
      }
      return { status: 'sent', channels: sent, refused };
    },
  };
}

/** Sends to one recipient unless an earlier attempt did, recording the outcome either way. */
async function sendOnce(
  db: Db,
  { runId, tenantId, recipient }: { runId: string; tenantId: string; recipient: string },
  send: (messageId: string) => Promise<{ messageId: string }>,
): Promise<void> {
  const key = { runId, channel: 'email', recipient };
  const row = await openNotification(db, key, tenantId);
  if (row.status === 'SENT') return;
  try {
    const info = await send(`<${runId}.${Buffer.from(recipient).toString('hex')}@heatscheduler>`);
    await markNotificationSent(db, key, row.attempts + 1, info.messageId);
  } catch (err) {
    await markNotificationRetrying(db, key, row.attempts + 1, (err as Error).message);
    Context.current().log.warn('e-mail not sent; Temporal will retry', { recipient, error: (err as Error).message });
    throw err;
  }
}

const planned = (rows: DeliveryRow[]): PlannedDelivery[] =>
  rows
    .filter((r) => r.status !== 'SENT' && r.status !== 'FAILED')
    .map((r) => ({
      deliveryId: r.deliveryId,
      channel: r.channel as PlannedDelivery['channel'],
      recipient: r.recipient,
      userId: r.userId,
      notBefore: r.notBefore?.toISOString() ?? null,
    }));

export function writeBackActivities(db: Db, channels: ChannelConfig) {
  return {
    /** Posts the optimised schedule to WRITEBACK_URL; the same idempotency key on every retry of a run. */
    async writeBackSchedule({ runId, intake, optimize }: { runId: string; intake: StepRef; optimize: StepRef }) {
      if (!channels.writeBackUrl) return { status: 'skipped' as const, reason: 'no write-back endpoint configured (WRITEBACK_URL)' };
      const { schedule } = await loadStepOutput<IntakeOutput>(db, runId, intake);
      const plan = await loadStepOutput<OptimizedSchedule>(db, runId, optimize);
      try {
        await postSigned(channels, channels.writeBackUrl, JSON.stringify(writeBackBody(runId, schedule, plan)), `writeback-${runId}`);
      } catch (err) {
        throw asFailure(err);
      }
      return { status: 'sent' as const };
    },
  };
}

export function alertActivities(db: Db, channels: ChannelConfig) {
  return {
    /** Agent-free rules over a finished run's outputs: the alerts it raises. */
    async runAlertsFor({ runId, optimize, cost, ...refs }: { runId: string; optimize: StepRef; cost: StepRef } & ProblemRefs) {
      return runAlerts({
        runId,
        problem: await loadProblem(db, runId, refs),
        plan: await loadStepOutput<OptimizedSchedule>(db, runId, optimize),
        cost: await loadStepOutput<CostStatement>(db, runId, cost),
      });
    },

    /** The alert of a failed run, with its tenant from the run row (none for a run that is not stored). */
    async runFailedAlert({ runId, code, message }: { runId: string; code?: string; message: string }): Promise<AlertInput | null> {
      const tenantId = await runTenant(db, runId);
      return tenantId === undefined ? null : optimizationFailed({ tenantId, runId, code, message });
    },

    /** Stores the alert (once) and opens an outbox row per subscriber and channel its preferences let through. */
    async recordAlert(input: AlertInput): Promise<RecordedAlert> {
      const alert = AlertSchema.parse(input);
      const row = await storeAlert(db, alert);
      const subscribers = await listSubscribers(db, alert.tenantId);
      const audience = audienceFor(alert.severity, subscribers, new Date());
      const rows = await openDeliveries(db, row, 'alert', audience);
      const reached = subscribers.filter((s) => audience.some((m) => m.userId === s.userId));
      return { alertId: row.alertId, severity: alert.severity, deliveries: planned(rows), escalation: escalationFor(reached) };
    },

    /** The escalation's messages, unless the alert was acknowledged meanwhile. */
    async escalateAlert({ alertId, userIds }: { alertId: string; userIds: string[] }): Promise<PlannedDelivery[]> {
      const row = await loadAlert(db, alertId);
      if (!row || row.acknowledgedAt) return [];
      const audience = audienceFor(row.severity as Severity, await listSubscribers(db, row.tenantId, userIds), new Date(), true);
      return planned(await openDeliveries(db, row, 'escalation', audience));
    },

    /** Sends one outbox row unless an earlier attempt did; records the outcome either way. */
    async deliverAlertMessage({
      deliveryId,
    }: {
      deliveryId: string;
    }): Promise<{ status: 'sent' | 'already sent'; providerMessageId: string }> {
      const d = await loadDelivery(db, deliveryId);
      const alert = d && (await loadAlert(db, d.alertId));
      if (!d || !alert) throw ApplicationFailure.nonRetryable(`no delivery ${deliveryId}`, 'DELIVERY_NOT_FOUND');
      if (d.status === 'SENT') return { status: 'already sent', providerMessageId: d.providerMessageId! };
      const unknownOutcome = d.status === 'SENDING';
      const attempts = d.attempts + 1;
      await markDelivery(db, deliveryId, { status: 'SENDING', attempts });
      try {
        const providerMessageId = await send(db, channels, d, alert, unknownOutcome);
        await markDelivery(db, deliveryId, { status: 'SENT', providerMessageId });
        return { status: 'sent', providerMessageId };
      } catch (err) {
        const failure = asFailure(err);
        const final = failure instanceof ApplicationFailure && failure.nonRetryable;
        await markDelivery(db, deliveryId, { status: final ? 'FAILED' : 'RETRYING', lastError: (err as Error).message });
        Context.current().log.warn('alert message not sent', { deliveryId, channel: d.channel, error: (err as Error).message, final });
        throw failure;
      }
    },
  };
}

/** A channel's failure as Temporal retries it: never for a permanent one, after Retry-After when given. */
function asFailure(err: unknown): unknown {
  if (!(err instanceof DeliveryError)) return err;
  return ApplicationFailure.create({ message: err.message, type: err.type, nonRetryable: err.permanent, nextRetryDelay: err.retryAfterMs });
}

function viewOf(alert: AlertRow, d: DeliveryRow, channels: ChannelConfig): AlertView {
  const base = channels.publicBaseUrl?.replace(/\/$/, '');
  const links = channels.alertLinks;
  const ackUrl =
    base && links
      ? ackLinkUrl(base, links.secret, {
          alertId: alert.alertId,
          userId: d.userId,
          expiresAt: ackLinkExpiry(d.createdAt, links.validHours),
        })
      : null;
  return {
    alertId: alert.alertId,
    tenantId: alert.tenantId,
    rule: alert.rule,
    severity: alert.severity as Severity,
    title: alert.title,
    text: alert.text,
    facts: alert.facts,
    runId: alert.runId,
    runUrl: base && alert.runId ? `${base}/api/runs/${alert.runId}` : null,
    ackUrl,
    escalation: d.event === 'escalation',
  };
}

async function send(db: Db, channels: ChannelConfig, d: DeliveryRow, alert: AlertRow, unknownOutcome: boolean): Promise<string> {
  const view = viewOf(alert, d, channels);
  switch (d.channel) {
    case 'email': {
      const pdf = alert.runId ? (await listArtefacts(db, alert.runId)).find((f) => f.kind === 'report.pdf') : undefined;
      const attachments: Attachment[] = pdf ? [{ filename: 'report.pdf', content: pdf.content, contentType: pdf.contentType }] : [];
      return sendAlertEmail(channels, d, view, attachments);
    }
    case 'slack':
      return sendAlertSlack(channels, d, view, unknownOutcome);
    case 'webhook':
      return sendAlertWebhook(channels, d, view);
    default:
      throw ApplicationFailure.nonRetryable(`unknown channel ${d.channel}`, 'UNKNOWN_CHANNEL');
  }
}
