import { describe, expect, it } from 'vitest';
import { costStatement } from '../../activities/cost/statement.ts';
import { buildReportDocument } from '../../activities/report/document.ts';
import { renderReportFiles } from '../../activities/report/files.ts';
import { narrate } from '../../activities/report/narrative.ts';
import { renderTextReport } from '../../activities/report/text.ts';
import { plantDayInput } from './fixture.ts';

describe('the report document and its files', () => {
  it('carries the exact figures, the narrative and the warnings, and prints them as text', async () => {
    const input = plantDayInput();
    const doc = buildReportDocument(input, await narrate(input), input.chain.at(-1)!.hash);
    expect(doc.optimized.total).toBe(input.cost.optimized.totals.total);
    expect(doc.rows).toHaveLength(14);
    expect(doc.rows[0]).toMatchObject({
      jobId: 'J-104',
      start: '2026-11-24 00:00',
      end: '2026-11-24 02:00',
      cost: input.cost.optimized.runs[0].cost,
    });
    const text = renderTextReport(doc);
    expect(text).toContain(
      'Savings: USD 210.70 (23.9 %); by cause: time-of-use shift -28.98, equipment and fuel choice 195.53, peak shaving 46.47, start-ups -2.32',
    );
    // The day stays under the month's metered facility peak; first-come-first-served would raise it to 516.9 kW.
    expect(text).toContain(
      'Demand charge "Facility demand", billing period from 2026-11-01: 512.0 kW before this plan, from the meter (metered 512 kW to 2026-11-23); ' +
        "512.0 kW with it; the plan adds USD 0.00 (baseline 46.47) to the period's USD 4,864.00 at 9.50 per kW.",
    );
    expect(text).toContain(doc.narrative.text);
    expect(text).not.toContain('Not scheduled');
  });

  it('lists the jobs left out in the text, and renders every file', async () => {
    const input = plantDayInput();
    const left = input.plan.assignments.find((a) => a.jobId === 'J-107')!;
    input.plan = {
      ...input.plan,
      assignments: input.plan.assignments.filter((a) => a !== left),
      unscheduled: [{ jobId: 'J-107', reason: 'test' }],
    };
    input.cost = costStatement(input.problem, input.plan);
    const doc = buildReportDocument(input, await narrate(input), 'h');
    const text = renderTextReport(doc);
    expect(text).toContain('Not scheduled:\n- J-107: test');
    expect(text).toContain('1 job(s) could not be placed (J-107); both plans are priced without them.');
    expect(doc.warnings[0]).toEqual({ severity: 'warning', text: '1 job(s) not scheduled: J-107 (reasons listed apart).' });
    const files = await renderReportFiles(input, doc);
    expect(files.map((f) => [f.kind, f.contentType.split(';')[0]])).toEqual([
      ['report.json', 'application/json'],
      ['report.txt', 'text/plain'],
      ['report.pdf', 'application/pdf'],
      ['report.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ['assignments.csv', 'text/csv'],
    ]);
    expect(JSON.parse(files[0].content.toString()).costHash).toBe('h');
  });
});
