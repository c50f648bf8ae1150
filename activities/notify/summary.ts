import type { ProductionSchedule } from '../../domain/schedule.ts';
import type { ReportDocument } from '../report/document.ts';

/** A file the run produced (report.txt, report.json, …). */
interface RunFile {
  kind: string;
  contentType: string;
  content: Buffer;
}

interface RunSummaryMail {
  subject: string;
  text: string;
  attachments: { filename: string; content: Buffer; contentType: string }[];
}

/** The run summary e-mail: the text report as body, every other artefact attached. */
export function runSummaryMail(schedule: ProductionSchedule, doc: ReportDocument, files: RunFile[]): RunSummaryMail {
  const body = files.find((f) => f.kind === 'report.txt');
  if (!body) throw new Error('the run has no text report to send');
  return {
    subject: `HeatScheduler ${schedule.site} ${schedule.scheduleDate}: saves ${doc.currency} ${doc.savings.amount.toFixed(2)} (${doc.savings.percent.toFixed(1)} %)`,
    text: body.content.toString('utf8'),
    attachments: files
      .filter((f) => f.kind !== 'report.txt')
      .map((f) => ({ filename: f.kind, content: f.content, contentType: f.contentType })),
  };
}
