import { Context } from '@temporalio/activity';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { artefacts, notifications } from '../../db/schema.ts';
import type { StepRef } from '../../domain/pipeline.ts';
import type { IntakeOutput } from '../../domain/run-request.ts';
import type { ReportDocument } from '../report/document.ts';
import { loadStepOutput } from '../steps.ts';
import { createTransport, type MailConfig } from './mailer.ts';

export interface EmailOutcome {
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

      const files = await db.select().from(artefacts).where(eq(artefacts.runId, runId));
      const text = files.find((f) => f.kind === 'report.txt')!.content.toString('utf8');
      const attachments = files
        .filter((f) => f.kind !== 'report.txt')
        .map((f) => ({ filename: f.kind, content: f.content, contentType: f.contentType }));
      const subject = `HeatScheduler ${schedule.site} ${schedule.scheduleDate}: saves ${doc.currency} ${doc.savings.amount.toFixed(2)} (${doc.savings.percent.toFixed(1)} %)`;
      const transport = createTransport(mail);
      try {
        for (const recipient of recipients) {
          const key = and(eq(notifications.runId, runId), eq(notifications.channel, 'email'), eq(notifications.recipient, recipient));
          await db
            .insert(notifications)
            .values({ runId, tenantId: schedule.tenant, channel: 'email', recipient, status: 'PENDING' })
            .onConflictDoNothing();
          const [row] = await db.select().from(notifications).where(key);
          if (row.status === 'SENT') continue;
          try {
            const info = await transport.sendMail({
              from: mail.from,
              to: recipient,
              subject,
              text,
              attachments,
              messageId: `<${runId}.${Buffer.from(recipient).toString('hex')}@heatscheduler>`,
            });
            await db
              .update(notifications)
              .set({ status: 'SENT', attempts: row.attempts + 1, providerMessageId: info.messageId, sentAt: new Date(), lastError: null })
              .where(key);
          } catch (err) {
            await db
              .update(notifications)
              .set({ status: 'RETRYING', attempts: row.attempts + 1, lastError: (err as Error).message })
              .where(key);
            Context.current().log.warn('e-mail not sent; Temporal will retry', { recipient, error: (err as Error).message });
            throw err;
          }
        }
      } finally {
        transport.close();
      }
      return { status: 'sent', recipients };
    },
  };
}
