import { Context } from '@temporalio/activity';
import type { Db } from '../../db/client.ts';
import { listArtefacts } from '../../db/repositories/artefacts.ts';
import { markNotificationRetrying, markNotificationSent, openNotification } from '../../db/repositories/notifications.ts';
import { loadStepOutput } from '../../db/repositories/steps.ts';
import type { StepRef } from '../../domain/pipeline.ts';
import type { IntakeOutput } from '../../domain/run-request.ts';
import type { ReportDocument } from '../report/document.ts';
import { createTransport, type MailConfig } from './mailer.ts';
import { runSummaryMail } from './summary.ts';

interface EmailOutcome {
  status: 'sent' | 'skipped';
  recipients: string[];
  reason?: string;
}

export function notifyActivities(db: Db, mail: MailConfig | undefined) {
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
      const message = runSummaryMail(schedule, doc, await listArtefacts(db, runId));
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
