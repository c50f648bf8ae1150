import type { ProductionSchedule } from '../../domain/schedule.ts';
import { dec } from '../../domain/decimal.ts';
import type { ReportDocument } from '../report/document.ts';
import { grouped, kw, money, percent } from '../report/format.ts';
import { escapeSlack, escapeHtml as h } from './html.ts';

/** A file the run produced (report.txt, report.json, …). */
interface RunFile {
  kind: string;
  contentType: string;
  content: Buffer;
}

interface RunSummaryMail {
  subject: string;
  text: string;
  html: string;
  attachments: { filename: string; content: Buffer; contentType: string }[];
}

/**
 * The run summary e-mail: the text report as the plain part, an HTML part with the headline
 * figures, the assignments, the jobs left out and the warnings, the link to the run when the
 * API's public address is known; every other artefact (the PDF first among them) attached.
 */
export function runSummaryMail(schedule: ProductionSchedule, doc: ReportDocument, files: RunFile[], runUrl: string | null): RunSummaryMail {
  const body = files.find((f) => f.kind === 'report.txt');
  if (!body) throw new Error('the run has no text report to send');
  const text = body.content.toString('utf8');
  return {
    subject: `HeatScheduler ${schedule.site} ${schedule.scheduleDate}: ${savingsPhrase(doc)}`,
    text: runUrl ? `${text}\nThe run: ${runUrl}\n` : text,
    html: summaryHtml(
      doc,
      runUrl,
      files.some((f) => f.kind === 'report.pdf'),
    ),
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

const CELL = 'style="border:1px solid #ccc;padding:2px 6px"';
const NUM = 'style="border:1px solid #ccc;padding:2px 6px;text-align:right"';

function table(head: string[], rows: (string | number)[][], numeric: boolean[]): string {
  const th = head.map((c) => `<th ${CELL}>${h(c)}</th>`).join('');
  const tr = rows.map((r) => `<tr>${r.map((c, i) => `<td ${numeric[i] ? NUM : CELL}>${h(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table style="border-collapse:collapse;font-size:90%">\n<tr>${th}</tr>\n${tr}\n</table>`;
}

/** Cost, baseline, savings and the peak against the contractual limit. */
export function headlineFigures(doc: ReportDocument): [label: string, value: string][] {
  const peak = kw(doc.optimized.peakKw);
  return [
    ['Cost of the plan', money(doc.optimized.total, doc.currency)],
    ['First-come-first-served baseline', money(doc.baseline.total, doc.currency)],
    ['Savings', `${money(doc.savings.amount, doc.currency)} (${percent(doc.savings.percent)})`],
    ['Peak', doc.peakLimitKw === null ? `${peak} (no contractual limit)` : `${peak} of a ${kw(doc.peakLimitKw)} limit`],
  ];
}

function summaryHtml(doc: ReportDocument, runUrl: string | null, pdfAttached: boolean): string {
  const assignments = table(
    ['Job', 'Product', 'Heater', 'Start', 'End', 'Thermal kW', 'Period', `Cost ${doc.currency}`],
    doc.rows.map((r) => [r.jobId, r.product, r.equipmentName, r.start, r.end, grouped(r.thermalKw, 1), r.period, grouped(r.cost, 2)]),
    [false, false, false, false, false, true, false, true],
  );
  const figures = headlineFigures(doc)
    .map(([label, value]) => `<tr><th ${CELL} align="left">${h(label)}</th><td ${NUM}>${h(value)}</td></tr>`)
    .join('\n');
  const list = (items: string[]) => `<ul>${items.map((i) => `<li>${h(i)}</li>`).join('')}</ul>`;
  return [
    `<!doctype html><html><body style="font-family:sans-serif">`,
    `<h2>${h(`HeatScheduler plan for ${doc.site} (${doc.tenant}) on ${doc.scheduleDate}`)}</h2>`,
    `<p>${h(`${doc.horizonDays} day(s), times in ${doc.timeZone}; tariff ${doc.tariffName}; ${doc.jobsCount} jobs; solver ${doc.solver.status}`)}</p>`,
    `<table style="border-collapse:collapse">\n${figures}\n</table>`,
    `<p>${h(doc.narrative.text)}</p>`,
    doc.warnings.length ? `<h3>Warnings</h3>${list(doc.warnings.map((w) => w.text))}` : '',
    `<h3>Assignments</h3>`,
    doc.rows.length ? assignments : '<p>No job is scheduled.</p>',
    doc.unscheduled.length ? `<h3>Not scheduled</h3>${list(doc.unscheduled.map((u) => `${u.jobId}: ${u.reason}`))}` : '',
    runUrl ? `<p><a href="${h(runUrl)}">Open the run</a></p>` : '',
    pdfAttached ? `<p style="color:#666">The full report is attached (PDF).</p>` : '',
    `</body></html>`,
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * The run summary for Slack: the headline figures as a fields section, the jobs left out and the
 * warnings, a button to the run when the public address is known. Plant text is escaped for mrkdwn.
 */
export function runSummarySlack(
  schedule: ProductionSchedule,
  doc: ReportDocument,
  runUrl: string | null,
): { text: string; blocks: object[] } {
  const title = `Heating plan for ${schedule.site} on ${schedule.scheduleDate}: ${savingsPhrase(doc)}`;
  const fields = headlineFigures(doc).map(([label, value]) => ({ type: 'mrkdwn', text: `*${label}*\n${escapeSlack(value)}` }));
  fields.push({ type: 'mrkdwn', text: `*Jobs*\n${doc.rows.length} scheduled, ${doc.unscheduled.length} not scheduled` });
  const blocks: object[] = [
    { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
    { type: 'section', fields },
  ];
  const notes = [
    ...doc.unscheduled.map((u) => `Not scheduled: ${u.jobId} (${u.reason})`),
    ...doc.warnings.map((w) => `Warning: ${w.text}`),
  ];
  if (notes.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: escapeSlack(notes.join('\n')).slice(0, 3000) } });
  if (runUrl)
    blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open the run' }, url: runUrl }] });
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: escapeSlack(`${doc.tenant} · ${doc.tariffName} · solver ${doc.solver.status}`) }],
  });
  return { text: title, blocks };
}
