import Table from 'cli-table3';
import type { ReportDocument } from './document.ts';

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
      n(r.energyCost, 2),
    ]);
  }
  const costs = new Table({ head: ['', 'Optimised', 'FIFO baseline'], style: PLAIN });
  const line = (label: string, pick: (c: ReportDocument['optimized']) => number, digits = 2) =>
    costs.push([label, n(pick(doc.optimized), digits), n(pick(doc.baseline), digits)]);
  line('Heating electricity', (c) => c.electricCost);
  line('Fuel', (c) => c.fuelCost);
  line('Start-ups', (c) => c.startupCost);
  line('Base load energy', (c) => c.baseLoadCost);
  line('Demand charges', (c) => c.demandCharge);
  line('Fixed charges', (c) => c.fixedCharge);
  line('Total', (c) => c.total);
  line('Peak kW', (c) => c.peakKw, 1);

  const lines = [
    `HeatScheduler plan for ${doc.site} (${doc.tenant}) on ${doc.scheduleDate}, ${doc.horizonDays} day(s), times in ${doc.timeZone}`,
    `Tariff: ${doc.tariffName}; ${doc.jobsCount} jobs; solver ${doc.solver.status}` +
      (doc.solver.gap !== null ? `, gap ${(doc.solver.gap * 100).toFixed(2)} %` : '') +
      (doc.peakLimitKw !== null ? `; peak limit ${doc.peakLimitKw} kW` : ''),
    '',
    plan.toString(),
    '',
    costs.toString(),
    '',
    `Savings: ${doc.currency} ${n(doc.savings.amount, 2)} (${n(doc.savings.percent, 1)} %)`,
    ...doc.highlights.map((h) => `- ${h}`),
  ];
  if (doc.unscheduled.length) lines.push('', 'Not scheduled:', ...doc.unscheduled.map((u) => `- ${u.jobId}: ${u.reason}`));
  return lines.join('\n') + '\n';
}
