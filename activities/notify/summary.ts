import type { ProductionSchedule } from '../../domain/schedule.ts';
import { dec } from '../../domain/decimal.ts';
import type { ReportDocument } from '../report/document.ts';
import { money, percent } from '../report/format.ts';

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
    subject: `HeatScheduler ${schedule.site} ${schedule.scheduleDate}: ${savingsPhrase(doc)}`,
    text: body.content.toString('utf8'),
    attachments: files
      .filter((f) => f.kind !== 'report.txt')
      .map((f) => ({ filename: f.kind, content: f.content, contentType: f.contentType })),
  };
}

/** "saves USD 1,234.56 (12.3 %)", or "costs USD 5.00 more" when the plan is dearer. */
function savingsPhrase(doc: ReportDocument): string {
  const amount = dec(doc.savings.amount);
  const share = doc.savings.percent === null ? '' : ` (${percent(dec(doc.savings.percent).abs().toFixed())})`;
  return amount.isNegative()
    ? `costs ${money(amount.abs().toFixed(), doc.currency)} more${share}`
    : `saves ${money(doc.savings.amount, doc.currency)}${share}`;
}
