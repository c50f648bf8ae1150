import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { RunCost } from '../../domain/cost.ts';
import { dec, rounded } from '../../domain/decimal.ts';
import { slotIso } from '../../domain/slot-grid.ts';
import { causeLabel, runEnergyCost } from './format.ts';
import { siteTime, type ReportInput } from './input.ts';
import { costRows } from './pdf-costs.ts';

type Cell = string | number | null;
const MONEY = '#,##0.00';
const ENERGY = '#,##0.000';

/** Exact stored decimals become spreadsheet numbers (doubles); the CSV keeps the exact text. */
const num = (x: string | null | undefined): Cell => (x == null ? null : Number(x));

function addSheet(book: ExcelJS.Workbook, name: string, columns: { header: string; width?: number; format?: string }[], rows: Cell[][]) {
  const sheet = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({
    header: c.header,
    width: c.width ?? Math.max(10, c.header.length + 2),
    style: { numFmt: c.format },
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.addRows(rows);
  return sheet;
}

/**
 * The workbook: assignments, load profile, costs and the inputs they came from, one sheet each.
 * Its creation date is the schedule's, so the same run gives the same workbook.
 */
export async function renderXlsx(input: ReportInput): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'HeatScheduler';
  book.created = book.modified = new Date(input.problem.grid.startUtc);
  summarySheet(book, input);
  assignmentsSheet(book, input);
  loadSheet(book, input);
  costSheets(book, input);
  inputSheets(book, input);
  tariffSheets(book, input);
  addSheet(
    book,
    'Provenance',
    [{ header: 'Step' }, { header: 'SHA-256', width: 70 }, { header: 'Parents', width: 140 }],
    input.chain.map((l) => [l.step, l.hash, l.parents.join(' ')]),
  );
  return fixZipDates(Buffer.from(await book.xlsx.writeBuffer()), book.created);
}

/** exceljs stamps every zip entry with the current time; the schedule's date instead makes the bytes repeatable. */
async function fixZipDates(xlsx: Buffer, date: Date): Promise<Buffer> {
  const zip = await JSZip.loadAsync(xlsx);
  const fixed = new JSZip();
  for (const entry of Object.values(zip.files)) {
    if (!entry.dir) fixed.file(entry.name, await entry.async('uint8array'), { date, createFolders: false });
  }
  return fixed.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}

function summarySheet(book: ExcelJS.Workbook, { cost }: ReportInput) {
  const [opt, base] = [cost.optimized.totals, cost.baseline.totals];
  const rows: Cell[][] = costRows(opt, base).map(([label, key]) => [
    label,
    num(opt[key]),
    num(base[key]),
    num(dec(base[key]).minus(opt[key]).toFixed()),
  ]);
  rows.push(['Peak kW', num(opt.peakKw), num(base.peakKw), num(dec(base.peakKw).minus(opt.peakKw).toFixed())], []);
  rows.push(['Savings by cause', 'Saving', 'How it is measured']);
  for (const c of cost.savings.byCause) rows.push([causeLabel(c.cause), num(c.amount), c.method]);
  rows.push([
    'Total savings',
    num(cost.savings.amount),
    cost.savings.percent === null ? 'baseline costs nothing' : `${dec(cost.savings.percent).toFixed(2)} %`,
  ]);
  const p = cost.projection;
  rows.push([], ['Annual projection', `${p.operatingDaysPerYear} operating days`], ['Savings per year', num(p.annualSavings)]);
  if (p.investment) {
    rows.push(['Investment', num(p.investment.amount)], ['Payback years', num(p.investment.paybackYears)], ['NPV', num(p.investment.npv)]);
    rows.push(['IRR %', num(p.investment.irrPercent)]);
  }
  addSheet(
    book,
    'Summary',
    [
      { header: `Figure (${cost.currency})`, width: 30 },
      { header: 'Plan', width: 16, format: MONEY },
      { header: 'First-come-first-served', width: 24, format: MONEY },
      { header: 'Difference', width: 16, format: MONEY },
    ],
    rows,
  );
}

/** Energy drawn by a run: electricity (per rate line) or fuel. */
export const runInputKwh = (r: RunCost) => (r.fuelUse ? r.fuelUse.kwh : r.electricity.reduce((s, l) => s.plus(l.kwh), dec(0)).toFixed());

function assignmentsSheet(book: ExcelJS.Workbook, input: ReportInput) {
  const jobs = new Map(input.problem.schedule.jobs.map((j) => [j.id, j]));
  addSheet(
    book,
    'Assignments',
    [
      { header: 'Job' },
      { header: 'Product', width: 24 },
      { header: 'Priority' },
      { header: 'Heater' },
      { header: 'Fuel', width: 12 },
      { header: 'Start (site time)', width: 18 },
      { header: 'End (site time)', width: 18 },
      { header: 'Heat kWh', format: ENERGY },
      { header: 'Input kWh', format: ENERGY },
      { header: 'Start-up kWh', format: ENERGY },
      { header: 'Energy cost', format: MONEY },
      { header: 'Start-up cost', format: MONEY },
      { header: 'Cost', format: MONEY },
    ],
    input.cost.optimized.runs.map((r) => [
      r.jobId,
      jobs.get(r.jobId)?.product ?? '',
      jobs.get(r.jobId)?.priority ?? null,
      r.equipmentId,
      r.fuel,
      siteTime(input.problem, r.startSlot),
      siteTime(input.problem, r.endSlot),
      num(r.heatKwh),
      num(runInputKwh(r)),
      num(r.startup.kwh),
      num(runEnergyCost(r)),
      num(r.startup.cost),
      num(r.cost),
    ]),
  );
}

function loadSheet(book: ExcelJS.Workbook, { problem, cost }: ReportInput) {
  addSheet(
    book,
    'Load profile',
    [
      { header: 'Slot' },
      { header: 'Start (site time)', width: 18 },
      { header: 'Start (UTC)', width: 26 },
      { header: 'Period', width: 12 },
      { header: 'Energy rate', format: '0.0000' },
      { header: 'Demand rate', format: '0.00' },
      { header: 'Plan kW', format: '#,##0.0' },
      { header: 'Baseline kW', format: '#,##0.0' },
      { header: 'Peak limit kW', format: '#,##0.0' },
    ],
    problem.slots.map((s) => [
      s.slot,
      s.localStart.replace('T', ' '),
      slotIso(problem.grid, s.slot),
      s.category,
      s.energyRate,
      s.demandRate,
      num(cost.optimized.loadProfileKw[s.slot]),
      num(cost.baseline.loadProfileKw[s.slot]),
      problem.settings.peakLimitKw ?? null,
    ]),
  );
}

function costSheets(book: ExcelJS.Workbook, { cost }: ReportInput) {
  const plans = [
    ['Plan', cost.optimized],
    ['Baseline', cost.baseline],
  ] as const;
  addSheet(
    book,
    'Costs',
    [
      { header: 'Plan', width: 10 },
      { header: 'Line', width: 22 },
      { header: 'Item', width: 18 },
      { header: 'Quantity', width: 14, format: ENERGY },
      { header: 'Unit', width: 8 },
      { header: 'Rate', width: 10, format: '0.0000' },
      { header: `Cost ${cost.currency}`, width: 14, format: MONEY },
    ],
    plans.flatMap(([name, ledger]) => [
      ...ledger.runs.flatMap((r) => [
        ...r.electricity.map((l) => [
          name,
          `Job ${r.jobId} on ${r.equipmentId}`,
          `${l.category} from ${l.from.slice(11)}`,
          num(l.kwh),
          'kWh',
          num(l.rate),
          num(l.cost),
        ]),
        ...(r.fuelUse
          ? [[name, `Job ${r.jobId} on ${r.equipmentId}`, r.fuel, num(r.fuelUse.kwh), 'kWh', num(r.fuelUse.price), num(r.fuelUse.cost)]]
          : []),
        [name, `Job ${r.jobId} on ${r.equipmentId}`, 'start-up', num(r.startup.kwh), 'kWh', num(r.startup.price), num(r.startup.cost)],
      ]),
      ...ledger.baseLoad.lines.map((l) => [name, 'Base load', l.category, num(l.kwh), 'kWh', num(l.rate), num(l.cost)]),
      ...ledger.demand.map((d) => [
        name,
        'Demand charge',
        `${d.label}, period from ${d.billingPeriod.start}: peak ${rounded(d.peakKw, 1)} kW at ${d.peakAt.replace('T', ' ')} over a floor of ${rounded(d.floorKw, 1)} kW (${d.floorSource})`,
        num(d.raisedKw),
        'kW',
        num(d.rate),
        num(d.cost),
      ]),
      ...ledger.fixed.map((f) => [name, 'Fixed charge', f.name, f.months.reduce((n, m) => n + m.days, 0), 'days', null, num(f.cost)]),
      [name, 'Total', '', null, '', null, num(ledger.totals.total)],
    ]),
  );
}

function inputSheets(book: ExcelJS.Workbook, { problem }: ReportInput) {
  const { schedule, equipment, tariff } = problem;
  addSheet(
    book,
    'Inputs - jobs',
    [
      { header: 'Job' },
      { header: 'Product', width: 24 },
      { header: 'Heat kWh' },
      { header: 'Earliest start', width: 26 },
      { header: 'Deadline', width: 26 },
      { header: 'Priority' },
      { header: 'Allowed heaters', width: 30 },
    ],
    schedule.jobs.map((j) => [
      j.id,
      j.product,
      j.heatingKwh,
      j.earliestStart,
      j.deadline,
      j.priority,
      (j.allowedEquipment ?? []).join(', '),
    ]),
  );
  addSheet(
    book,
    'Inputs - heaters',
    [
      { header: 'Heater' },
      { header: 'Name', width: 22 },
      { header: 'Type', width: 12 },
      { header: 'Fuel', width: 12 },
      { header: 'Capacity kW' },
      { header: 'Efficiency' },
      { header: 'Start-up kWh' },
      { header: 'Fuel price' },
    ],
    equipment.map((e) => [
      e.id,
      e.name,
      e.type,
      e.fuelType,
      e.capacityKw,
      e.efficiency,
      e.startupEnergyKwh,
      e.fuelRatePerKwh ?? tariff.fuelPrices[e.fuelType as 'natural_gas'] ?? null,
    ]),
  );
}

function tariffSheets(book: ExcelJS.Workbook, { problem }: ReportInput) {
  const { tariff, settings } = problem;
  addSheet(
    book,
    'Inputs - tariff',
    [
      { header: 'Day type', width: 12 },
      { header: 'From' },
      { header: 'To' },
      { header: 'Period', width: 12 },
      { header: 'Energy rate' },
      { header: 'Demand rate' },
    ],
    tariff.periods.map((p) => [p.dayType, p.start, p.end, p.category, p.energyRate, p.demandRate]),
  );
  addSheet(
    book,
    'Inputs - settings',
    [
      { header: 'Setting', width: 26 },
      { header: 'Value', width: 60 },
    ],
    Object.entries(settings).map(([key, value]) => [key, typeof value === 'object' ? JSON.stringify(value) : String(value)]),
  );
}
