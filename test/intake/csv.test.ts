import { describe, expect, it } from 'vitest';
import { detectDelimiter } from '../../activities/intake/adapters/csv.ts';
import { parseNumberText } from '../../activities/intake/values.ts';
import { fixture, lines, read, rejection } from './support.ts';

const HEAD = '# tenant: acme\n# site: p1\n# schedule_date: 2026-11-24\n# time_zone: Europe/Berlin\n';
const ROW = 'J1,Batch,10,kg,100,2026-11-24 06:00,2026-11-24 12:00';
const COLS = 'job_id,product,quantity,unit,heating_kwh,earliest_start,deadline';

describe('the CSV adapter', () => {
  it('reads numbers as people write them', () => {
    expect(['1200', '-3.5', '8,3', '1.234,5', '1,234.5', '1 234,5', "1'234.5", '1e3', '+7'].map(parseNumberText)).toEqual([
      1200, -3.5, 8.3, 1234.5, 1234.5, 1234.5, 1234.5, 1000, 7,
    ]);
    expect(['1,2,3', '1.2.3', 'abc', '12kg', ''].map(parseNumberText)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('finds the separator of the header', () => {
    expect([detectDelimiter('a,b;c,d'), detectDelimiter('a;b;"c,d,e"'), detectDelimiter('a\tb\tc')]).toEqual([',', ';', '\t']);
  });

  it('reads a semicolon file with decimal commas, a BOM, CRLF, dotted dates and units in the headers like the plain one', async () => {
    const [plain, eu] = await Promise.all([
      read(fixture('same-day.csv'), 'same-day.csv'),
      read(fixture('same-day.eu.csv'), 'same-day.eu.csv'),
    ]);
    expect(eu.canonicalHash).toBe(plain.canonicalHash);
    expect(eu.request.schedule.jobs[0]).toMatchObject({ quantity: 1200, heatingKwh: 900, durationMinutes: 120 });
  });

  it('reads UTF-16 with its BOM (Excel\'s "Unicode text")', async () => {
    const text = `${HEAD}${COLS}\n${ROW}\n`;
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const { request } = await read(utf16, 'jobs.csv');
    expect(request.schedule.jobs[0]).toMatchObject({ id: 'J1', earliestStart: '2026-11-24T05:00:00.000Z' });
  });

  it('converts units written in headers and cells, bare times on the schedule date, and declared slash dates', async () => {
    const csv = `${HEAD}# date_format: MM/DD/YYYY\nJob,Product,Qty,Unit,Heat (GJ),Max (MW),Setpoint (°F),Release,Due,Heaters\nJ1,Batch,1,lot,3.6,0.5,212,06:00,11/24/2026 18:30,HTR-1;HTR-2\nJ2,Batch,1,lot,500 kWh,200 kW,80 °C,06:00,24:00,HTR-1\n`;
    const { request } = await read(csv, 'units.csv');
    expect(
      request.schedule.jobs.map((j) => [
        j.heatingKwh,
        j.maxThermalKw,
        j.temperatureSetpointC,
        j.earliestStart,
        j.deadline,
        j.allowedEquipment,
      ]),
    ).toEqual([
      [1000, 500, 100, '2026-11-24T05:00:00.000Z', '2026-11-24T17:30:00.000Z', ['HTR-1', 'HTR-2']],
      [500, 200, 80, '2026-11-24T05:00:00.000Z', '2026-11-24T23:00:00.000Z', ['HTR-1']],
    ]);
  });

  it('names the row and column of every problem, at once', async () => {
    const csv = `${HEAD}${COLS},colour\nJ1,Batch,ten,kg,100,2026-11-24 06:00,2026-11-24 12:00,red\nJ1,Batch,10,kg,-4,2026-11-24 13:00,2026-11-24 12:00,\nJ3,Batch,10,kg,5 kW,11/24/2026 06:00,2026-11-24 12:00,\n`;
    const err = await rejection(csv, 'jobs.csv');
    expect(lines(err)).toEqual([
      'jobs.csv row 5, column 8 (colour): unknown column "colour" (known: job_id, product, quantity, unit, heating_kwh, max_thermal_kw, duration_minutes, earliest_start, deadline, priority, temperature_setpoint_c, allowed_equipment, modulating, product_family, predecessors, lock_heater, lock_start)',
      'jobs.csv row 6, column 3 (quantity): "ten" is not a number',
      'jobs.csv row 8, column 5 (heating_kwh): unit "kW" is not a unit of energy (known: kwh, wh, mwh, gwh, kj, mj, gj, btu, kbtu, mmbtu, therm, therms, thm)',
      'jobs.csv row 8, column 6 (earliest_start): "11/24/2026 06:00": a date with slashes can be read two ways; write YYYY-MM-DD or DD.MM.YYYY, or declare the date format',
      'jobs.csv row 7, column 5 (heating_kwh): Too small: expected number to be >0',
      'jobs.csv row 7, column 1 (job_id): duplicates the id of jobs[0] (row 6)',
      'jobs.csv row 7, column 7 (deadline): must be after earliestStart',
    ]);
  });

  it('says once that a required column is missing, and which header it expected', async () => {
    const err = await rejection(
      `${HEAD}job_id,product,quantity,unit,heating_kwh,deadline\nJ1,B,1,kg,5,2026-11-24 12:00\nJ2,B,1,kg,5,2026-11-24 12:00\n`,
      'jobs.csv',
    );
    expect(lines(err)).toEqual(['jobs.csv row 5: the CSV has no column "earliest_start"']);
  });

  it('names the byte that is not UTF-8', async () => {
    const latin1 = Buffer.from(`${HEAD}${COLS}\nJ1,Gl\xfchen,1,kg,5,2026-11-24 06:00,2026-11-24 12:00\n`, 'latin1');
    const err = await rejection(latin1, 'latin1.csv', { format: 'csv' });
    expect(lines(err)).toEqual(['latin1.csv: not UTF-8 text: byte 0xfc at line 6, column 6 (save the file as UTF-8)']);
  });

  it('reports a broken quote at its line', async () => {
    const err = await rejection(`${HEAD}${COLS}\nJ1,"Batch,1,kg,5,2026-11-24 06:00,2026-11-24 12:00\n`, 'quote.csv');
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0].path).toMatch(/^quote\.csv row \d+$/);
    expect(err.problems[0].message).toMatch(/^not readable as CSV: .*quote/i);
  });
});
