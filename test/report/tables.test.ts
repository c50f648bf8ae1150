import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { renderAssignmentsCsv } from '../../activities/report/csv.ts';
import { renderXlsx } from '../../activities/report/xlsx.ts';
import { plantDayWithEconomics } from './fixture.ts';

const input = plantDayWithEconomics();

describe('the XLSX workbook', () => {
  it('is the same bytes for the same run', async () => {
    const first = await renderXlsx(input);
    await new Promise((resolve) => setTimeout(resolve, 2100)); // zip entries carry a time to 2 s
    expect((await renderXlsx(input)).equals(first)).toBe(true);
  });

  it('holds the assignments, the load profile, the costs and the inputs', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await renderXlsx(input)) as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual([
      'Summary',
      'Assignments',
      'Load profile',
      'Costs',
      'Inputs - jobs',
      'Inputs - heaters',
      'Inputs - tariff',
      'Inputs - settings',
      'Provenance',
    ]);
    const summary = book.getWorksheet('Summary')!;
    const total = summary.getRow(8);
    // The figures as held (display rounds them to cents through the cell format).
    expect(total.values).toEqual([undefined, 'Total', 672.1068322982, 882.805988266, 210.6991559678]);
    expect(summary.getColumn(2).numFmt).toBe('#,##0.00');
    const assignments = book.getWorksheet('Assignments')!;
    expect(assignments.rowCount).toBe(1 + 14);
    const j104 = assignments.getRow(2).values as unknown[];
    expect(j104.slice(1, 8)).toEqual(['J-104', 'Wash water heating', 4, 'HTR-004', 'electricity', '2026-11-24 00:00', '2026-11-24 02:00']);
    expect(j104[13]).toBeCloseTo(7.94, 2); // 171.43 kWh × 0.045 and a start-up at 0.045
    const load = book.getWorksheet('Load profile')!;
    expect(load.rowCount).toBe(1 + 96);
    expect(load.getRow(2).values).toEqual([
      undefined,
      0,
      '2026-11-24 00:00',
      '2026-11-24T06:00:00.000Z',
      'off-peak',
      0.045,
      0, // the example writes its demand charges as the tariff's demand block, not per period
      265.7142857144, // 180 kW base load + the heat pump's 600 kWh over 2 h at COP 3.5
      516.8916797488,
      700,
    ]);
    // The cost lines of each plan end with its total, which they add up to.
    const costs = book.getWorksheet('Costs')!;
    const lines = (costs.getSheetValues() as unknown[][]).slice(2).filter((r) => r[1] === 'Plan');
    const sum = lines.slice(0, -1).reduce((s, r) => s + (r[7] as number), 0);
    expect(lines.at(-1)![2]).toBe('Total');
    expect(sum).toBeCloseTo(lines.at(-1)![7] as number, 6);
    expect(sum).toBeCloseTo(672.11, 2);
    expect(book.getWorksheet('Inputs - jobs')!.rowCount).toBe(1 + 14);
    expect(book.getWorksheet('Provenance')!.getRow(2).values).toEqual([undefined, 'intake', input.chain[0].hash, '']);
  });
});

describe('the assignments CSV', () => {
  it('has one row per run with exact decimals, site time and UTC', () => {
    const lines = renderAssignmentsCsv(input).split('\r\n');
    expect(lines[0]).toBe(
      'job_id,product,equipment_id,fuel,start_local,end_local,start_utc,end_utc,heat_kwh,input_kwh,energy_cost,startup_cost,cost,currency',
    );
    expect(lines).toHaveLength(1 + 14 + 1); // and a final line break
    expect(lines[1]).toMatch(
      /^J-104,Wash water heating,HTR-004,electricity,2026-11-24T00:00,2026-11-24T02:00,2026-11-24T06:00:00.000Z,2026-11-24T08:00:00.000Z,600,171.4285714288,7.7142857143,0.225,7.9392857143,USD$/,
    );
  });

  it('quotes a product with a comma or a quote', () => {
    const odd = structuredClone(input);
    odd.problem.schedule.jobs.find((j) => j.id === 'J-104')!.product = 'Wash, water "hot"';
    expect(renderAssignmentsCsv(odd).split('\r\n')[1]).toMatch(/^J-104,"Wash, water ""hot""",HTR-004,/);
  });
});
