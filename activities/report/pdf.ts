import { DateTime } from 'luxon';
import { dec } from '../../domain/decimal.ts';
import { costBarsSvg, ganttSvg, loadProfileSvg, CATEGORY_COLOURS } from './charts.ts';
import { causeLabel, kw, money, percent } from './format.ts';
import type { ReportInput } from './input.ts';
import type { Narrative } from './narrative.ts';
import {
  chart,
  collectBytes,
  contentWidth,
  footers,
  heading,
  keyFigures,
  MUTED,
  newDocument,
  paragraph,
  table,
  type Doc,
} from './pdf-layout.ts';
import { costSections } from './pdf-costs.ts';
import { provenancePage } from './pdf-provenance.ts';
import { reportWarnings } from './warnings.ts';

/**
 * The run report as a PDF a plant manager can forward: summary, heaters over the horizon, the
 * load against the tariff and the limit, cost tables, what was left out, and the hash chain.
 * Vector charts, the bundled font and a creation date taken from the schedule make the bytes
 * depend on the run alone.
 */
export async function renderPdf(input: ReportInput, narrative: Narrative): Promise<Buffer> {
  const { schedule, grid } = input.problem;
  const doc = newDocument({
    title: `Heating plan ${schedule.site} ${schedule.scheduleDate}`,
    subject: `HeatScheduler run ${input.runId}`,
    date: new Date(grid.startUtc),
  });
  const bytes = collectBytes(doc);
  summaryPage(doc, input, narrative);
  doc.addPage();
  schedulePage(doc, input);
  doc.addPage();
  costSections(doc, input);
  unscheduledSection(doc, input);
  doc.addPage();
  provenancePage(doc, input);
  footers(doc, `HeatScheduler · ${schedule.site} · ${schedule.scheduleDate} · run ${input.runId}`);
  doc.end();
  return bytes;
}

function summaryPage(doc: Doc, input: ReportInput, narrative: Narrative) {
  const { problem, plan, cost } = input;
  const { schedule, tariff, settings } = problem;
  const c = cost.currency;
  const [opt, base] = [cost.optimized.totals, cost.baseline.totals];
  const date = DateTime.fromISO(schedule.scheduleDate).toFormat('cccc d LLLL yyyy');
  doc.font('bold').fontSize(18).text(`Heating plan for ${schedule.site}`);
  const days = schedule.horizonDays === 1 ? '' : ` (${schedule.horizonDays} days)`;
  paragraph(doc, `${date}${days} · ${schedule.tenant} · times in ${problem.grid.timeZone}`, { colour: MUTED });
  const gap = plan.solver.gap === null ? '' : `, gap ${percent(plan.solver.gap * 100, 2)}`;
  paragraph(
    doc,
    `Tariff ${tariff.name} · ${schedule.jobs.length} jobs on ${problem.equipment.length} heaters · solver ${plan.solver.status}${gap}`,
    {
      colour: MUTED,
    },
  );
  doc.moveDown(0.6);
  const savingsNote = cost.savings.percent === null ? 'baseline costs nothing' : `${percent(cost.savings.percent)} of the baseline`;
  keyFigures(doc, [
    { label: 'Plan cost', value: money(opt.total, c), note: 'energy, demand and fixed charges' },
    { label: 'First-come-first-served', value: money(base.total, c), note: 'the same jobs, as a plant runs them' },
    {
      label: dec(cost.savings.amount).isNegative() ? 'Extra cost' : 'Savings',
      value: money(dec(cost.savings.amount).abs().toFixed(), c),
      note: savingsNote,
    },
    {
      label: 'Peak demand',
      value: kw(opt.peakKw),
      note: `${settings.peakLimitKw === undefined ? 'no contractual limit' : `limit ${kw(settings.peakLimitKw)}`}; baseline ${kw(base.peakKw)}`,
    },
  ]);
  heading(doc, 'Summary');
  paragraph(doc, narrative.text);
  heading(doc, 'Savings by cause');
  table(
    doc,
    [
      { header: 'Cause', width: 0.24 },
      { header: `Saving ${c}`, width: 0.16, align: 'right' },
      { header: 'How it is measured', width: 0.6 },
    ],
    [
      ...cost.savings.byCause.map((x) => [causeLabel(x.cause), money(x.amount, c).slice(4), x.method]),
      ['Total', money(cost.savings.amount, c).slice(4), 'baseline total − plan total'],
    ],
    { bold: (r) => r === cost.savings.byCause.length },
  );
  chart(doc, costBarsSvg(input, 507, 170), contentWidth(doc), 170);
  warningsSection(doc, input);
}

function warningsSection(doc: Doc, input: ReportInput) {
  const warnings = reportWarnings(input);
  heading(doc, 'Warnings');
  if (!warnings.length) paragraph(doc, 'None: every job is scheduled and the plan is proved optimal.');
  for (const w of warnings) paragraph(doc, `${w.severity === 'warning' ? '⚠' : '•'} ${w.text}`);
}

function schedulePage(doc: Doc, input: ReportInput) {
  const heaters = input.problem.equipment.length;
  heading(doc, 'Heaters over the horizon');
  const height = 60 + 28 * heaters;
  chart(doc, ganttSvg(input, 507, height), contentWidth(doc), height);
  paragraph(doc, 'Bars: blue electric heaters and heat pumps, orange gas, grey maintenance. Background: tariff periods.', {
    size: 8,
    colour: MUTED,
  });
  heading(doc, 'Site load against the tariff periods and the contractual limit');
  chart(doc, loadProfileSvg(input, 507, 270), contentWidth(doc), 270);
  categoryLegend(doc);
  paragraph(
    doc,
    'Site electric load per slot: base load plus electric heaters and heat pumps (kW). Demand charges bill the highest load in each period.',
    {
      size: 8,
      colour: MUTED,
    },
  );
}

/** A row of coloured squares naming the tariff period categories. */
function categoryLegend(doc: Doc) {
  let x = doc.page.margins.left;
  const y = doc.y;
  for (const [category, colour] of Object.entries(CATEGORY_COLOURS)) {
    doc.rect(x, y + 1, 9, 9).fill(colour);
    doc
      .fillColor('#333')
      .font('body')
      .fontSize(8)
      .text(category, x + 13, y + 1, { lineBreak: false });
    x += 80;
  }
  doc.x = doc.page.margins.left;
  doc.y = y + 16;
}

function unscheduledSection(doc: Doc, { plan }: ReportInput) {
  heading(doc, 'Jobs not scheduled');
  if (!plan.unscheduled.length) {
    paragraph(doc, 'Every job is scheduled.');
    return;
  }
  table(
    doc,
    [
      { header: 'Job', width: 0.15 },
      { header: 'Why it could not be placed', width: 0.85 },
    ],
    plan.unscheduled.map((u) => [u.jobId, u.reason]),
  );
}
