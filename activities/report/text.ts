import Table from 'cli-table3';
import type { ReportDocument } from './document.ts';
import { billComponents, causeLabel, grouped, percent } from './format.ts';

const PLAIN = { head: [], border: [] };
const n = (x: number, digits = 1) => x.toFixed(digits);

/** The plain-text summary: printed by the CLI and sent as the e-mail body. */
export function renderTextReport(doc: ReportDocument): string {
  const plan = new Table({
    head: ['Job', 'Product', 'Prio', 'Heater', 'Start', 'End', 'Thermal kW', 'Electric kW', 'Fuel kW', 'Period', `Cost ${doc.currency}`],
    style: PLAIN,
  });
  for (const r of doc.rows) {
    plan.push([
      r.jobId,
      r.product,
      r.priority,
      r.equipmentId,
      r.start,
      r.end,
      n(r.thermalKw),
      n(r.electricKw),
      n(r.fuelKw),
      r.period,
      grouped(r.cost, 2),
    ]);
  }
  const costs = new Table({ head: ['', 'Optimised', 'FIFO baseline'], style: PLAIN });
  const line = (label: string, key: keyof ReportDocument['optimized'], digits = 2) =>
    costs.push([label, grouped(doc.optimized[key], digits), grouped(doc.baseline[key], digits)]);
  for (const [label, key] of billComponents(doc.optimized, doc.baseline)) line(label, key);
  line('Total', 'total');
  line('Peak kW', 'peakKw', 1);

  const lines = [
    `HeatScheduler plan for ${doc.site} (${doc.tenant}) on ${doc.scheduleDate}, ${doc.horizonDays} day(s), times in ${doc.timeZone}`,
    `Tariff: ${doc.tariffName}; ${doc.jobsCount} jobs; solver ${doc.solver.status}` +
      (doc.solver.gap !== null ? `, gap ${(doc.solver.gap * 100).toFixed(2)} %` : '') +
      (doc.peakLimitKw !== null ? `; peak limit ${doc.peakLimitKw} kW` : ''),
    '',
    plan.toString(),
    '',
    costs.toString(),
    ...doc.demand.map(
      (d) =>
        `Demand charge "${d.label}", billing period from ${d.billingPeriodStart}: ${grouped(d.floorKw, 1)} kW before this plan, from ${d.floorFrom}; ` +
        `${grouped(d.billedKw, 1)} kW with it; the plan adds ${doc.currency} ${grouped(d.planAdds, 2)} (baseline ${grouped(d.baselineAdds, 2)}) ` +
        `to the period's ${doc.currency} ${grouped(d.periodCharge, 2)} at ${grouped(d.rate, 2)} per kW.`,
    ),
    '',
    `Savings: ${doc.currency} ${grouped(doc.savings.amount, 2)} (${percent(doc.savings.percent)}); by cause: ` +
      doc.savings.byCause.map((c) => `${causeLabel(c.cause).toLowerCase()} ${grouped(c.amount, 2)}`).join(', '),
    '',
    doc.narrative.text,
  ];
  if (doc.warnings.length) lines.push('', 'Warnings:', ...doc.warnings.map((w) => `- ${w.text}`));
  if (doc.unscheduled.length) lines.push('', 'Not scheduled:', ...doc.unscheduled.map((u) => `- ${u.jobId}: ${u.reason}`));
  return lines.join('\n') + '\n';
}
