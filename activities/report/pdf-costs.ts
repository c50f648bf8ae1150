import type { PlanLedger } from '../../domain/cost.ts';
import { dec } from '../../domain/decimal.ts';
import { billComponents, grouped, percent, runEnergyCost } from './format.ts';
import { siteTime, type ReportInput } from './input.ts';
import { duration } from './narrative.ts';
import { heading, paragraph, table, type Doc } from './pdf-layout.ts';

const m2 = (x: string) => grouped(x, 2);
const n0 = (x: string) => grouped(x, 0);
const n1 = (x: string) => grouped(x, 1);

/** The cost table's rows: the bill's components, then the total. */
export const costRows = (opt: PlanLedger['totals'], base: PlanLedger['totals']): [string, keyof PlanLedger['totals']][] => [
  ...billComponents(opt, base),
  ['Total', 'total'],
];

/** Site time of a slot boundary, e.g. "06:15" (with the day on a multi-day horizon). */
const localAt = ({ problem }: ReportInput, slot: number) =>
  siteTime(problem, slot, problem.schedule.horizonDays > 1 ? 'dd HH:mm' : 'HH:mm');

/** The cost tables: by component, by tariff period, demand, per heater, per job, CO2 and the annual projection. */
export function costSections(doc: Doc, input: ReportInput) {
  const { cost } = input;
  const [opt, base] = [cost.optimized, cost.baseline];
  heading(doc, `Costs (${cost.currency})`);
  const rows = costRows(opt.totals, base.totals);
  table(
    doc,
    [
      { header: 'Component', width: 0.34 },
      { header: 'Plan', width: 0.22, align: 'right' },
      { header: 'First-come-first-served', width: 0.22, align: 'right' },
      { header: 'Difference', width: 0.22, align: 'right' },
    ],
    rows.map(([label, key]) => [
      label,
      m2(opt.totals[key]),
      m2(base.totals[key]),
      m2(dec(base.totals[key]).minus(opt.totals[key]).toFixed()),
    ]),
    { bold: (r) => r === rows.length - 1 },
  );
  heading(doc, 'Heating electricity by tariff period', 11);
  table(
    doc,
    [
      { header: 'Period', width: 0.2 },
      { header: 'Plan kWh', width: 0.2, align: 'right' },
      { header: 'Plan cost', width: 0.2, align: 'right' },
      { header: 'Baseline kWh', width: 0.2, align: 'right' },
      { header: 'Baseline cost', width: 0.2, align: 'right' },
    ],
    opt.energyByCategory.map((c, i) => [
      c.category,
      n0(c.kwh),
      m2(c.cost),
      n0(base.energyByCategory[i].kwh),
      m2(base.energyByCategory[i].cost),
    ]),
  );
  demandTable(doc, input);
  heaterTable(doc, input);
  jobTable(doc, input);
  emissionsTable(doc, input);
  projectionTable(doc, input);
}

/** Each demand charge per billing period: what the plan adds above the period's floor, and where the floor comes from. */
function demandTable(doc: Doc, { cost }: ReportInput) {
  heading(doc, 'Demand charges (what this plan adds to the billing period)', 11);
  table(
    doc,
    [
      { header: 'Charge', width: 0.2 },
      { header: 'Plan peak kW', width: 0.1, align: 'right' },
      { header: 'Reached at', width: 0.15 },
      { header: 'Floor kW', width: 0.1, align: 'right' },
      { header: 'Billed kW', width: 0.1, align: 'right' },
      { header: 'Rate per kW', width: 0.1, align: 'right' },
      { header: 'Plan adds', width: 0.12, align: 'right' },
      { header: 'Baseline adds', width: 0.13, align: 'right' },
    ],
    cost.optimized.demand.map((d, i) => [
      `${d.label} (${d.billingPeriod.start})`,
      n1(d.peakKw),
      d.peakAt.replace('T', ' '),
      n1(d.floorKw),
      n1(d.billedKw),
      m2(d.rate),
      m2(d.cost),
      m2(cost.baseline.demand[i].cost),
    ]),
  );
  const floors = cost.optimized.demand.map((d) => `${d.label}: ${d.floorDetail} (${d.floorSource})`);
  if (floors.length) paragraph(doc, `Floors, the billing period's demand before this plan: ${floors.join('; ')}.`, { size: 8 });
}

