import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { listZip } from '../../activities/intake/zip.ts';
import { RunRequestSchema } from '../../domain/run-request.ts';
import { requestToWorkbook } from '../../examples/workbook.ts';
import { example, lines, read, rejection } from './support.ts';

async function workbook(fill: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  fill(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A one-job day with a one-period tariff: the sheets a demand-charge test adds to. */
function dayWithTariff(wb: ExcelJS.Workbook, tariffKeys: [string, unknown][] = []) {
  scheduleSheet(wb);
  wb.addWorksheet('Jobs').addRows([
    ['job_id', 'product', 'quantity', 'unit', 'heating_kwh', 'earliest_start', 'deadline'],
    ['J1', 'A', 1, 'kg', 50, '2026-11-24 06:00', '2026-11-24 12:00'],
  ]);
  wb.addWorksheet('Tariff').addRows([['name', 'Flat'], ['time_zone', 'Europe/Berlin'], ['effective_date', '2026-01-01'], ...tariffKeys]);
  wb.addWorksheet('Tariff periods').addRows([
    ['start', 'end', 'energy_rate', 'category'],
    ['00:00', '12:00', 0.1, 'on-peak'],
    ['12:00', '00:00', 0.2, 'critical'],
  ]);
}

function scheduleSheet(wb: ExcelJS.Workbook) {
  wb.addWorksheet('Schedule').addRows([
    ['tenant', 'acme'],
    ['site', 'p1'],
    ['schedule_date', new Date(Date.UTC(2026, 10, 24))],
    ['time_zone', 'Europe/Berlin'],
  ]);
}

describe('the XLSX adapter', () => {
  it('reads the template in examples/', async () => {
    const { request, format } = await read(example('template.xlsx'), 'template.xlsx');
    expect(format).toBe('xlsx');
    expect(request.schedule.jobs.map((j) => j.id)).toEqual(['J-101', 'J-102']);
    expect(request.equipment).toHaveLength(4);
    expect(request.tariff?.periods).toHaveLength(7);
  });

  it('reads date-time, time-only, formula and rich-text cells', async () => {
    const bytes = await workbook((wb) => {
      scheduleSheet(wb);
      const jobs = wb.addWorksheet('Jobs');
      jobs.addRow(['Job ID', 'Product', 'Qty', 'Unit', 'Heating kWh', 'Earliest start', 'Deadline']);
      jobs.addRow([
        'J1',
        { richText: [{ text: 'Anneal ' }, { text: 'A', font: { bold: true } }] },
        { formula: '2*600', result: 1200 },
        'kg',
        900,
        new Date(Date.UTC(1899, 11, 30, 6, 0)), // a time-only cell: 06:00 on the schedule date
        new Date(Date.UTC(2026, 10, 24, 17, 59, 59, 999)), // float noise of a serial: 18:00
      ]);
    });
    const { request } = await read(bytes, 'cells.xlsx');
    expect(request.schedule.jobs[0]).toMatchObject({
      product: 'Anneal A',
      quantity: 1200,
      earliestStart: '2026-11-24T05:00:00.000Z',
      deadline: '2026-11-24T17:00:00.000Z',
    });
  });

  it('names sheet and cell of every problem', async () => {
    const bytes = await workbook((wb) => {
      scheduleSheet(wb);
      const jobs = wb.addWorksheet('Jobs');
      jobs.addRow(['job_id', 'product', 'quantity', 'unit', 'heating_kwh', 'earliest_start', 'deadline']);
      jobs.addRow(['J1', 'A', { formula: 'NA()', result: { error: '#N/A' } }, 'kg', 'lots', '2026-11-24 06:00', '2026-11-24 12:00']);
      jobs.addRow(['J2', 'B', 1, 'kg', 5, '2026-11-24 06:00', '2026-11-24 05:00']);
      wb.addWorksheet('Pivot');
    });
    const err = await rejection(bytes, 'bad.xlsx');
    expect(lines(err)).toEqual([
      'bad.xlsx sheet "Pivot": unknown sheet (known: schedule, settings, jobs, heaters, heaterwindows, changeovers, tariff, tariffperiods, fixedcharges, demandcharges, pastpeaks, readme)',
      'bad.xlsx sheet "Jobs", cell C2 (quantity): holds the Excel error #N/A',
      'bad.xlsx sheet "Jobs", cell E2 (heating_kwh): "lots" is not a number',
      'bad.xlsx sheet "Jobs", cell G3 (deadline): must be after earliestStart',
    ]);
  });

  it('refuses a truncated or damaged workbook with E001, never a crash', async () => {
    const whole = example('plant-day.xlsx');
    const truncated = await rejection(whole.subarray(0, Math.floor(whole.length / 2)), 'cut.xlsx', { format: 'xlsx' });
    expect(lines(truncated)).toEqual([
      'cut.xlsx: not a readable XLSX workbook: the ZIP container has no end record (the file is truncated)',
    ]);
    const damaged = Buffer.from(whole);
    for (let i = 200; i < 2200; i += 7) damaged[i] ^= 0x5a;
    const err = await rejection(damaged, 'damaged.xlsx', { format: 'xlsx' });
    expect(err.problems[0].path).toBe('damaged.xlsx');
  });

  it('refuses a workbook that would inflate past the limit before inflating it', async () => {
    const bytes = Buffer.from(example('template.xlsx'));
    const listing = listZip(bytes);
    expect(listing.ok).toBe(true);
    // Declare 300 MB for the first entry in the central directory.
    const dir = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bytes.writeUInt32LE(300 * 1024 * 1024, dir + 24);
    expect(lines(await rejection(bytes, 'bomb.xlsx'))).toEqual([
      expect.stringMatching(/^bomb\.xlsx: the workbook would inflate to 30\d MB \(limit 200 MB\)$/),
    ]);
  });

  it('reads demand charges, the demand interval and ratchet, the metered peak and past peaks', async () => {
    const bytes = await workbook((wb) => {
      dayWithTariff(wb, [
        ['Demand interval (h)', 0.5],
        ['ratchet %', 80],
        ['ratchet_months', 11],
      ]);
      wb.addWorksheet('Demand charges').addRows([
        ['Name', 'Kind', 'Rate', 'Categories'],
        ['Facility', 'Facility', 9.5, null],
        [null, 'time of use', 14.75, 'On Peak | critical'],
      ]);
      wb.addWorksheet('Settings').addRows([
        ['metered_peak_as_of', new Date(Date.UTC(2026, 10, 23))],
        ['metered_peak_facility_kw', 512],
        ['Metered peak on-peak (MW)', 0.468],
      ]);
      wb.addWorksheet('Past peaks').addRows([
        ['month', 'peak_kw'],
        [new Date(Date.UTC(2026, 9, 1)), 640],
        ['2026-9', 600],
      ]);
    });
    const { request } = await read(bytes, 'demand.xlsx');
    expect(request.tariff?.demand).toEqual({
      intervalMinutes: 30,
      charges: [
        { name: 'Facility', kind: 'facility', rate: 9.5 },
        { kind: 'time_of_use', rate: 14.75, categories: ['on-peak', 'critical'] },
      ],
      ratchet: { percent: 80, months: 11, appliesTo: 'facility' },
    });
    expect(request.settings.billing).toEqual({
      meteredPeak: { asOf: '2026-11-23', facilityKw: 512, byCategoryKw: { 'on-peak': 468 } },
      pastPeaks: [
        { month: '2026-10', kw: 640 },
        { month: '2026-09', kw: 600 },
      ],
    });
  });

  it('writes every demand and billing field into the template and reads it back unchanged', async () => {
    const day = await read(example('plant-day.json'), 'plant-day.json');
    const request = RunRequestSchema.parse({
      ...day.request,
      tariff: {
        ...day.request.tariff,
        demand: { ...day.request.tariff!.demand, intervalMinutes: 60, ratchet: { percent: 75, months: 12, appliesTo: 'all' } },
      },
      settings: {
        ...day.request.settings,
        billing: { ...day.request.settings.billing, pastPeaks: [{ month: '2026-10', kw: 655.5 }] },
      },
    });
    const bytes = Buffer.from(await requestToWorkbook(request).xlsx.writeBuffer());
    const back = await read(bytes, 'written.xlsx');
    expect(back.request.tariff?.demand?.ratchet).toEqual({ percent: 75, months: 12, appliesTo: 'all' });
    expect(back.request).toEqual(request);
  });

  it('refuses a demand charge with a bad field, naming sheet, cell and column', async () => {
    const bytes = await workbook((wb) => {
      dayWithTariff(wb, [['demand_interval_minutes', 20]]);
      wb.addWorksheet('Demand charges').addRows([
        ['name', 'kind', 'rate', 'categories'],
        ['Facility', 'facility', 'cheap', null],
        ['Peak', 'monthly', 12, null],
        ['Peak 2', 'time_of_use', 12, 'on-peak|peak'],
        ['Peak 3', 'time_of_use', -1, 'on-peak'],
      ]);
      wb.addWorksheet('Past peaks').addRows([
        ['month', 'peak_kw'],
        ['October', 640],
      ]);
    });
    const err = await rejection(bytes, 'bad-demand.xlsx');
    expect(lines(err)).toEqual([
      'bad-demand.xlsx sheet "Past peaks", cell A2 (month): "October" is not a month YYYY-MM',
      'bad-demand.xlsx sheet "Demand charges", cell C2 (rate): "cheap" is not a number',
      'bad-demand.xlsx sheet "Demand charges", cell B3 (kind): "monthly" is not one of facility, time_of_use',
      'bad-demand.xlsx sheet "Demand charges", cell D4 (categories): "peak" is not one of off-peak, mid-peak, on-peak, critical',
      'bad-demand.xlsx sheet "Tariff", cell B4 (demand_interval_minutes): must be 15, 30 or 60 (minutes)',
      'bad-demand.xlsx sheet "Demand charges", cell C5 (rate): Too small: expected number to be >=0',
    ]);
  });
});
