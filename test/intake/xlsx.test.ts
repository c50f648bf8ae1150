import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { listZip } from '../../activities/intake/zip.ts';
import { example, lines, read, rejection } from './support.ts';

async function workbook(fill: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  fill(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
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
      'bad.xlsx sheet "Pivot": unknown sheet (known: schedule, settings, jobs, heaters, heaterwindows, changeovers, tariff, tariffperiods, fixedcharges, readme)',
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
});