function heaterTable(doc: Doc, { cost, problem }: ReportInput) {
  heading(doc, 'Cost per heater (plan)', 11);
  const names = new Map(problem.equipment.map((e) => [e.id, e.name]));
  table(
    doc,
    [
      { header: 'Heater', width: 0.22 },
      { header: 'Fuel', width: 0.12 },
      { header: 'Runs', width: 0.07, align: 'right' },
      { header: 'Hours', width: 0.08, align: 'right' },
      { header: 'Heat kWh', width: 0.11, align: 'right' },
      { header: 'Input kWh', width: 0.11, align: 'right' },
      { header: 'Energy', width: 0.1, align: 'right' },
      { header: 'Start-ups', width: 0.09, align: 'right' },
      { header: 'Total', width: 0.1, align: 'right' },
    ],
    cost.optimized.byHeater.map((h) => [
      `${h.equipmentId} ${names.get(h.equipmentId)}`,
      h.fuel.replace('_', ' '),
      String(h.runs),
      grouped(h.hours, 2),
      n0(h.heatKwh),
      n0(h.inputKwh),
      m2(h.energyCost),
      m2(h.startupCost),
      m2(h.cost),
    ]),
  );
}

function jobTable(doc: Doc, input: ReportInput) {
  const { cost, problem } = input;
  heading(doc, 'Cost per job (plan)', 11);
  const jobs = new Map(problem.schedule.jobs.map((j) => [j.id, j]));
  table(
    doc,
    [
      { header: 'Job', width: 0.11 },
      { header: 'Product', width: 0.23 },
      { header: 'Heater', width: 0.11 },
      { header: 'Start', width: 0.1 },
      { header: 'End', width: 0.1 },
      { header: 'Heat kWh', width: 0.1, align: 'right' },
      { header: 'Energy', width: 0.09, align: 'right' },
      { header: 'Start-up', width: 0.07, align: 'right' },
      { header: 'Cost', width: 0.09, align: 'right' },
    ],
    [...cost.optimized.runs]
      .sort((a, b) => a.startSlot - b.startSlot || a.jobId.localeCompare(b.jobId))
      .map((r) => [
        r.jobId,
        jobs.get(r.jobId)?.product ?? '',
        r.equipmentId,
        localAt(input, r.startSlot),
        localAt(input, r.endSlot),
        n0(r.heatKwh),
        m2(runEnergyCost(r)),
        m2(r.startup.cost),
        m2(r.cost),
      ]),
  );
}

function emissionsTable(doc: Doc, { cost }: ReportInput) {
  if (!cost.emissions) return;
  const { optimized, baseline, savedKgCo2 } = cost.emissions;
  heading(doc, 'CO2 of heating', 11);
  table(
    doc,
    [
      { header: 'Fuel', width: 0.2 },
      { header: 'kg CO2 per kWh', width: 0.16, align: 'right' },
      { header: 'Plan kWh', width: 0.16, align: 'right' },
      { header: 'Plan kg', width: 0.16, align: 'right' },
      { header: 'Baseline kWh', width: 0.16, align: 'right' },
      { header: 'Baseline kg', width: 0.16, align: 'right' },
    ],
    [
      ...optimized.byFuel.map((f, i) => [
        f.fuel.replace('_', ' '),
        f.kgCo2PerKwh ?? 'not given',
        n0(f.kwh),
        f.kgCo2 === null ? '–' : n0(f.kgCo2),
        n0(baseline.byFuel[i].kwh),
        baseline.byFuel[i].kgCo2 === null ? '–' : n0(baseline.byFuel[i].kgCo2!),
      ]),
      ['Total', '', '', n0(optimized.kgCo2), '', n0(baseline.kgCo2)],
    ],
    { bold: (r) => r === optimized.byFuel.length },
  );
  paragraph(doc, `${n0(savedKgCo2)} kg CO2 less than first-come-first-served. Start-ups included, base load not.`, { size: 8 });
}

function projectionTable(doc: Doc, { cost }: ReportInput) {
  const p = cost.projection;
  heading(doc, 'Annual projection', 11);
  const rows = [
    ['Savings per day', m2(p.dailySavings)],
    [`Savings per year (${p.operatingDaysPerYear} operating days)`, m2(p.annualSavings)],
    ['Plan cost per year', m2(p.annualOptimizedCost)],
    ['First-come-first-served cost per year', m2(p.annualBaselineCost)],
  ];
  const inv = p.investment;
  if (inv) {
    rows.push(
      ['Investment', m2(inv.amount)],
      ['Simple payback (investment / annual savings)', inv.paybackYears === null ? 'none' : duration(inv.paybackYears)],
      [`NPV over ${inv.lifetimeYears} years at ${percent(inv.discountRatePercent)}`, m2(inv.npv)],
      ['IRR (rate at which the NPV is zero)', percent(inv.irrPercent, 2)],
    );
  }
  table(
    doc,
    [
      { header: 'Figure', width: 0.6 },
      { header: cost.currency, width: 0.4, align: 'right' },
    ],
    rows,
  );
  paragraph(
    doc,
    'Assumes every operating day is like the planned one. NPV = −I + Σ A / (1 + r)^t over the lifetime, savings at each year end.',
    { size: 8 },
  );
}
